//! The console's buttons over HTTP: every action form needs the session's CSRF token; each
//! button does its action once (a second press says so and changes nothing); refusals read as
//! the store words them; lists page by 50; the search box finds documents by number.

use wdt_domain::model::StockinStatus;
use wdt_protocol::Dec4;
use wdt_store::{AuditFilter, DocumentFilter, StockinListFilter};

use crate::console_client::*;
use crate::helpers::*;

fn d(s: &str) -> Dec4 {
    Dec4::parse(s).unwrap()
}

async fn on_hand(app: &TestApp, spec: &str, position: &str) -> Dec4 {
    let lines = app.store.stock_of("demo", spec).await.unwrap();
    let line = lines.iter().find(|l| l.warehouse_no == "WH1" && l.position_no == position && !l.defect);
    line.map(|l| l.num).unwrap_or(Dec4::ZERO)
}

async fn stockin_status(app: &TestApp, order_no: &str) -> i64 {
    app.store.stockin("demo", order_no).await.unwrap().expect("the stock-in").summary.status
}

async fn audit_rows(app: &TestApp) -> usize {
    app.store.audit(&AuditFilter { limit: 10_000, ..AuditFilter::default() }).await.unwrap().len()
}

#[tokio::test]
async fn an_action_without_the_sessions_csrf_token_is_forbidden_and_does_nothing() {
    let app = spawn_console_app().await;
    let order_no = push_pending_stockin(&app, "CSRF-1", 1).await;
    let check = format!("/console/stockins/demo/{order_no}/check");
    let console = Console::login(&app).await;
    assert!(!console.cookie.contains(TOKEN), "the cookie is a session, not the token: {}", console.cookie);
    let page = console.page(&format!("/console/stockins/demo/{order_no}")).await;
    let token = csrf_of(&page);
    assert!(page.contains(&format!("action=\"{check}\"")), "the page has the button: {page}");

    let other = Console::login(&app).await;
    let others_token = csrf_of(&other.page("/console").await);
    assert_ne!(token, others_token, "each session its own token");
    for (name, fields) in [
        ("no token", vec![]),
        ("an empty token", vec![("csrf", "")]),
        ("a wrong token", vec![("csrf", "0123456789abcdef")]),
        ("another session's token", vec![("csrf", others_token.as_str())]),
        ("the token twice", vec![("csrf", token.as_str()), ("csrf", token.as_str())]),
    ] {
        let posted = console.post_raw(&check, &fields).await;
        assert_eq!(posted.status, 403, "{name}: {}", posted.body);
        assert!(posted.flash.is_none(), "{name}");
    }
    // Without a session at all: 401, before the form is read.
    let anonymous = app.http.post(format!("{}{check}", app.url())).form(&[("csrf", token.as_str())]).send().await;
    assert_eq!(anonymous.unwrap().status().as_u16(), 401);
    // A bearer script without the token's form field is refused too.
    let bearer = app.http.post(format!("{}{check}", app.url())).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(bearer.status().as_u16(), 403);
    assert_eq!(stockin_status(&app, &order_no).await, StockinStatus::PendingReview.code(), "nothing was checked");
    assert_eq!(audit_rows(&app).await, 0, "nothing was done");

    // With it, the same form goes through.
    let posted = console.post_raw(&check, &[("csrf", token.as_str())]).await;
    assert_eq!((posted.status, posted.location.as_str()), (303, format!("/console/stockins/demo/{order_no}").as_str()));
    assert_eq!(stockin_status(&app, &order_no).await, StockinStatus::Completed.code());
    // Its flash is signed for this session: altered, or shown to another session, it is not shown.
    let flash = posted.flash.expect("a flash");
    let forged = flash.replacen("wdt_flash=done.", "wdt_flash=refused.", 1);
    assert_ne!(forged, flash);
    assert!(flash_of(&console.get_with(&posted.location, Some(&forged)).await.1).is_none(), "forged");
    assert!(flash_of(&other.get_with(&posted.location, Some(&flash)).await.1).is_none(), "another session's");
    assert!(flash_of(&console.get_with(&posted.location, Some(&flash)).await.1).unwrap().contains("→ 80"));

    // Logging out needs the token as well, and drops the cookie.
    assert_eq!(console.post_raw("/console/logout", &[]).await.status, 403);
    let out = console.post_raw("/console/logout", &[("csrf", token.as_str())]).await;
    assert_eq!((out.status, out.location.as_str()), (303, "/console/login"));
}

