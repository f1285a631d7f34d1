//! Typed payloads of the five seed methods, and how they are read off the wire.
//!
//! | method | module | arguments |
//! |---|---|---|
//! | [`REFUND_STOCKIN_CREATE`] (qjb) | [`refund_stockin`] | `[stockin_order]` |
//! | [`OPENAPI2_STOCKIN_REFUND_PUSH`] (openapi2) | [`stockin_refund_push`] | form field `stockin_refund_info` (JSON text) |
//! | [`SMART_REFUND_UPLOAD`] (qjb) | [`smart_refund`] | `[refundInfo, detailMapList, createPreStockin]` |
//! | [`PURCHASE_RETURN_CREATE`] (qjb) | [`purchase_return`] | `[orderInfo, detailList, is_check]` |
//! | [`REFUND_STOCKIN_QUERY`] (qjb, paged) | [`refund_stockin_query`] | `[params]`, pager in the query string |
//! | [`RAW_TRADE_PUSH`] (qjb) | [`raw_trade_push`] | `[shop_no, rawTradeList, rawTradeOrderList]`, optionally `discountList` |
//! | [`RAW_REFUND_UPLOAD`] (qjb) | [`raw_refund_upload`] | `[shop_no, order_list]` |
//! | [`RAW_REFUND_UPLOAD2`] (qjb) | [`raw_refund_upload`] | `[shop_no, order_list]` (lines may carry `modify_flag`) |
//!
//! A qjb body is read in three steps, each with its own error:
//!
//! 1. [`decode_args`]: the body is UTF-8 JSON, an array, of the method's arity (between its
//!    required and all of its arguments, where trailing ones are optional), else
//!    [`ApiError::ArgumentCount`] (status 1, `invalid argument count: …`).
//! 2. Each positional argument has the JSON type the method takes (object, array, boolean), else
//!    [`ApiError::ArgumentType`] (status 1, `argument type mismatch: <arg>: expected an object, got
//!    string "TK…"`). All arguments are checked before any is decoded, so a type mismatch anywhere
//!    wins over a bad field inside an earlier argument.
//! 3. [`decode_field`] and the request's `validate()`: anything wrong inside an argument is
//!    [`ApiError::Business`] (status 100).
//!
//! # Messages of step 3
//!
//! Chinese first, then the path, then the value, so that a client can find and fix the field:
//!
//! | problem | message |
//! |---|---|
//! | a value that cannot be read | `参数不合法 <path>: <reason>: <value>` (e.g. `参数不合法 detail_list[0].num: 不是合法的数字: abc`, `参数不合法 detail_list: 应为数组: abc`) |
//! | a required field missing, `null` or blank | `<path>不能为空` (the vendor's `xxx不能为空`) |
//! | a text longer than the seed's limit (in characters) | `超长(最大<N>) <path>: <value>` |
//! | a coded integer out of range | `取值不合法(<allowed, /-separated>) <path>: <value>` |
//! | more than [`MAX_DETAIL_LINES`] lines | `明细行数超过上限(<N>) <path>: <count>` |
//!
//! This crate checks what the wire says (shape, type, length, format, coded values). What the
//! values mean for the business is checked once, by `wdt-domain`, after every check here and
//! before any stored state is read: an empty detail list (`<path>不能为空`), a quantity ≤ 0
//! (`数量不合法 <path>: <value>`, the vendor's `数量不合法`), a negative price
//! (`价格不合法 <path>: <value>`).
//!
//! `<path>` is the wire path inside the argument: the fields of an object argument are written
//! bare, as the seed tables name them (`refund_no`, `detail_list[2].num`); a list argument is
//! written under its own name (`detailMapList[0].stockin_num`). The openapi2 form field is read like
//! an object argument. `<value>` is the text as sent (strings unquoted, anything else as JSON), cut
//! to 64 characters with `…`. The domain crate's refusals use the same `<problem> <path>: <value>`
//! order.
//!
//! Unknown fields are ignored (seed 000's own example sends `unit_name`, which its table lacks).
//! Scalars are read leniently (numbers as strings and the reverse, flags as `0`/`1`): see
//! [`lenient`].

