//! The fixture document (SPEC.md §6): master data and opening state for one seller.
//!
//! [`Fixture::parse`] checks everything that can be checked without a database: shapes, enums,
//! decimals, dates, lengths, duplicates inside the file, and references between records of the
//! same file where the referenced record must be in it. References that may point at records of
//! an earlier import (a `spec_no` in `stock`, say) are resolved by the store inside its
//! transaction. Either way a bad record is reported with its path and field, and nothing loads.

use std::collections::HashSet;

use serde::Deserialize;
use wdt_protocol::Dialect;
use wdt_protocol::time::parse_wire_time;
use wdt_protocol::{Dec4, row_struct};

use crate::model::{PurchaseOrderStatus, RefundOrderStatus, RefundOrderType, WarehouseKind};

/// A fixture record that cannot be loaded: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct FixtureError {
    /// JSON path of the offending field, e.g. `refund_orders[0].items[1].spec_no`.
    pub path: String,
    /// What is wrong, naming the value.
    pub message: String,
}

impl FixtureError {
    /// A new error at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        FixtureError { path: path.into(), message: message.into() }
    }
}

/// The whole document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// The seller account every record belongs to.
    pub sid: String,
    /// App credentials.
    #[serde(default)]
    pub apps: Vec<AppFixture>,
    /// Warehouses with their positions.
    #[serde(default)]
    pub warehouses: Vec<WarehouseFixture>,
    /// Logistics companies.
    #[serde(default)]
    pub logistics: Vec<LogisticsFixture>,
    /// Shops.
    #[serde(default)]
    pub shops: Vec<ShopFixture>,
    /// Providers (suppliers).
    #[serde(default)]
    pub providers: Vec<ProviderFixture>,
    /// Goods with their specs.
    #[serde(default)]
    pub goods: Vec<GoodsFixture>,
    /// Batches.
    #[serde(default)]
    pub batches: Vec<BatchFixture>,
    /// Opening stock lines.
    #[serde(default)]
    pub stock: Vec<StockFixture>,
    /// Purchase orders.
    #[serde(default)]
    pub purchase_orders: Vec<PurchaseOrderFixture>,
    /// Original trades.
    #[serde(default)]
    pub trades: Vec<TradeFixture>,
    /// Refund orders.
    #[serde(default)]
    pub refund_orders: Vec<RefundOrderFixture>,
}

/// An app credential. qjb credentials carry `key`, openapi2 ones `appkey`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppFixture {
    /// Which dialect the key speaks.
    pub dialect: Dialect,
    /// qjb key.
    #[serde(default)]
    pub key: Option<String>,
    /// openapi2 appkey.
    #[serde(default)]
    pub appkey: Option<String>,
    /// qjb: `secret:salt`; openapi2: the whole secret.
    pub appsecret: String,
    /// Warehouses the key may see and write; `null`/absent means all.
    #[serde(default)]
    pub warehouses: Option<Vec<String>>,
    /// Shops the key may see and write; `null`/absent means all.
    #[serde(default)]
    pub shops: Option<Vec<String>>,
}

impl AppFixture {
    /// The key in the field its dialect uses.
    pub fn app_key(&self) -> Option<&str> {
        match self.dialect {
            Dialect::Qjb => self.key.as_deref(),
            Dialect::Openapi2 => self.appkey.as_deref(),
        }
    }
}

row_struct! {
    /// A warehouse.
    #[derive(Debug, Clone, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct WarehouseFixture {
        /// 仓库编号.
        warehouse_no,
        /// 仓库名称.
        name: String;
        /// normal | outsourced | external.
        #[serde(rename = "type", default)]
        kind: WarehouseKind;
        /// 货位 numbers. The temporary position ([`TEMPORARY_POSITION_NO`](crate::model::TEMPORARY_POSITION_NO),
        /// `ZANCUN`) is always added.
        #[serde(default)] positions: Vec<String>;
        /// The default position; must be one of `positions`.
        #[serde(default)] default_position: Option<String>;
        /// 邮编.
        #[serde(default)] zip,
        /// 地址.
        #[serde(default)] address,
        /// 省份.
        #[serde(default)] province,
        /// 城市.
        #[serde(default)] city,
        /// 区县.
        #[serde(default)] district,
        /// 手机.
        #[serde(default)] mobile,
        /// 固话.
        #[serde(default)] telno,
        /// 联系人.
        #[serde(default)] contact,
        /// 备注.
        #[serde(default)] remark: String;
        /// 子类型 (0 默认, 1 旺店通, 2 菜鸟, …).
        #[serde(default)] sub_type: i64;
        /// 停用.
        #[serde(default)] is_disabled: bool;
        /// 采购联系人.
        #[serde(default)] purchase_contact,
        /// 采购联系电话.
        #[serde(default)] purchase_telno,
        /// 采购联系地址.
        #[serde(default)] purchase_address: String;
    }
}