#[tokio::test]
async fn refund_order_buttons_review_and_cancel_once() {
    let app = spawn_console_app().await;
    let console = Console::login(&app).await;
    let here = "/console/refunds/demo/TK-DEMO-4";
    let page = console.page(here).await;
    assert!(page.contains("badge pending") && page.contains("20 待审核 pending review"), "{page}");
    assert!(page.contains("/review\"") && page.contains("/cancel\""), "both buttons while pending");

    let reviewed = console.press(here, &format!("{here}/review"), &[]).await;
    let flash = flash_of(&reviewed).expect("a flash");
    assert!(flash.contains("审核退换单") && flash.contains("20 待审核 pending review → 30 已审核 checked"), "{flash}");
    assert!(reviewed.contains("flash ok") && reviewed.contains("badge ok"), "green: {reviewed}");
    assert!(!reviewed.contains("/review\""), "no review button once reviewed");

    // The second press of the same button (a double click, a stale tab) changes nothing and says so.
    let again = console.press(here, &format!("{here}/review"), &[]).await;
    let flash = flash_of(&again).expect("a flash");
    assert!(flash.contains("已处理过") && flash.contains("不能审核"), "{flash}");
    assert!(again.contains("flash pending"), "amber, not an error: {again}");
    assert_eq!(audit_rows(&app).await, 1, "applied once");

    // The flash shows once: the page clears it, and a reload shows none.
    assert!(flash_of(&console.page(here).await).is_none());

    let cancelled = console.press(here, &format!("{here}/cancel"), &[]).await;
    assert!(flash_of(&cancelled).unwrap().contains("30 已审核 checked → 10 已取消 cancelled"), "{cancelled}");
    assert!(cancelled.contains("badge off"), "grey once cancelled");
    let list = app.store.list_refund_orders(&DocumentFilter::seller("demo", 100)).await.unwrap();
    assert_eq!(list.iter().find(|r| r.refund_no == "TK-DEMO-4").unwrap().status, 10);

    // A refusal reads as the store words it, in red.
    let received = "/console/refunds/demo/TK-DEMO-3";
    let refused = console.press(received, &format!("{received}/cancel"), &[]).await;
    let flash = flash_of(&refused).unwrap();
    assert!(flash.contains("被拒绝 refused") && flash.contains("不能取消"), "{flash}");
    assert!(refused.contains("flash bad"));
}