pub mod goods_push;
pub mod lenient;
pub mod provider_push;
pub mod purchase_order;
pub mod purchase_return;
pub mod purchase_return_cancel;
pub mod raw_refund_upload;
pub mod raw_trade_push;
pub mod reads;
pub mod refund_stockin;
pub mod refund_stockin_query;
mod rules;
pub mod smart_refund;
pub mod stockin_refund_push;

pub use self::rules::LinePath;

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::Write as _;

use serde_json::Value;
use serde_path_to_error::{Path, Segment};

use crate::error::ApiError;

use self::lenient::{ABSENT, Lenient, shorten, show};

/// qjb 退货入库单推送 (seed 000).
pub const REFUND_STOCKIN_CREATE: &str = "wms.stockin.Refund.createOrder";
/// qjb 快速退货 (seed 002).
pub const SMART_REFUND_UPLOAD: &str = "wms.stockin.SmartRefund.upload";
/// qjb 采购退货单新建 (seed 003).
pub const PURCHASE_RETURN_CREATE: &str = "purchase.PurchaseReturn.createOrder";
/// qjb 采购退货单取消 (SPEC.md §8): `[return_no]`.
pub const PURCHASE_RETURN_CANCEL: &str = "purchase.PurchaseReturn.cancelOrder";
/// qjb 采购单新建 (SPEC.md §8): `[params]`.
pub const PURCHASE_ORDER_CREATE: &str = "purchase.PurchaseOrder.createOrder";
/// qjb 货品推送 (SPEC.md §8): `[goodsInfo, specInfoList]`.
pub const GOODS_PUSH: &str = "goods.Goods.push";
/// qjb 供应商信息推送 (SPEC.md §8): `[provider]`.
pub const PROVIDER_PUSH: &str = "setting.PurchaseProvider.push";
/// qjb 原始单推送 (SPEC.md §8): `[shop_no, rawTradeList, rawTradeOrderList]`, optionally
/// `discountList`.
pub const RAW_TRADE_PUSH: &str = "sales.RawTrade.pushSelf";
/// qjb 原始退款单推送: `[shop_no, order_list]`.
pub const RAW_REFUND_UPLOAD: &str = "aftersales.refund.RawRefund.upload";
/// qjb 原始退款单推送2: `[shop_no, order_list]`; lines may carry `modify_flag`, and the response
/// has `error_list`.
pub const RAW_REFUND_UPLOAD2: &str = "aftersales.refund.RawRefund.upload2";
/// qjb 退货入库单查询, paged (seed 004).
pub const REFUND_STOCKIN_QUERY: &str = "wms.stockin.Refund.queryWithDetail";
/// openapi2 创建退货入库单 (seed 001): `POST /openapi2/stockin_refund_push.php`.
pub const OPENAPI2_STOCKIN_REFUND_PUSH: &str = "stockin_refund_push.php";

/// The JSON type a positional qjb argument must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// A JSON object (`Map<String, Object>` in the seeds).
    Object,
    /// A JSON array (`List<Map<String, Object>>`).
    List,
    /// A boolean; `0`/`1`, `"0"`/`"1"` and `"true"`/`"false"` are accepted too.
    Bool,
    /// A string (`String` in the pages); a number is read as its text.
    Text,
}

impl ArgKind {
    fn expected(self) -> &'static str {
        match self {
            ArgKind::Object => "an object",
            ArgKind::List => "an array",
            ArgKind::Bool => "a boolean",
            ArgKind::Text => "a string",
        }
    }
}

/// One positional argument of a qjb method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QjbArg {
    /// Its name in the seed (used in messages).
    pub name: &'static str,
    /// Its JSON type.
    pub kind: ArgKind,
    /// Whether the body may leave it out. Only trailing arguments are optional; one left out, or
    /// sent as `null`, reads as `null`.
    pub optional: bool,
}