/// A logistics company.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogisticsFixture {
    /// 物流公司编号.
    pub logistics_code: String,
    /// 物流公司名称.
    pub name: String,
    /// Vendor logistics type (物流代码表), 0 when unknown.
    #[serde(default)]
    pub logistics_type: i64,
    /// Businesses it serves (vendor numbers: 1 销售出库, 2 销售退货, 10 采购业务, 127 其它);
    /// absent = every business.
    #[serde(default)]
    pub business_types: Option<Vec<i64>>,
    /// 联系人.
    #[serde(default)]
    pub contact: String,
    /// 固话/联系电话.
    #[serde(default)]
    pub telno: String,
    /// 手机.
    #[serde(default)]
    pub mobile: String,
    /// 地址.
    #[serde(default)]
    pub address: String,
    /// 备注.
    #[serde(default)]
    pub remark: String,
    /// 是否支持货到付款.
    #[serde(default)]
    pub is_support_cod: bool,
    /// 停用.
    #[serde(default)]
    pub is_disabled: bool,
}

/// A shop.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShopFixture {
    /// 店铺编号.
    pub shop_no: String,
    /// 店铺名称.
    pub shop_name: String,
    /// 平台 id (127 自有, 0 线下, 1 淘宝, …).
    pub platform_id: i64,
    /// 子平台 id.
    #[serde(default)]
    pub sub_platform_id: i64,
    /// 店铺备注.
    #[serde(default)]
    pub remark: String,
    /// 联系人.
    #[serde(default)]
    pub contact: String,
    /// 省份.
    #[serde(default)]
    pub province: String,
    /// 城市.
    #[serde(default)]
    pub city: String,
    /// 区县.
    #[serde(default)]
    pub district: String,
    /// 地址.
    #[serde(default)]
    pub address: String,
    /// 电话.
    #[serde(default)]
    pub telno: String,
    /// 手机.
    #[serde(default)]
    pub mobile: String,
    /// 邮编.
    #[serde(default)]
    pub zip: String,
    /// Email.
    #[serde(default)]
    pub email: String,
    /// 网址.
    #[serde(default)]
    pub website: String,
    /// 分组 (`group_id` on the wire; empty shows as `无`).
    #[serde(default)]
    pub group_name: String,
    /// 平台的主键.
    #[serde(default)]
    pub account_id: String,
    /// 停用.
    #[serde(default)]
    pub is_disabled: bool,
    /// 授权状态 (0 未授权, 1 已授权, 2 授权失效, 3 授权停用).
    #[serde(default)]
    pub auth_state: i64,
    /// Refund orders converted from its raw refunds start reviewed (30) instead of pending review.
    #[serde(default)]
    pub auto_review_refunds: bool,
}

