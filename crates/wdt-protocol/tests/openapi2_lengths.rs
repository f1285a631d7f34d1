//! openapi2 length rules, PROTOCOL §2.2 style: one request carrying a character outside the BMP
//! (😀, U+1F600: 1 code point, 2 UTF-16 code units, 4 UTF-8 bytes) signed under each rule an SDK
//! in the wild uses. The md5 values were computed independently of this crate (Python:
//! `len(s)`, `len(s.encode())`, `len(s.encode('utf-16-le')) // 2`), appsecret `12345`.

use wdt_protocol::openapi2;

/// PROTOCOL §2.2's non-ASCII vector with 😀 appended to the remark.
const INFO: &str = r#"{"refund_no":"TK1608030001","outer_no":"ghs","warehouse_no":"xy001","logistics_code":"yjwl04","remark":"退货入库😀","detail_list":[{"spec_no":"33412","stockin_num":2,"batch_no":"20160601","stockin_price":"0.01"}]}"#;
const PARAMS: [(&str, &str); 4] =
    [("sid", "test2"), ("appkey", "test2-xx"), ("timestamp", "1470042310"), ("stockin_refund_info", INFO)];
const SECRET: &str = "12345";

/// Code points (official PHP `iconv_strlen`): `19-stockin_refund_info:0208-{…}`.
const BY_CHARS: &str = "c435308f909f755560393b23e1a97984";
/// UTF-8 bytes (Go `len`, Node `Buffer.byteLength`, Python `len(v.encode())`): `0219`.
const BY_BYTES: &str = "ff3b7ade77fc6f99fd09e473205d7059";
/// UTF-16 code units (the vendor's Java `WdtClient` and C# SDK, JS `.length`): `0209`.
const BY_UTF16: &str = "bcff61acbeb134411e995adf7606dc47";
/// The same request packed with a length that no rule gives (`0210`).
const BY_WRONG_LENGTH: &str = "81dd424e254fe629e9a8c8dccecca648";

#[test]
fn an_astral_character_signed_by_utf16_units_verifies() {
    assert!(openapi2::verify_accepted(PARAMS, SECRET, BY_UTF16, false), "UTF-16 units, strict server");
    assert!(openapi2::verify_accepted(PARAMS, SECRET, BY_UTF16, true), "UTF-16 units, lenient server");
}

#[test]
fn each_rule_packs_and_signs_as_its_sdk() {
    assert!(openapi2::pack(PARAMS).contains("19-stockin_refund_info:0208-{"));
    assert!(openapi2::pack_with(PARAMS, openapi2::LengthRule::Utf16).contains("19-stockin_refund_info:0209-{"));
    assert!(openapi2::pack_with(PARAMS, openapi2::LengthRule::Bytes).contains("19-stockin_refund_info:0219-{"));
    assert_eq!(openapi2::sign_with(PARAMS, SECRET, openapi2::LengthRule::Chars), BY_CHARS);
    assert_eq!(openapi2::sign_with(PARAMS, SECRET, openapi2::LengthRule::Utf16), BY_UTF16);
    assert_eq!(openapi2::sign_with(PARAMS, SECRET, openapi2::LengthRule::Bytes), BY_BYTES);
    assert!(openapi2::verify_with(PARAMS, SECRET, BY_UTF16, openapi2::LengthRule::Utf16));
    // UTF-16 units count 2 only outside the BMP: 😀 is 2, Chinese and ASCII are 1 per character.
    for (text, chars, units) in [("😀", 1, 2), ("退货", 2, 2), ("a😀b𝄞", 4, 6), ("", 0, 0)] {
        assert_eq!(openapi2::pack_with([("k", text)], openapi2::LengthRule::Chars), format!("01-k:{chars:04}-{text}"));
        assert_eq!(openapi2::pack_with([("k", text)], openapi2::LengthRule::Utf16), format!("01-k:{units:04}-{text}"));
    }
}

#[test]
fn inside_the_bmp_utf16_units_are_the_official_rule() {
    let params = [("sid", "test2"), ("remark", "退货入库")];
    assert_eq!(
        openapi2::sign_with(params, SECRET, openapi2::LengthRule::Utf16),
        openapi2::sign_with(params, SECRET, openapi2::LengthRule::Chars)
    );
    let byte_sign = openapi2::sign_with(params, SECRET, openapi2::LengthRule::Bytes);
    assert!(!openapi2::verify_accepted(params, SECRET, &byte_sign, false));
    assert!(openapi2::verify_accepted(params, SECRET, &byte_sign, true));
}

#[test]
fn every_accepted_rule_verifies_and_a_wrong_length_does_not() {
    assert!(openapi2::verify_accepted(PARAMS, SECRET, BY_CHARS, false));
    assert!(openapi2::verify_accepted(PARAMS, SECRET, BY_BYTES, true));
    assert!(!openapi2::verify_accepted(PARAMS, SECRET, BY_BYTES, false), "bytes only when configured");
    for lenient in [false, true] {
        assert!(!openapi2::verify_accepted(PARAMS, SECRET, BY_WRONG_LENGTH, lenient), "wrong length");
        assert!(!openapi2::verify_accepted(PARAMS, "12346", BY_UTF16, lenient), "wrong secret");
        assert!(!openapi2::verify_accepted(PARAMS, SECRET, &BY_UTF16.to_uppercase(), lenient), "uppercase");
        assert!(!openapi2::verify_accepted(PARAMS, SECRET, "", lenient), "empty");
    }
    // The official rule alone (what `verify` and the SDK's signer use) is unchanged.
    assert!(openapi2::verify(PARAMS, SECRET, BY_CHARS));
    assert!(!openapi2::verify(PARAMS, SECRET, BY_UTF16));
    assert_eq!(openapi2::sign(PARAMS, SECRET), BY_CHARS);
}