/// A qjb method this server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QjbMethod {
    /// The `method` query parameter.
    pub name: &'static str,
    /// How many positional arguments the body array holds at most (= `args.len()`); at least
    /// [`QjbMethod::min_arity`].
    pub arity: usize,
    /// Whether it is called with `pageCall` (`page_size`/`page_no`/`calc_total` in the query).
    pub paged: bool,
    /// The positional arguments, in order.
    pub args: &'static [QjbArg],
}

impl QjbMethod {
    /// How many positional arguments the body array holds at least: the required ones.
    pub fn min_arity(&self) -> usize {
        self.args.iter().filter(|a| !a.optional).count()
    }
}

const fn arg(name: &'static str, kind: ArgKind) -> QjbArg {
    QjbArg { name, kind, optional: false }
}

/// A trailing argument the body may leave out.
const fn optional_arg(name: &'static str, kind: ArgKind) -> QjbArg {
    QjbArg { name, kind, optional: true }
}

/// Every qjb method, with its positional arguments (PROTOCOL.md §1.4).
pub const QJB_METHODS: &[QjbMethod] = &[
    write_method(REFUND_STOCKIN_CREATE, &[arg(refund_stockin::ARG_STOCKIN_ORDER, ArgKind::Object)]),
    write_method(
        SMART_REFUND_UPLOAD,
        &[
            arg(smart_refund::ARG_REFUND_INFO, ArgKind::Object),
            arg(smart_refund::ARG_DETAILS, ArgKind::List),
            arg(smart_refund::ARG_CREATE_PRE_STOCKIN, ArgKind::Bool),
        ],
    ),
    write_method(
        PURCHASE_RETURN_CREATE,
        &[
            arg(purchase_return::ARG_ORDER_INFO, ArgKind::Object),
            arg(purchase_return::ARG_DETAILS, ArgKind::List),
            arg(purchase_return::ARG_IS_CHECK, ArgKind::Bool),
        ],
    ),
    read_method(REFUND_STOCKIN_QUERY),
    write_method(PURCHASE_RETURN_CANCEL, &[arg(purchase_return_cancel::ARG_RETURN_NO, ArgKind::Text)]),
    write_method(PURCHASE_ORDER_CREATE, &[arg(purchase_order::ARG_PARAMS, ArgKind::Object)]),
    write_method(GOODS_PUSH, &[arg(goods_push::ARG_GOODS, ArgKind::Object), arg(goods_push::ARG_SPECS, ArgKind::List)]),
    write_method(PROVIDER_PUSH, &[arg(provider_push::ARG_PROVIDER, ArgKind::Object)]),
    write_method(
        RAW_TRADE_PUSH,
        &[
            arg(raw_trade_push::ARG_SHOP_NO, ArgKind::Text),
            arg(raw_trade_push::ARG_TRADES, ArgKind::List),
            arg(raw_trade_push::ARG_ORDERS, ArgKind::List),
            optional_arg(raw_trade_push::ARG_DISCOUNTS, ArgKind::List),
        ],
    ),
    write_method(
        RAW_REFUND_UPLOAD,
        &[arg(raw_refund_upload::ARG_SHOP_NO, ArgKind::Text), arg(raw_refund_upload::ARG_ORDERS, ArgKind::List)],
    ),
    write_method(
        RAW_REFUND_UPLOAD2,
        &[arg(raw_refund_upload::ARG_SHOP_NO, ArgKind::Text), arg(raw_refund_upload::ARG_ORDERS, ArgKind::List)],
    ),
    read_method(reads::REFUND_SEARCH),
    read_method(reads::RAW_REFUND_SEARCH),
    read_method(reads::REFUND_STOCKIN_HISTORY),
    read_method(reads::STOCK_SPEC_SEARCH),
    read_method(reads::STOCK_CHANGE_QUERY),
    read_method(reads::PURCHASE_RETURN_QUERY),
    read_method(reads::PURCHASE_ORDER_QUERY),
    read_method(reads::GOODS_QUERY),
    read_method(reads::WAREHOUSE_QUERY),
    read_method(reads::SHOP_QUERY),
    read_method(reads::LOGISTICS_QUERY),
    read_method(reads::PROVIDER_QUERY),
];