/// A provider (supplier).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderFixture {
    /// 供应商编号.
    pub provider_no: String,
    /// 供应商名称.
    pub name: String,
    /// 联系人.
    #[serde(default)]
    pub contact: String,
    /// 联系电话.
    #[serde(default)]
    pub telno: String,
    /// Province code.
    #[serde(default)]
    pub province: String,
    /// City code.
    #[serde(default)]
    pub city: String,
    /// District code.
    #[serde(default)]
    pub district: String,
    /// Street address.
    #[serde(default)]
    pub address: String,
    /// 手机.
    #[serde(default)]
    pub mobile: String,
    /// 传真.
    #[serde(default)]
    pub fax: String,
    /// 邮编.
    #[serde(default)]
    pub zip: String,
    /// 邮件.
    #[serde(default)]
    pub email: String,
    /// QQ.
    #[serde(default)]
    pub qq: String,
    /// 旺旺.
    #[serde(default)]
    pub wangwang: String,
    /// 网址.
    #[serde(default)]
    pub website: String,
    /// 跟进人.
    #[serde(default)]
    pub follower_name: String,
    /// 采购平台供应商账户名.
    #[serde(default)]
    pub description: String,
    /// 备注.
    #[serde(default)]
    pub remark: String,
    /// 到货天数.
    #[serde(default)]
    pub arrive_cycle_days: i64,
    /// 停用.
    #[serde(default)]
    pub is_disabled: bool,
    /// 收款银行.
    #[serde(default)]
    pub account_bank: String,
    /// 收款人.
    #[serde(default)]
    pub collect_name: String,
    /// 银行账号.
    #[serde(default)]
    pub account_bank_no: String,
}

/// Goods with specs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoodsFixture {
    /// 货品编号.
    pub goods_no: String,
    /// 货品名称.
    pub goods_name: String,
    /// 品牌编号.
    #[serde(default)]
    pub brand_no: String,
    /// 品牌名称.
    #[serde(default)]
    pub brand_name: String,
    /// Its specs (SKUs).
    #[serde(default)]
    pub specs: Vec<SpecFixture>,
}

/// A spec (SKU).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecFixture {
    /// 商家编码.
    pub spec_no: String,
    /// 规格名称.
    #[serde(default)]
    pub spec_name: String,
    /// 规格码.
    #[serde(default)]
    pub spec_code: String,
    /// 条码.
    #[serde(default)]
    pub barcode: String,
    /// Base unit name.
    #[serde(default = "default_unit")]
    pub base_unit: String,
    /// Auxiliary units with their ratio to the base unit.
    #[serde(default)]
    pub units: Vec<UnitFixture>,
    /// Batch-managed.
    #[serde(default)]
    pub batch_managed: bool,
    /// Serial-number managed: quantities must be whole and every unit carries an SN.
    #[serde(default)]
    pub sn_managed: bool,
    /// 有效期天数.
    #[serde(default)]
    pub validity_days: i64,
    /// 单品自定义属性 1–6.
    #[serde(default)]
    pub props: Vec<String>,
}

fn default_unit() -> String {
    "件".to_owned()
}

/// An auxiliary unit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitFixture {
    /// Unit name (e.g. 箱).
    pub name: String,
    /// How many base units one of it holds.
    pub ratio: Dec4,
}

/// A batch of a spec.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchFixture {
    /// 商家编码.
    pub spec_no: String,
    /// 批次号.
    pub batch_no: String,
    /// 生产日期.
    #[serde(default)]
    pub production_date: Option<String>,
    /// 有效期.
    #[serde(default)]
    pub expire_date: Option<String>,
}

/// An opening stock line.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StockFixture {
    /// 仓库编号.
    pub warehouse_no: String,
    /// 商家编码.
    pub spec_no: String,
    /// Quantity (≥ 0).
    pub num: Dec4,
    /// Defect stock.
    #[serde(default)]
    pub defect: bool,
    /// Batch, if any.
    #[serde(default)]
    pub batch_no: Option<String>,
    /// Position; absent = the warehouse default.
    #[serde(default)]
    pub position_no: Option<String>,
    /// Cost price (≥ 0).
    #[serde(default)]
    pub cost_price: Dec4,
    /// Serial numbers in stock on this line.
    #[serde(default)]
    pub sn: Vec<String>,
}

