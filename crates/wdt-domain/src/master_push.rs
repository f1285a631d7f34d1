//! Master data pushed through the API (SPEC.md §8): `goods.Goods.push` and
//! `setting.PurchaseProvider.push`, checked once here and turned into the fixture records the
//! fixture import upserts, so that a state built through the API equals the state a fixture with
//! the same records gives.
//!
//! A push replaces the record whole: a field it leaves out takes the page's default (an empty
//! text, `无` for the goods' brand and the base unit, 0), as a fixture record that leaves it out
//! would. Two values the page cannot give are kept from the stored spec by the store: whether the
//! spec is batch-managed, and the ratio of an auxiliary unit the spec already has (a new one is
//! 1, see [`AUX_UNIT_RATIO`]).

use std::collections::HashSet;

use wdt_protocol::methods::LinePath;
use wdt_protocol::methods::goods_push::{ARG_SPECS, GoodsPush, SpecInfo};
use wdt_protocol::methods::provider_push::ProviderPush;
use wdt_protocol::{ApiError, Dec4};

use crate::fixture::{GoodsFixture, ProviderFixture, SpecFixture, UnitFixture};
use crate::line_rules;

/// The page's default for a brand, a class, a flag and a unit not given: `无`.
pub const NONE_NAME: &str = "无";

/// The ratio of a new auxiliary unit to its spec's base unit: the page carries none, so one
/// auxiliary unit holds one base unit until an operator or a fixture says otherwise.
pub const AUX_UNIT_RATIO: Dec4 = Dec4::ONE;

/// A master record to upsert, as the fixture import upserts it.
#[derive(Debug, Clone)]
pub enum MasterPush {
    /// Goods with their specs (`goods.Goods.push`).
    Goods(GoodsPlan),
    /// A provider (`setting.PurchaseProvider.push`), boxed: the record is large.
    Provider(Box<ProviderFixture>),
}

/// A checked `goods.Goods.push`.
#[derive(Debug, Clone)]
pub struct GoodsPlan {
    /// The goods record with its specs, in push order.
    pub goods: GoodsFixture,
    /// `auto_create_bc`: a brand no goods has yet may be created; else it is refused.
    pub create_brand: bool,
}

/// `Some(text)` when given and not blank.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.trim().is_empty())
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// A number that may not be negative: `数值不合法 <path>: <value>` (prices use the shared
/// `价格不合法`).
fn non_negative_int(path: impl std::fmt::Display, value: Option<i64>) -> Result<i64, ApiError> {
    match value {
        Some(v) if v < 0 => Err(ApiError::Business(format!("数值不合法 {path}: {v}"))),
        v => Ok(v.unwrap_or(0)),
    }
}

/// Checks a decoded `goods.Goods.push` and turns it into the fixture record it upserts:
/// `specInfoList` not empty, each `spec_no` once, no negative price, dimension, score or day
/// count.
pub fn goods_plan(push: &GoodsPush) -> Result<GoodsPlan, ApiError> {
    line_rules::not_empty(ARG_SPECS, push.specs.len())?;
    let g = &push.goods;
    let mut seen = HashSet::new();
    let mut specs = Vec::with_capacity(push.specs.len());
    for (index, s) in push.specs.iter().enumerate() {
        let p = |field| LinePath { list: ARG_SPECS, index, field };
        if !seen.insert(s.spec_no.as_str()) {
            return Err(ApiError::Business(format!("商家编码重复 {}: {}", p("spec_no"), s.spec_no)));
        }
        for (field, value) in s.decimals() {
            line_rules::non_negative_price(p(field), value)?;
        }
        for (field, value) in s.days() {
            non_negative_int(p(field), value)?;
        }
        specs.push(spec_record(s, given(&g.unit_name), given(&g.aux_unit_name)));
    }
    let goods = GoodsFixture {
        goods_no: g.goods_no.clone(),
        goods_name: g.goods_name.clone(),
        brand_no: String::new(),
        brand_name: given(&g.brand_name).unwrap_or(NONE_NAME).to_owned(),
        specs,
    };
    Ok(GoodsPlan { goods, create_brand: g.auto_create_bc.unwrap_or(false) })
}

/// The fixture record of spec `s`; its units are its own, else the goods'.
fn spec_record(s: &SpecInfo, goods_unit: Option<&str>, goods_aux_unit: Option<&str>) -> SpecFixture {
    let base_unit = given(&s.unit_name).or(goods_unit).unwrap_or(NONE_NAME).to_owned();
    let aux = given(&s.aux_unit_name).or(goods_aux_unit).filter(|u| *u != NONE_NAME);
    SpecFixture {
        spec_no: s.spec_no.clone(),
        spec_name: text(&s.spec_name),
        spec_code: text(&s.spec_code),
        barcode: text(&s.barcode),
        base_unit,
        units: aux.map(|name| UnitFixture { name: name.to_owned(), ratio: AUX_UNIT_RATIO }).into_iter().collect(),
        batch_managed: false,
        sn_managed: s.sn_type.unwrap_or(0) != 0,
        validity_days: s.validity_days.unwrap_or(0),
        props: s.props().iter().map(|p| text(p)).collect(),
    }
}