#[tokio::test]
async fn stockin_buttons_check_and_cancel_and_the_page_shows_its_header() {
    let app = spawn_console_app().await;
    let console = Console::login(&app).await;
    let checked = push_pending_stockin(&app, "BTN-1", 2).await;
    let cancelled = push_pending_stockin(&app, "BTN-2", 1).await;
    let here = format!("/console/stockins/demo/{checked}");
    let page = console.page(&here).await;
    for text in
        ["30 待审核 pending", "badge pending", "/console/refunds/demo/TK-DEMO-1", "WH1", "BTN-1", "demo-qjb", "A-02"]
    {
        assert!(page.contains(text), "{text} on {page}");
    }
    let before = on_hand(&app, "MUG-RED", "A-02").await;

    let done = console.press(&here, &format!("{here}/check"), &[]).await;
    assert!(flash_of(&done).unwrap().contains("30 待审核 pending → 80 已完成 completed"), "{done}");
    assert!(done.contains("80 已完成 completed") && done.contains("badge ok"));
    assert!(done.contains("<dd>console</dd>"), "checked by the console: {done}");
    assert_eq!(on_hand(&app, "MUG-RED", "A-02").await, before.checked_add(d("2")).unwrap());

    let again = console.press(&here, &format!("{here}/check"), &[]).await;
    assert!(flash_of(&again).unwrap().contains("已处理过"), "{again}");
    assert_eq!(on_hand(&app, "MUG-RED", "A-02").await, before.checked_add(d("2")).unwrap(), "checked once");

    let there = format!("/console/stockins/demo/{cancelled}");
    let gone = console.press(&there, &format!("{there}/cancel"), &[]).await;
    assert!(flash_of(&gone).unwrap().contains("→ 10 已取消 cancelled"), "{gone}");
    assert_eq!(stockin_status(&app, &cancelled).await, StockinStatus::Cancelled.code());
    // Checking a cancelled stock-in is a refusal, not a repeat.
    let refused = console.press(&there, &format!("{there}/check"), &[]).await;
    assert!(flash_of(&refused).unwrap().contains("被拒绝 refused"), "{refused}");
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn purchase_return_buttons_check_and_cancel() {
    let app = spawn_console_app().await;
    let console = Console::login(&app).await;
    push_unchecked_purchase_return(&app, "PR-BTN-1", 3).await;
    push_unchecked_purchase_return(&app, "PR-BTN-2", 1).await;
    let list = console.page("/console/purchase-returns?sid=demo").await;
    assert!(list.contains("/console/purchase-returns/demo/PR-BTN-1"), "{list}");

    let here = "/console/purchase-returns/demo/PR-BTN-1";
    let page = console.page(here).await;
    assert!(page.contains("20 编辑中 editing") && page.contains("未出库"), "{page}");
    let before = on_hand(&app, "MUG-BLUE", "A-02").await;
    let done = console.press(here, &format!("{here}/check"), &[]).await;
    assert!(flash_of(&done).unwrap().contains("20 编辑中 editing → 40 已审核 checked"), "{done}");
    assert!(done.contains("3 采购退货") && done.contains("-3"), "the ledger rows it wrote: {done}");
    assert_eq!(on_hand(&app, "MUG-BLUE", "A-02").await, before.checked_sub(d("3")).unwrap());
    let again = console.press(here, &format!("{here}/check"), &[]).await;
    assert!(flash_of(&again).unwrap().contains("已处理过"));
    assert_eq!(on_hand(&app, "MUG-BLUE", "A-02").await, before.checked_sub(d("3")).unwrap(), "out once");

    let there = "/console/purchase-returns/demo/PR-BTN-2";
    let gone = console.press(there, &format!("{there}/cancel"), &[]).await;
    assert!(flash_of(&gone).unwrap().contains("→ 10 已取消 cancelled"), "{gone}");
    assert!(gone.contains("badge off"));
    let (status, _) = console.get("/console/purchase-returns/demo/PR-NONE").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_trade_ships_from_the_chosen_warehouse_once() {
    let app = spawn_console_app().await;
    let console = Console::login(&app).await;
    let list = console.page("/console/trades?sid=demo").await;
    assert!(list.contains("/console/trades/demo/T-DEMO-8") && list.contains("待发货 unshipped"), "{list}");
    let here = "/console/trades/demo/T-DEMO-8";
    let page = console.page(here).await;
    assert!(page.contains("<option value=\"WH1\" selected"), "WH1 holds all of it, offered first: {page}");
    assert!(page.contains("MUG-RED ×2") || page.contains("MILK-1L"), "{page}");
    let mugs = app.store.stock_of("demo", "MUG-RED").await.unwrap();
    let total = |lines: &[wdt_store::StockLineView]| {
        lines.iter().filter(|l| l.warehouse_no == "WH1").fold(Dec4::ZERO, |a, l| a.checked_add(l.num).unwrap())
    };
    let before = total(&mugs);

    // From a warehouse without the goods: refused, in red, nothing moves.
    let short = console.press(here, &format!("{here}/ship"), &[("warehouse_no", "WH2")]).await;
    let flash = flash_of(&short).unwrap();
    assert!(flash.contains("被拒绝 refused") && short.contains("flash bad"), "{flash}");
    assert!(short.contains("/ship\""), "still unshipped");

    let shipped = console.press(here, &format!("{here}/ship"), &[("warehouse_no", "WH1")]).await;
    let flash = flash_of(&shipped).unwrap();
    assert!(flash.contains("发货 Ship trade") && flash.contains("CK"), "names its stock-out: {flash}");
    assert!(shipped.contains("已发货 shipped") && !shipped.contains("/ship\""), "{shipped}");
    let after = total(&app.store.stock_of("demo", "MUG-RED").await.unwrap());
    assert_eq!(after, before.checked_sub(d("2")).unwrap());

    // The second post (the form of a stale page) ships nothing more.
    let token = csrf_of(&shipped);
    let posted = console.post_raw(&format!("{here}/ship"), &[("csrf", &token), ("warehouse_no", "WH1")]).await;
    assert_eq!(posted.status, 303);
    let (_, again) = console.get_with(here, posted.flash.as_deref()).await;
    assert!(flash_of(&again).unwrap().contains("已处理过"), "{again}");
    assert_eq!(total(&app.store.stock_of("demo", "MUG-RED").await.unwrap()), after);

    let trade = app.store.trade("demo", "T-DEMO-8").await.unwrap().unwrap();
    assert!(trade.shipped && trade.warehouse_no == "WH1", "{trade:?}");
    assert!(app.store.verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn the_count_form_sets_a_line_and_refuses_what_is_not_a_count() {
    let app = spawn_console_app().await;
    let console = Console::login(&app).await;
    let here = "/console/stock?sid=demo&spec_no=MUG-RED";
    let line = [
        ("sid", "demo"),
        ("warehouse_no", "WH1"),
        ("spec_no", "MUG-RED"),
        ("defect", "false"),
        ("batch_no", ""),
        ("position_no", "A-01"),
        ("back", here),
    ];
    let with = |num: &'static str| {
        let mut f = line.to_vec();
        f.push(("num", num));
        f
    };
    let counted = console.press(here, "/console/stock/adjust", &with("97")).await;
    assert!(flash_of(&counted).unwrap().contains("盘点 Stock count WH1/MUG-RED/正品//A-01"), "{counted}");
    assert!(counted.contains(">97<"), "the line reads 97: {counted}");
    assert_eq!(on_hand(&app, "MUG-RED", "A-01").await, d("97"));
    let ledger = app.store.ledger_of("demo", "MUG-RED").await.unwrap();
    let row = ledger.last().unwrap();
    assert_eq!((row.doc_type, row.num_before, row.num_change), (4, d("100"), d("-3")));

    for (num, says) in [("-1", "数量不能为负"), ("lots", "数量无效 num: lots")] {
        let refused = console.press(here, "/console/stock/adjust", &with(num)).await;
        let flash = flash_of(&refused).unwrap();
        assert!(flash.contains("被拒绝 refused") && flash.contains(says), "{num}: {flash}");
        assert!(refused.contains("flash bad"));
    }
    let mut unknown = with("1");
    unknown[1] = ("warehouse_no", "WH-NONE");
    let refused = console.press(here, "/console/stock/adjust", &unknown).await;
    assert!(flash_of(&refused).unwrap().contains("仓库不存在 warehouse_no: WH-NONE"), "{refused}");
    assert_eq!(on_hand(&app, "MUG-RED", "A-01").await, d("97"), "refusals change nothing");

    // The form only sends the operator back to a stock page.
    let token = csrf_of(&console.page(here).await);
    for back in ["https://example.invalid/", "//example.invalid/console/stock", "/console/stock\r\nX-Evil: 1"] {
        let mut fields = vec![("csrf", token.as_str())];
        fields.extend(with("97"));
        fields[7] = ("back", back);
        let posted = console.post_raw("/console/stock/adjust", &fields).await;
        assert_eq!((posted.status, posted.location.as_str()), (303, "/console/stock"), "{back:?}");
    }

    // The audit page lists what was done, newest first.
    let audit = console.page("/console/audit?sid=demo").await;
    assert!(audit.contains("stock.adjust") && audit.contains("console"), "{audit}");
    assert!(audit.contains(">100<") && audit.contains(">97<"), "before → after: {audit}");
}

#[tokio::test]
async fn every_list_pages_by_fifty_and_keeps_its_filters() {
    let app = spawn_console_app().await;
    let console = Console::login(&app).await;
    for n in 0..55 {
        push_pending_stockin(&app, &format!("PAGE-{n:02}"), 1).await;
    }
    let all = StockinListFilter { sid: Some("demo".into()), limit: 1000, ..StockinListFilter::default() };
    let total = app.store.list_stockins(&all).await.unwrap().len();
    assert!(total >= 55);
    let rows = |page: &str| page.matches("<a class=\"no\" href=\"/console/stockins/demo/").count();

    let first = console.page("/console/stockins?sid=demo&warehouse_no=WH1").await;
    assert_eq!(rows(&first), 50, "{first}");
    assert!(first.contains("PAGE-54") && !first.contains("PAGE-04"), "newest first");
    assert!(!first.contains("rel=\"prev\""));
    let next = first.split("rel=\"next\" href=\"").nth(1).expect("a next link").split('"').next().unwrap();
    let next = next.replace("&amp;", "&");
    assert_eq!(next, "/console/stockins?sid=demo&warehouse_no=WH1&page=2", "filters kept");
    let second = console.page(&next).await;
    assert_eq!(rows(&second), total - 50);
    assert!(second.contains("PAGE-00") && second.contains("rel=\"prev\"") && !second.contains("rel=\"next\""));
    assert!(second.contains("第 2 页 page 2 · 51–"), "{second}");

    // Every other list pages the same way: page 2 of a short list is empty and links back.
    for list in [
        "/console/refunds?sid=demo",
        "/console/purchase-returns?sid=demo",
        "/console/trades?sid=demo",
        "/console/stock?sid=demo",
        "/console/ledger?sid=demo",
        "/console/audit?sid=demo",
    ] {
        let one = console.page(list).await;
        assert!(one.contains("第 1 页 page 1") && !one.contains("rel=\"next\""), "{list}: {one}");
        let two = console.page(&format!("{list}&page=2")).await;
        assert!(two.contains("rel=\"prev\"") && two.contains("无记录 nothing here"), "{list}: {two}");
    }
    // The request log has more than 50 calls now.
    let requests = console.page("/console/requests").await;
    assert!(requests.contains("rel=\"next\" href=\"/console/requests?page=2\""), "55 pushes: {requests}");
    assert!(console.page("/console/requests?page=2").await.matches("createOrder").count() == 5);
    // A page that is not a number is the first page.
    assert_eq!(rows(&console.page("/console/stockins?sid=demo&page=x").await), 50);

    // The store pages the same lists by offset.
    let page = |offset| DocumentFilter { sid: Some("demo".into()), offset, limit: 2, number: None };
    let a = app.store.list_refund_orders(&page(0)).await.unwrap();
    let b = app.store.list_refund_orders(&page(2)).await.unwrap();
    assert_eq!((a.len(), b.len()), (2, 2));
    assert!(a.iter().all(|r| b.iter().all(|s| s.refund_no != r.refund_no)), "disjoint pages");
}

#[tokio::test]
async fn the_search_box_jumps_to_the_document_or_says_not_found() {
    let app = spawn_console_app().await;
    let console = Console::login(&app).await;
    let order_no = push_pending_stockin(&app, "FIND-1", 1).await;
    push_unchecked_purchase_return(&app, "PR-FIND", 1).await;
    assert!(console.page("/console").await.contains("action=\"/console/search\""), "the box is on every page");
    for (q, to) in [
        ("TK-DEMO-4", "/console/refunds/demo/TK-DEMO-4".to_owned()),
        (" T-DEMO-8 ", "/console/trades/demo/T-DEMO-8".to_owned()),
        (order_no.as_str(), format!("/console/stockins/demo/{order_no}")),
        ("PR-FIND", "/console/purchase-returns/demo/PR-FIND".to_owned()),
    ] {
        let r = console
            .http
            .get(format!("{}/console/search", console.base))
            .query(&[("q", q)])
            .header("Cookie", &console.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303, "{q}");
        assert_eq!(r.headers()["location"].to_str().unwrap(), to, "{q}");
    }
    let (status, page) = console.get("/console/search?q=NO-SUCH-1").await;
    assert_eq!(status, 404);
    assert!(page.contains("未找到 Not found") && page.contains("NO-SUCH-1"), "{page}");
    assert!(page.contains("value=\"NO-SUCH-1\""), "the box keeps what was typed");
    let (status, _) = console.get("/console/search?q=").await;
    assert_eq!(status, 303, "an empty search goes home");
    let (status, _) = app
        .http
        .get(format!("{}/console/search?q=TK-DEMO-4", app.url()))
        .send()
        .await
        .map(|r| (r.status().as_u16(), ()))
        .unwrap();
    assert_eq!(status, 401);
}