/// A purchase order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchaseOrderFixture {
    /// 采购单号.
    pub purchase_no: String,
    /// 供应商编号.
    pub provider_no: String,
    /// 仓库编号.
    pub warehouse_no: String,
    /// editing | checked | partly_arrived | arrived | cancelled.
    pub status: PurchaseOrderStatus,
    /// Lines.
    #[serde(default)]
    pub details: Vec<PurchaseOrderLineFixture>,
    /// 收货仓编号; absent = `warehouse_no`.
    #[serde(default)]
    pub receive_warehouse_no: Option<String>,
    /// 采购员.
    #[serde(default)]
    pub purchaser_name: String,
    /// 引用的采购申请单编号 (comma-separated).
    #[serde(default)]
    pub apply_nos: String,
    /// 收货地址.
    #[serde(default)]
    pub receive_address: String,
    /// 联系人.
    #[serde(default)]
    pub contact: String,
    /// 电话.
    #[serde(default)]
    pub telno: String,
    /// 标记名称.
    #[serde(default)]
    pub flag_name: String,
    /// 预计到货时间 (`yyyy-MM-dd HH:mm:ss`).
    #[serde(default)]
    pub expect_time: Option<String>,
    /// 付款方式 (0 none, 1 现付, 2 到付).
    #[serde(default)]
    pub pay_type: i64,
    /// 运费支付方式 (0 无, 1 现付, 2 到付, 3 包邮).
    #[serde(default)]
    pub postfee_pay_type: i64,
    /// 备注.
    #[serde(default)]
    pub remark: String,
    /// 邮费.
    #[serde(default)]
    pub post_fee: Dec4,
    /// 其他费用.
    #[serde(default)]
    pub other_fee: Dec4,
    /// 物流公司编号.
    #[serde(default)]
    pub logistics_no: Option<String>,
    /// 自定义属性1.
    #[serde(default)]
    pub prop1: String,
    /// 自定义属性2.
    #[serde(default)]
    pub prop2: String,
    /// 自定义属性3.
    #[serde(default)]
    pub prop3: String,
    /// 自定义属性4.
    #[serde(default)]
    pub prop4: String,
}

/// A purchase order line.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchaseOrderLineFixture {
    /// 商家编码.
    pub spec_no: String,
    /// Quantity.
    pub num: Dec4,
    /// Price (税前单价, per base unit).
    #[serde(default)]
    pub price: Dec4,
    /// 折扣 (default 1): the line is kept at `price × discount`.
    #[serde(default)]
    pub discount: Option<Dec4>,
    /// 税率 (default 0).
    #[serde(default)]
    pub tax_rate: Dec4,
    /// 备注.
    #[serde(default)]
    pub remark: String,
    /// 自定义属性1.
    #[serde(default)]
    pub prop1: String,
    /// 自定义属性2.
    #[serde(default)]
    pub prop2: String,
    /// 自定义属性3.
    #[serde(default)]
    pub prop3: String,
    /// 自定义属性4.
    #[serde(default)]
    pub prop4: String,
    /// 批次号.
    #[serde(default)]
    pub batch_no: String,
    /// 有效期 (`yyyy-MM-dd HH:mm:ss`).
    #[serde(default)]
    pub expire_date: Option<String>,
}

/// An original trade (原始单).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TradeFixture {
    /// 原始单号.
    pub tid: String,
    /// 系统订单号 (JY…).
    #[serde(default)]
    pub trade_no: String,
    /// 店铺编号.
    pub shop_no: String,
    /// Shipped.
    #[serde(default)]
    pub shipped: bool,
    /// 客户编码.
    #[serde(default)]
    pub customer_no: String,
    /// 客户姓名.
    #[serde(default)]
    pub customer_name: String,
    /// 客户网名.
    #[serde(default)]
    pub nick_name: String,
    /// What the platform said of it, as `sales.RawTrade.pushSelf` keeps it (`"platform": {…}`,
    /// every field optional).
    #[serde(default)]
    pub platform: TradePlatformFixture,
    /// Items.
    #[serde(default)]
    pub items: Vec<TradeItemFixture>,
}

/// A trade's platform fields, as a raw trade pushed through `sales.RawTrade.pushSelf` carries
/// them (the header a push keeps), its times as `yyyy-MM-dd HH:mm:ss`.
pub type TradePlatformFixture = crate::raw_trade::TradeRecord<Option<String>>;

/// A trade item (子订单).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TradeItemFixture {
    /// 原始子单号, unique per seller.
    pub oid: String,
    /// 商家编码.
    pub spec_no: String,
    /// Quantity sold.
    pub num: Dec4,
    /// Unit price.
    #[serde(default)]
    pub price: Dec4,
    /// What the platform said of it, as `sales.RawTrade.pushSelf` keeps it (`"platform": {…}`,
    /// every field optional).
    #[serde(default)]
    pub platform: TradeItemPlatformFixture,
}