/// A method that writes (not paged), with its positional arguments.
const fn write_method(name: &'static str, args: &'static [QjbArg]) -> QjbMethod {
    QjbMethod { name, arity: args.len(), paged: false, args }
}

/// A paged query, `[params]`: seed 004's and the read-back methods of SPEC.md §9.
const fn read_method(name: &'static str) -> QjbMethod {
    const PARAMS: &[QjbArg] = &[arg(reads::ARG_PARAMS, ArgKind::Object)];
    QjbMethod { name, arity: 1, paged: true, args: PARAMS }
}

/// The qjb method of that name, if this server speaks it.
pub fn qjb_method(name: &str) -> Option<&'static QjbMethod> {
    QJB_METHODS.iter().find(|m| m.name == name)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "argument" } else { "arguments" }
}

/// The most detail lines one request may carry.
pub const MAX_DETAIL_LINES: usize = 1000;

/// Refuses text holding NUL or other C0 control characters (tab, CR and LF excepted): databases
/// and downstream systems mishandle them, and no field of these APIs needs them.
pub fn refuse_control_characters(value: &Value, path: &str) -> Result<(), ApiError> {
    let mut at = path.to_owned();
    match find_control_character(value, &mut at) {
        Some(c) => Err(ApiError::Business(format!("参数不合法 {at}: 含有控制字符 U+{:04X}", u32::from(c)))),
        None => Ok(()),
    }
}

/// The first control character under `value`; `path` is left pointing at it, and is restored
/// on the way back otherwise (one buffer for the whole walk, not a string per node).
fn find_control_character(value: &Value, path: &mut String) -> Option<char> {
    match value {
        Value::String(s) => s.chars().find(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n')),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| {
            let len = path.len();
            let _ = write!(path, "[{i}]");
            let found = find_control_character(v, path);
            if found.is_none() {
                path.truncate(len);
            }
            found
        }),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let len = path.len();
            path.push('.');
            path.push_str(k);
            let found = find_control_character(v, path);
            if found.is_none() {
                path.truncate(len);
            }
            found
        }),
        _ => None,
    }
}

/// Reads a qjb body as the positional argument array of `method`.
///
/// Refuses with [`ApiError::ArgumentCount`] a body that is not UTF-8, not JSON (including JSON
/// nested deeper than serde_json's recursion limit of 128), not an array, or an array of another
/// length than `arity` (for a known method with optional trailing arguments: fewer than its
/// [`QjbMethod::min_arity`] or more than `arity`). The message says what was wrong and, for a
/// known method, which arguments it takes (an optional one marked `?`).
/// Text with control characters, and an object key given twice, are refused with the path named.
pub fn decode_args(method: &str, body: &[u8], arity: usize) -> Result<Vec<Value>, ApiError> {
    let text = std::str::from_utf8(body).map_err(|e| ApiError::ArgumentCount(format!("body is not UTF-8: {e}")))?;
    let value: Value =
        serde_json::from_str(text).map_err(|e| ApiError::ArgumentCount(format!("body is not a JSON array: {e}")))?;
    if let Some(path) = crate::duplicate_keys::first_duplicate_key(text) {
        return Err(ApiError::Business(format!("参数不合法 字段重复 {path}")));
    }
    let Value::Array(args) = value else {
        return Err(ApiError::ArgumentCount(format!("body is not a JSON array: got {}", json_kind(&value))));
    };
    for (i, arg) in args.iter().enumerate() {
        refuse_control_characters(arg, &format!("[{i}]"))?;
    }
    let known = qjb_method(method);
    let least = known.map_or(arity, |m| m.min_arity().min(arity));
    if args.len() < least || args.len() > arity {
        let takes = known
            .map(|m| {
                let names: Vec<String> = m
                    .args
                    .iter()
                    .map(|a| if a.optional { format!("{}?", a.name) } else { a.name.to_owned() })
                    .collect();
                format!(" ({method} takes [{}])", names.join(", "))
            })
            .unwrap_or_default();
        let expected =
            if least == arity { format!("{arity} {}", plural(arity)) } else { format!("{least} to {arity} arguments") };
        return Err(ApiError::ArgumentCount(format!("expected {expected}, got {}{takes}", args.len())));
    }
    Ok(args)
}

