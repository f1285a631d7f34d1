//! What the query APIs may show of a document, by the platform of its shop (SPEC.md §3.4,
//! PROTOCOL.md §5): documents of some platforms are never returned, and the buyer's name and
//! nickname are shown only for the seller's own platforms.

/// 线下: offline sales.
pub const OFFLINE_PLATFORM_ID: i64 = 0;

/// 自有平台: the seller's own shop system.
pub const OWN_PLATFORM_ID: i64 = 127;

/// Platform ids whose documents the query APIs never return (淘系 and 系统供销; PROTOCOL.md §5).
pub const HIDDEN_PLATFORM_IDS: &[i64] = &[1, 2, 9, 82, 87, 94, 106, 134, 137, 142, 172, 173];

/// 拼多多: besides [`HIDDEN_PLATFORM_IDS`], `aftersales.refund.RawRefund.search` leaves its
/// documents out (本接口不返回淘系、拼多多及系统供销平台数据).
pub const PDD_PLATFORM_ID: i64 = 39;

/// Platform ids whose privacy fields (`customer_name`, `nick_name`) are returned: 自有平台 and 线下.
pub const OPEN_PRIVACY_PLATFORM_IDS: &[i64] = &[OWN_PLATFORM_ID, OFFLINE_PLATFORM_ID];

/// What a masked privacy field shows.
pub const MASKED: &str = "";

/// Whether documents of shops on `platform_id` are left out of every query answer.
pub fn is_hidden(platform_id: i64) -> bool {
    HIDDEN_PLATFORM_IDS.contains(&platform_id)
}

/// Whether the buyer's name and nickname are shown for a shop on `platform_id`.
pub fn shows_customer(platform_id: i64) -> bool {
    OPEN_PRIVACY_PLATFORM_IDS.contains(&platform_id)
}

/// A privacy field (`customer_name`, `nick_name`) of a document of a shop on `platform_id`:
/// `value` where it may be shown, [`MASKED`] elsewhere.
pub fn customer_field(platform_id: i64, value: String) -> String {
    if shows_customer(platform_id) { value } else { MASKED.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_decide_what_is_shown() {
        // (platform, hidden, customer shown)
        let cases = [
            (OWN_PLATFORM_ID, false, true),
            (OFFLINE_PLATFORM_ID, false, true),
            (3, false, false),
            (1, true, false),
            (173, true, false),
        ];
        for (platform, hidden, shown) in cases {
            assert_eq!(is_hidden(platform), hidden, "platform {platform} hidden");
            assert_eq!(shows_customer(platform), shown, "platform {platform} shows the customer");
            let want = if shown { "张三" } else { MASKED };
            assert_eq!(customer_field(platform, "张三".to_owned()), want, "platform {platform}");
        }
    }
}