/// A sub-order's platform fields, as a pushed raw sub-order carries them.
pub type TradeItemPlatformFixture = crate::raw_trade::TradeItemPlatform;

/// A refund order (退换单).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefundOrderFixture {
    /// 退换单号 (TK…).
    pub refund_no: String,
    /// 原始单号 of the trade it refunds.
    pub tid: String,
    /// pending_review | checked | cancelled | completed.
    pub status: RefundOrderStatus,
    /// 退换说明.
    #[serde(default)]
    pub reason: String,
    /// 备注.
    #[serde(default)]
    pub remark: String,
    /// return (退货, the default) | pre_ship_refund (售前退款) | refund_only (退款不退货); only a
    /// return expects goods back.
    #[serde(default = "return_type", rename = "type")]
    pub refund_type: RefundOrderType,
    /// 退款金额; the items' Σ refund_num × price when absent.
    #[serde(default)]
    pub refund_amount: Option<Dec4>,
    /// 实际退款金额; as `refund_amount` when absent.
    #[serde(default)]
    pub actual_refund_amount: Option<Dec4>,
    /// 退回物流公司.
    #[serde(default)]
    pub return_logistics_name: String,
    /// 退回物流单号.
    #[serde(default)]
    pub return_logistics_no: String,
    /// Items.
    #[serde(default)]
    pub items: Vec<RefundItemFixture>,
}

fn return_type() -> RefundOrderType {
    RefundOrderType::Return
}

/// A refund order item.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefundItemFixture {
    /// 原始子单号 on the trade.
    pub oid: String,
    /// 商家编码.
    pub spec_no: String,
    /// Quantity expected back.
    pub refund_num: Dec4,
    /// Price per unit.
    #[serde(default)]
    pub price: Dec4,
    /// Already received (opening state), default 0.
    #[serde(default)]
    pub stockin_num: Dec4,
    /// The raw refund (原始退款单) it came from, if any.
    #[serde(default)]
    pub raw_refund_no: String,
}

const MAX_NO_LEN: usize = 40;
const MAX_NAME_LEN: usize = 255;

impl Fixture {
    /// Parses and checks a fixture document.
    pub fn parse(json: &str) -> Result<Fixture, FixtureError> {
        let de = &mut serde_json::Deserializer::from_str(json);
        let fixture: Fixture = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            FixtureError::new(if path == "." { "$".to_owned() } else { path }, e.inner().to_string())
        })?;
        fixture.check()?;
        Ok(fixture)
    }

    /// Checks the records section by section, in document order; the first bad one is reported.
    fn check(&self) -> Result<(), FixtureError> {
        code("sid", &self.sid)?;
        check_apps(&self.apps)?;
        check_warehouses(&self.warehouses)?;
        unique_codes("logistics", "logistics_code", self.logistics.iter().map(|l| l.logistics_code.as_str()))?;
        unique_codes("shops", "shop_no", self.shops.iter().map(|s| s.shop_no.as_str()))?;
        unique_codes("providers", "provider_no", self.providers.iter().map(|p| p.provider_no.as_str()))?;
        check_goods(&self.goods)?;
        check_batches(&self.batches)?;
        check_stock(&self.stock)?;
        check_purchase_orders(&self.purchase_orders)?;
        check_trades(&self.trades)?;
        check_refund_orders(&self.refund_orders)
    }
}

/// Each app has the key field of its dialect, unique per dialect, and a secret of its form.
fn check_apps(apps: &[AppFixture]) -> Result<(), FixtureError> {
    let mut keys = HashSet::new();
    for (i, app) in apps.iter().enumerate() {
        let p = format!("apps[{i}]");
        let field = match app.dialect {
            Dialect::Qjb => "key",
            Dialect::Openapi2 => "appkey",
        };
        let key = app.app_key().ok_or_else(|| {
            FixtureError::new(format!("{p}.{field}"), format!("a {} app needs `{field}`", app.dialect.as_str()))
        })?;
        code(&format!("{p}.{field}"), key)?;
        unique(&mut keys, (app.dialect, key.to_owned()), &format!("{p}.{field}"), key)?;
        if app.appsecret.is_empty() {
            return Err(FixtureError::new(format!("{p}.appsecret"), "must not be empty"));
        }
        if app.dialect == Dialect::Qjb && !app.appsecret.contains(':') {
            return Err(FixtureError::new(format!("{p}.appsecret"), "a qjb appsecret has the form secret:salt"));
        }
    }
    Ok(())
}