/// Checks a decoded `setting.PurchaseProvider.push` and turns it into the fixture record it
/// upserts: `arrive_cycle_days` not negative. Area ids are kept as their decimal text, as the
/// fixture keeps area codes.
pub fn provider_record(push: &ProviderPush) -> Result<ProviderFixture, ApiError> {
    let p = &push.provider;
    let area = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    Ok(ProviderFixture {
        provider_no: p.provider_no.clone(),
        name: p.provider_name.clone(),
        contact: text(&p.contact),
        telno: text(&p.telno),
        province: area(p.province),
        city: area(p.city),
        district: area(p.district),
        address: text(&p.address),
        mobile: text(&p.mobile),
        fax: text(&p.fax),
        zip: text(&p.zip),
        email: text(&p.email),
        qq: text(&p.qq),
        wangwang: text(&p.wangwang),
        website: text(&p.website),
        follower_name: text(&p.shortname),
        description: String::new(),
        remark: text(&p.remark),
        arrive_cycle_days: non_negative_int("arrive_cycle_days", p.arrive_cycle_days)?,
        is_disabled: p.is_disabled == Some(1),
        account_bank: text(&p.account_bank),
        collect_name: text(&p.collect_name),
        account_bank_no: text(&p.account_bank_no),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use wdt_protocol::methods::goods_push::GoodsPush;
    use wdt_protocol::methods::provider_push::ProviderPush;

    use super::*;

    fn push(goods: serde_json::Value, specs: serde_json::Value) -> Result<GoodsPlan, String> {
        let push = GoodsPush::from_args(vec![goods, specs]).map_err(|e| e.to_string())?;
        goods_plan(&push).map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_and_units_follow_the_page() {
        let plan = push(
            json!({"goods_no": "G1", "goods_name": "n", "unit_name": "个", "aux_unit_name": "箱"}),
            json!([{"spec_no": "S1"}, {"spec_no": "S2", "unit_name": "瓶", "aux_unit_name": "无"}, {"spec_no": "S3", "sn_type": 2}]),
        )
        .unwrap();
        assert_eq!(plan.goods.brand_name, NONE_NAME);
        assert!(!plan.create_brand);
        let [s1, s2, s3] = &plan.goods.specs[..] else { panic!("three specs") };
        assert_eq!((s1.base_unit.as_str(), s1.units[0].name.as_str()), ("个", "箱"));
        assert_eq!(s1.units[0].ratio, Dec4::ONE);
        assert_eq!(s2.base_unit, "瓶");
        assert!(s2.units.is_empty(), "无 is no auxiliary unit");
        assert!(s3.sn_managed && !s1.sn_managed);
        let bare = push(json!({"goods_no": "G", "goods_name": "n"}), json!([{"spec_no": "S"}])).unwrap();
        assert_eq!(bare.goods.specs[0].base_unit, NONE_NAME);
    }

    #[test]
    fn business_refusals_name_field_and_value() {
        let g = json!({"goods_no": "G1", "goods_name": "n"});
        let cases = [
            (json!([]), "specInfoList不能为空"),
            (json!([{"spec_no": "A"}, {"spec_no": "A"}]), "商家编码重复 specInfoList[1].spec_no: A"),
            (json!([{"spec_no": "A", "retail_price": "-1"}]), "价格不合法 specInfoList[0].retail_price: -1"),
            (json!([{"spec_no": "A", "validity_days": -3}]), "数值不合法 specInfoList[0].validity_days: -3"),
        ];
        for (specs, message) in cases {
            assert_eq!(push(g.clone(), specs).unwrap_err(), message);
        }
    }

    #[test]
    fn a_provider_becomes_its_fixture_record() {
        let p = ProviderPush::from_args(vec![json!({"provider_no": "P", "provider_name": "n", "province": 110000,
            "is_disabled": 1, "shortname": "跟进"})])
        .unwrap();
        let r = provider_record(&p).unwrap();
        assert_eq!((r.province.as_str(), r.is_disabled, r.follower_name.as_str()), ("110000", true, "跟进"));
        let bad =
            ProviderPush::from_args(vec![json!({"provider_no": "P", "provider_name": "n", "arrive_cycle_days": -1})])
                .unwrap();
        assert_eq!(provider_record(&bad).unwrap_err().to_string(), "数值不合法 arrive_cycle_days: -1");
    }
}