/// Decodes one positional argument into `T`.
///
/// A wrong JSON type of the argument itself is [`ApiError::ArgumentType`]
/// (`<arg_name>: expected an object, got string "…"`); anything wrong inside it is
/// [`ApiError::Business`] in the format of the module docs. An array argument's paths start with
/// `arg_name` (`detailMapList[0].num`), an object argument's with the field (`detail_list[0].num`).
pub fn decode_field<T: DeserializeOwned>(arg_name: &str, value: Value) -> Result<T, ApiError> {
    let root = if value.is_array() { arg_name } else { "" };
    decode_at(root, &value).map_err(|e| match e {
        DecodeError::Shape { expected, found } => {
            ApiError::ArgumentType(format!("{arg_name}: expected {expected}, got {found}"))
        }
        DecodeError::Field(message) => ApiError::Business(message),
    })
}

/// Decodes a JSON text carried in a form field (openapi2) into `T`, which must be an object.
/// Every refusal is [`ApiError::Business`] naming the field.
pub(crate) fn decode_json_text<T: DeserializeOwned>(field: &str, text: &str) -> Result<T, ApiError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| ApiError::Business(format!("参数不合法 {field}: 不是合法的JSON: {e}: {}", shorten(text))))?;
    if let Some(path) = crate::duplicate_keys::first_duplicate_key(text) {
        return Err(ApiError::Business(format!("参数不合法 {field}: 字段重复 {path}")));
    }
    if !value.is_object() {
        if value.is_null() {
            return Err(rules::absent(field));
        }
        return Err(ApiError::Business(format!("参数不合法 {field}: 应为对象: {}", show(&value))));
    }
    refuse_control_characters(&value, field)?;
    decode_at("", &value).map_err(|e| match e {
        DecodeError::Shape { .. } => ApiError::Business(format!("参数不合法 {field}: 应为对象: {}", show(&value))),
        DecodeError::Field(message) => ApiError::Business(message),
    })
}

/// Checks the count and the JSON types of `method`'s positional arguments and hands them out;
/// optional trailing arguments left out are handed out as `null`.
pub(crate) fn take_args<const N: usize>(method: &str, mut args: Vec<Value>) -> Result<[Value; N], ApiError> {
    let spec = qjb_method(method).ok_or_else(|| ApiError::UnknownMethod(method.to_owned()))?;
    debug_assert_eq!(spec.arity, N);
    let least = spec.min_arity();
    if args.len() < least || args.len() > N {
        let expected = if least == N { format!("{N} {}", plural(N)) } else { format!("{least} to {N} arguments") };
        return Err(ApiError::ArgumentCount(format!("expected {expected}, got {}", args.len())));
    }
    args.resize(N, Value::Null);
    for (value, arg) in args.iter().zip(spec.args) {
        if arg.optional && value.is_null() {
            continue;
        }
        let fits = match arg.kind {
            ArgKind::Object => value.is_object(),
            ArgKind::List => value.is_array(),
            ArgKind::Bool => !value.is_null() && bool::from_json(value).is_ok(),
            ArgKind::Text => value.is_string() || value.is_number(),
        };
        if !fits {
            return Err(ApiError::ArgumentType(format!(
                "{}: expected {}, got {}",
                arg.name,
                arg.kind.expected(),
                json_kind(value)
            )));
        }
    }
    args.try_into().map_err(|_| ApiError::Internal)
}

/// Decodes the `[object, list, flag]` arguments of `method` (quick return, purchase return), each
/// named in messages as [`QJB_METHODS`] names it: the flag first, then the object and the list.
pub(crate) fn object_list_flag<O: DeserializeOwned, L: DeserializeOwned>(
    method: &str,
    args: Vec<Value>,
) -> Result<(O, L, bool), ApiError> {
    let [object, list, flag] = take_args::<3>(method, args)?;
    let names = qjb_method(method).map_or(&[][..], |m| m.args);
    let name = |i: usize| names.get(i).map_or("", |a| a.name);
    let flag = bool_arg(name(2), &flag)?;
    Ok((decode_field(name(0), object)?, decode_field(name(1), list)?, flag))
}