/// Unique warehouse numbers; per warehouse, unique positions and a default among them.
fn check_warehouses(warehouses: &[WarehouseFixture]) -> Result<(), FixtureError> {
    let mut seen = HashSet::new();
    for (i, w) in warehouses.iter().enumerate() {
        let p = format!("warehouses[{i}]");
        code(&format!("{p}.warehouse_no"), &w.warehouse_no)?;
        unique(&mut seen, w.warehouse_no.clone(), &format!("{p}.warehouse_no"), &w.warehouse_no)?;
        text(&format!("{p}.name"), &w.name)?;
        let mut positions = HashSet::new();
        for (j, pos) in w.positions.iter().enumerate() {
            code(&format!("{p}.positions[{j}]"), pos)?;
            unique(&mut positions, pos.clone(), &format!("{p}.positions[{j}]"), pos)?;
        }
        if let Some(default) = &w.default_position
            && !positions.contains(default)
        {
            return Err(FixtureError::new(
                format!("{p}.default_position"),
                format!("{default} is not one of the warehouse's positions"),
            ));
        }
    }
    Ok(())
}

/// The `field` of every record of `section` is a code, unique in the section.
fn unique_codes<'a>(section: &str, field: &str, values: impl Iterator<Item = &'a str>) -> Result<(), FixtureError> {
    let mut seen = HashSet::new();
    for (i, value) in values.enumerate() {
        let p = format!("{section}[{i}].{field}");
        code(&p, value)?;
        unique(&mut seen, value.to_owned(), &p, value)?;
    }
    Ok(())
}

/// Unique goods numbers, and spec numbers unique across all goods.
fn check_goods(goods: &[GoodsFixture]) -> Result<(), FixtureError> {
    let mut seen = HashSet::new();
    let mut specs = HashSet::new();
    for (i, g) in goods.iter().enumerate() {
        let p = format!("goods[{i}]");
        code(&format!("{p}.goods_no"), &g.goods_no)?;
        unique(&mut seen, g.goods_no.clone(), &format!("{p}.goods_no"), &g.goods_no)?;
        for (j, s) in g.specs.iter().enumerate() {
            check_spec(&format!("{p}.specs[{j}]"), s, &mut specs)?;
        }
    }
    Ok(())
}

/// One spec (at path `sp`): its number, at most 6 props, positive unit ratios.
fn check_spec(sp: &str, s: &SpecFixture, specs: &mut HashSet<String>) -> Result<(), FixtureError> {
    code(&format!("{sp}.spec_no"), &s.spec_no)?;
    unique(specs, s.spec_no.clone(), &format!("{sp}.spec_no"), &s.spec_no)?;
    if s.props.len() > 6 {
        return Err(FixtureError::new(format!("{sp}.props"), "at most 6 props"));
    }
    for (k, u) in s.units.iter().enumerate() {
        if !u.ratio.is_positive() {
            return Err(FixtureError::new(format!("{sp}.units[{k}].ratio"), format!("must be > 0, got {}", u.ratio)));
        }
    }
    Ok(())
}

/// Batch numbers unique per spec, dates readable.
fn check_batches(batches: &[BatchFixture]) -> Result<(), FixtureError> {
    let mut seen = HashSet::new();
    for (i, b) in batches.iter().enumerate() {
        let p = format!("batches[{i}]");
        code(&format!("{p}.batch_no"), &b.batch_no)?;
        unique(&mut seen, (b.spec_no.clone(), b.batch_no.clone()), &format!("{p}.batch_no"), &b.batch_no)?;
        date(&format!("{p}.production_date"), b.production_date.as_deref())?;
        date(&format!("{p}.expire_date"), b.expire_date.as_deref())?;
    }
    Ok(())
}

/// Quantities and costs not negative; serial numbers, when given, one per unit.
fn check_stock(stock: &[StockFixture]) -> Result<(), FixtureError> {
    for (i, s) in stock.iter().enumerate() {
        let p = format!("stock[{i}]");
        if s.num.is_negative() {
            return Err(FixtureError::new(format!("{p}.num"), format!("must be ≥ 0, got {}", s.num)));
        }
        if s.cost_price.is_negative() {
            return Err(FixtureError::new(format!("{p}.cost_price"), format!("must be ≥ 0, got {}", s.cost_price)));
        }
        if !s.sn.is_empty() && Dec4::from_int(s.sn.len() as i64) != Some(s.num) {
            return Err(FixtureError::new(
                format!("{p}.sn"),
                format!("{} serial numbers for a quantity of {}", s.sn.len(), s.num),
            ));
        }
    }
    Ok(())
}

/// Unique purchase numbers, positive line quantities.
fn check_purchase_orders(orders: &[PurchaseOrderFixture]) -> Result<(), FixtureError> {
    let mut seen = HashSet::new();
    for (i, po) in orders.iter().enumerate() {
        let p = format!("purchase_orders[{i}]");
        code(&format!("{p}.purchase_no"), &po.purchase_no)?;
        unique(&mut seen, po.purchase_no.clone(), &format!("{p}.purchase_no"), &po.purchase_no)?;
        for (j, d) in po.details.iter().enumerate() {
            positive(&format!("{p}.details[{j}].num"), d.num)?;
        }
    }
    Ok(())
}

/// Unique tids, oids unique across all trades, positive item quantities.
fn check_trades(trades: &[TradeFixture]) -> Result<(), FixtureError> {
    let mut tids = HashSet::new();
    let mut oids = HashSet::new();
    for (i, t) in trades.iter().enumerate() {
        let p = format!("trades[{i}]");
        code(&format!("{p}.tid"), &t.tid)?;
        unique(&mut tids, t.tid.clone(), &format!("{p}.tid"), &t.tid)?;
        for (j, it) in t.items.iter().enumerate() {
            let ip = format!("{p}.items[{j}]");
            code(&format!("{ip}.oid"), &it.oid)?;
            unique(&mut oids, it.oid.clone(), &format!("{ip}.oid"), &it.oid)?;
            positive(&format!("{ip}.num"), it.num)?;
        }
    }
    Ok(())
}

/// Unique refund numbers; at least one item each, expecting a positive quantity of which at most
/// all is already received.
fn check_refund_orders(orders: &[RefundOrderFixture]) -> Result<(), FixtureError> {
    let mut seen = HashSet::new();
    for (i, r) in orders.iter().enumerate() {
        let p = format!("refund_orders[{i}]");
        code(&format!("{p}.refund_no"), &r.refund_no)?;
        unique(&mut seen, r.refund_no.clone(), &format!("{p}.refund_no"), &r.refund_no)?;
        if r.items.is_empty() {
            return Err(FixtureError::new(format!("{p}.items"), "a refund order needs at least one item"));
        }
        for (j, it) in r.items.iter().enumerate() {
            let ip = format!("{p}.items[{j}]");
            positive(&format!("{ip}.refund_num"), it.refund_num)?;
            if it.stockin_num.is_negative() || it.stockin_num > it.refund_num {
                return Err(FixtureError::new(
                    format!("{ip}.stockin_num"),
                    format!("must be between 0 and refund_num {}, got {}", it.refund_num, it.stockin_num),
                ));
            }
        }
    }
    Ok(())
}

fn code(path: &str, value: &str) -> Result<(), FixtureError> {
    if value.trim().is_empty() {
        return Err(FixtureError::new(path, "must not be empty"));
    }
    if value.chars().count() > MAX_NO_LEN {
        return Err(FixtureError::new(path, format!("longer than {MAX_NO_LEN} characters: {value}")));
    }
    Ok(())
}

fn text(path: &str, value: &str) -> Result<(), FixtureError> {
    if value.chars().count() > MAX_NAME_LEN {
        return Err(FixtureError::new(path, format!("longer than {MAX_NAME_LEN} characters")));
    }
    Ok(())
}