/// The `[object, list, flag]` arguments an SDK sends.
pub(crate) fn object_list_flag_args(object: &impl Serialize, list: &impl Serialize, flag: bool) -> Vec<Value> {
    vec![
        serde_json::to_value(object).expect("a request always serializes"),
        serde_json::to_value(list).expect("a request always serializes"),
        Value::Bool(flag),
    ]
}

/// Reads a boolean positional argument (already checked by [`take_args`]).
pub(crate) fn bool_arg(name: &str, value: &Value) -> Result<bool, ApiError> {
    bool::from_json(value)
        .map_err(|_| ApiError::ArgumentType(format!("{name}: expected a boolean, got {}", json_kind(value))))
}

/// The JSON type and a short rendering of a value, for `argument type mismatch` messages.
fn json_kind(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {}", shorten(&n.to_string())),
        Value::String(s) => format!("string {}", Value::String(shorten(s))),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

enum DecodeError {
    /// The value itself has the wrong JSON type.
    Shape { expected: String, found: String },
    /// Something inside it is wrong; the finished message.
    Field(String),
}

fn decode_at<T: DeserializeOwned>(root: &str, value: &Value) -> Result<T, DecodeError> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|err| {
        let path = err.path().clone();
        let message = err.into_inner().to_string();
        describe(root, value, &path, &message)
    })
}

fn join_path(root: &str, path: &Path) -> String {
    let mut out = root.to_owned();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Unknown => out.push_str(if out.is_empty() { "?" } else { ".?" }),
        }
    }
    out
}

fn lookup<'a>(root: &'a Value, path: &Path) -> Option<&'a Value> {
    let mut at = root;
    for segment in path.iter() {
        at = match segment {
            Segment::Seq { index } => at.get(*index)?,
            Segment::Map { key } | Segment::Enum { variant: key } => at.get(key.as_str())?,
            Segment::Unknown => return None,
        };
    }
    Some(at)
}

/// Chinese for serde's `expected …` phrases (the lenient visitors already speak Chinese).
fn expected_cn(expected: &str) -> &str {
    if expected.starts_with("struct ") || expected == "a map" {
        "对象"
    } else if expected == "a sequence" {
        "数组"
    } else if expected == "a string" {
        "字符串"
    } else if expected == "a boolean" {
        "布尔值"
    } else {
        expected
    }
}

fn expected_en(expected: &str) -> String {
    match expected_cn(expected) {
        "对象" => "an object".to_owned(),
        "数组" => "an array".to_owned(),
        "字符串" => "a string".to_owned(),
        "布尔值" => "a boolean".to_owned(),
        other => other.to_owned(),
    }
}

fn describe(root: &str, value: &Value, path: &Path, message: &str) -> DecodeError {
    let at_top = path.iter().next().is_none();
    let target = lookup(value, path);
    let where_ = join_path(root, path);

    if let Some(field) = message.strip_prefix("missing field `").and_then(|m| m.strip_suffix('`')) {
        let full = if where_.is_empty() { field.to_owned() } else { format!("{where_}.{field}") };
        return DecodeError::Field(format!("{full}不能为空"));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let expected = rest.rsplit_once(", expected ").map(|(_, e)| e).unwrap_or("");
        if at_top {
            return DecodeError::Shape { expected: expected_en(expected), found: json_kind(value) };
        }
        if target.is_none_or(Value::is_null) {
            return DecodeError::Field(format!("{where_}不能为空"));
        }
        let shown = target.map(show).unwrap_or_default();
        return DecodeError::Field(format!("参数不合法 {where_}: 应为{}: {shown}", expected_cn(expected)));
    }
    if at_top && root.is_empty() {
        return DecodeError::Shape { expected: "an object".to_owned(), found: json_kind(value) };
    }
    if message == ABSENT {
        return DecodeError::Field(format!("{where_}不能为空"));
    }
    DecodeError::Field(format!("参数不合法 {where_}: {message}"))
}

#[cfg(test)]
mod control_character_tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_control_character_is_refused_with_the_path_that_holds_it() {
        let cases = [
            (json!({"a": "ok", "b": [1, "two", {"c": null}]}), None),
            (json!(["tab\tand\nnewline\r"]), None),
            (json!({"a": "x\u{7}y"}), Some("参数不合法 [0].a: 含有控制字符 U+0007")),
            (
                json!({"detail_list": [{"spec_no": "A"}, {"spec_no": "B\u{0}"}]}),
                Some("参数不合法 [0].detail_list[1].spec_no: 含有控制字符 U+0000"),
            ),
            // Clean siblings before it leave no trace in the path.
            (
                json!({"a": ["x", {"deep": ["y"]}], "b": {"c": "ok", "d": "\u{1b}"}}),
                Some("参数不合法 [0].b.d: 含有控制字符 U+001B"),
            ),
            (json!("\u{85}"), Some("参数不合法 [0]: 含有控制字符 U+0085")),
        ];
        for (value, expected) in cases {
            let got = match refuse_control_characters(&value, "[0]") {
                Ok(()) => None,
                Err(ApiError::Business(message)) => Some(message),
                Err(other) => panic!("{value}: {other:?}"),
            };
            assert_eq!(got.as_deref(), expected, "{value}");
        }
    }
}

#[cfg(test)]
mod arity_tests {
    use super::*;

    #[test]
    fn an_optional_trailing_argument_may_be_left_out() {
        let m = qjb_method(RAW_TRADE_PUSH).unwrap();
        assert_eq!((m.min_arity(), m.arity), (3, 4));
        for body in [r#"["S", [], []]"#, r#"["S", [], [], []]"#, r#"["S", [], [], null]"#] {
            let args = decode_args(RAW_TRADE_PUSH, body.as_bytes(), m.arity).unwrap();
            let [shop, _, _, discounts] = take_args::<4>(RAW_TRADE_PUSH, args).unwrap();
            assert_eq!(shop, Value::String("S".into()), "{body}");
            assert!(discounts.is_null() || discounts.is_array(), "{body}");
        }
        for (body, count) in [(r#"["S", []]"#, 2), (r#"["S", [], [], [], []]"#, 5)] {
            let e = decode_args(RAW_TRADE_PUSH, body.as_bytes(), m.arity).unwrap_err();
            assert_eq!(
                e,
                ApiError::ArgumentCount(format!(
                    "expected 3 to 4 arguments, got {count} (sales.RawTrade.pushSelf takes [shop_no, rawTradeList, \
                     rawTradeOrderList, discountList?])"
                ))
            );
        }
        let e = take_args::<4>(RAW_TRADE_PUSH, vec![Value::from("S"), Value::from(1), Value::Null]).unwrap_err();
        assert!(
            matches!(e, ApiError::ArgumentType(ref m) if m.starts_with("rawTradeList: expected an array")),
            "{e:?}"
        );
        let e = take_args::<4>(RAW_TRADE_PUSH, vec!["S".into(), Value::Array(vec![]), Value::Array(vec![]), 1.into()])
            .unwrap_err();
        assert!(
            matches!(e, ApiError::ArgumentType(ref m) if m.starts_with("discountList: expected an array")),
            "{e:?}"
        );
    }

    #[test]
    fn methods_without_optional_arguments_keep_one_arity_and_their_messages() {
        for m in QJB_METHODS.iter().filter(|m| m.name != RAW_TRADE_PUSH) {
            assert_eq!(m.min_arity(), m.arity, "{}", m.name);
        }
        let e = decode_args(SMART_REFUND_UPLOAD, b"[{}, []]", 3).unwrap_err();
        assert_eq!(
            e,
            ApiError::ArgumentCount(
                "expected 3 arguments, got 2 (wms.stockin.SmartRefund.upload takes [refundInfo, detailMapList, \
                 createPreStockin])"
                    .into()
            )
        );
    }
}