fn unique<T: std::hash::Hash + Eq>(seen: &mut HashSet<T>, key: T, path: &str, shown: &str) -> Result<(), FixtureError> {
    if seen.insert(key) { Ok(()) } else { Err(FixtureError::new(path, format!("duplicate {shown}"))) }
}

fn date(path: &str, value: Option<&str>) -> Result<(), FixtureError> {
    match value {
        Some(v) if !v.is_empty() => {
            parse_wire_time(v).map_err(|e| FixtureError::new(path, e.to_string()))?;
            Ok(())
        }
        _ => Ok(()),
    }
}

fn positive(path: &str, value: Dec4) -> Result<(), FixtureError> {
    if value.is_positive() { Ok(()) } else { Err(FixtureError::new(path, format!("must be > 0, got {value}"))) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC_EXAMPLE: &str = include_str!("../../../fixtures/spec-example.json");

    #[test]
    fn the_spec_example_parses() {
        let f = Fixture::parse(SPEC_EXAMPLE).unwrap();
        assert_eq!(f.sid, "acme");
        assert_eq!(f.apps.len(), 2);
        assert_eq!(f.goods[0].specs[0].units[0].ratio, Dec4::from_int(12).unwrap());
        assert_eq!(f.refund_orders[0].status, RefundOrderStatus::Checked);
    }

    #[test]
    fn bad_records_are_named_by_path() {
        let cases: &[(&str, &str)] = &[
            (r#"{"sid":""}"#, "sid"),
            (r#"{"sid":"a","apps":[{"dialect":"qjb","appkey":"x","appsecret":"s:t"}]}"#, "apps[0].key"),
            (r#"{"sid":"a","apps":[{"dialect":"qjb","key":"x","appsecret":"nosalt"}]}"#, "apps[0].appsecret"),
            (r#"{"sid":"a","apps":[{"dialect":"soap","key":"x","appsecret":"s:t"}]}"#, "apps[0].dialect"),
            (r#"{"sid":"a","warehouses":[{"warehouse_no":"W","name":"n","type":"moon"}]}"#, "warehouses[0].type"),
            (
                r#"{"sid":"a","warehouses":[{"warehouse_no":"W","name":"n","positions":["A"],"default_position":"B"}]}"#,
                "warehouses[0].default_position",
            ),
            (r#"{"sid":"a","stock":[{"warehouse_no":"W","spec_no":"S","num":"1.23456"}]}"#, "stock[0].num"),
            (r#"{"sid":"a","stock":[{"warehouse_no":"W","spec_no":"S","num":"-1"}]}"#, "stock[0].num"),
            (
                r#"{"sid":"a","batches":[{"spec_no":"S","batch_no":"B","expire_date":"2026/01/01"}]}"#,
                "batches[0].expire_date",
            ),
            (
                r#"{"sid":"a","refund_orders":[{"refund_no":"TK1","tid":"T","status":"open","items":[]}]}"#,
                "refund_orders[0].status",
            ),
            (
                r#"{"sid":"a","refund_orders":[{"refund_no":"TK1","tid":"T","status":"checked","items":[{"oid":"o","spec_no":"S","refund_num":"0"}]}]}"#,
                "refund_orders[0].items[0].refund_num",
            ),
            (r#"{"sid":"a","shops":[{"shop_no":"S","shop_name":"x","platform_id":127,"colour":1}]}"#, "shops[0]"),
            (r#"{"sid":"a","trades":[{"tid":"T","shop_no":"S"},{"tid":"T","shop_no":"S"}]}"#, "trades[1].tid"),
            (r#"{"sid":"a","trades":[{"tid":"T","shop_no":"S","platform":{"colour":1}}]}"#, "trades[0].platform"),
            (
                r#"{"sid":"a","refund_orders":[{"refund_no":"TK1","tid":"T","status":"checked","type":"swap"}]}"#,
                "refund_orders[0].type",
            ),
        ];
        for (json, path) in cases {
            let err = Fixture::parse(json).expect_err(json);
            assert!(err.path.starts_with(path), "{json}: got {err}");
        }
    }
}
