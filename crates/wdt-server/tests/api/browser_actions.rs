//! A warehouse's day in a real browser: headless Chromium logs in, checks a pending stock-in
//! pushed through the API, cancels an unchecked purchase return (accepting the confirmation),
//! finds trade T-DEMO-8 with the search box and ships it from WH1, and sees the stock page
//! change (MUG-RED at WH1 A-01, 100 → 98), all by clicking. Screenshots of each page are saved
//! (to `WDT_CONSOLE_SHOTS` when set). Skipped with a message when chromedriver is missing,
//! except under `CI=true`.

use std::io::Write;

use crate::browser::{Driver, chromedriver};
use crate::console_client::*;

#[tokio::test]
async fn a_browser_checks_a_stockin_cancels_a_purchase_return_and_ships_a_trade() {
    let Some(driver_path) = chromedriver() else {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI=true needs chromedriver (.ci/run installs it)");
        let _ = writeln!(std::io::stderr(), "skipped the browser test: install chromium and chromium-driver to run it");
        return;
    };
    let app = spawn_console_app().await;
    let order_no = push_pending_stockin(&app, "WEB-PENDING", 2).await;
    push_unchecked_purchase_return(&app, "PR-WEB-1", 2).await;
    let base = app.url();

    let d = Driver::start(driver_path).await;
    d.resize(1280, 900).await;
    d.go(&format!("{base}/console/login")).await;
    let input = d.find("css selector", "input[name=token]").await;
    d.type_into(&input, TOKEN).await;
    d.click(&d.find("css selector", "button[type=submit]").await).await;
    assert!(d.text_containing("控制台 Console").await.contains("审计日志 Audit log"), "logged in");
    let mut shots = vec![d.screenshot("01-home").await];

    // The pending stock-in: from the list to its page, then 审核.
    d.go(&format!("{base}/console/stockins?sid=demo")).await;
    assert!(d.text_containing(&order_no).await.contains("30 待审核 pending"));
    shots.push(d.screenshot("02-stockins").await);
    d.click(&d.find("link text", &order_no).await).await;
    let page = d.text_containing("制单人 created_by").await;
    assert!(page.contains(&format!("入库单 Stock-in {order_no}")) && page.contains("WEB-PENDING"), "{page}");
    shots.push(d.screenshot("03-stockin-pending").await);
    d.click(&d.find("css selector", "form[action$='/check'] button").await).await;
    let checked = d.text_containing("→ 80 已完成 completed").await;
    assert!(checked.contains("审核入库单 Check stock-in"), "{checked}");
    assert_eq!(d.text_at("//dt[.='审核人 checked_by']/following-sibling::dd[1]", "console").await, "console");
    shots.push(d.screenshot("04-stockin-checked").await);

    // The unchecked purchase return: 取消, confirmed in the dialog.
    d.go(&format!("{base}/console/purchase-returns?sid=demo")).await;
    d.click(&d.find("link text", "PR-WEB-1").await).await;
    assert!(d.text_containing("20 编辑中 editing").await.contains("PR-WEB-1"));
    shots.push(d.screenshot("05-purchase-return").await);
    d.click(&d.find("css selector", "form[action$='/cancel'] button").await).await;
    d.accept_alert().await;
    let cancelled = d.text_containing("→ 10 已取消 cancelled").await;
    assert!(cancelled.contains("取消采购退货单 Cancel purchase return PR-WEB-1"), "{cancelled}");
    shots.push(d.screenshot("06-purchase-return-cancelled").await);

    // The stock before shipping.
    let a01 = "//tr[td[2]='WH1' and td[3]='MUG-RED' and td[6]='A-01']/td[7]";
    d.go(&format!("{base}/console/stock?sid=demo")).await;
    assert_eq!(d.text_at(a01, "100").await, "100");
    shots.push(d.screenshot("07-stock-before").await);

    // The search box finds the trade; 发货 from WH1, the warehouse it offers first.
    let q = d.find("css selector", "form.search input[name=q]").await;
    d.type_into(&q, "T-DEMO-8").await;
    d.click(&d.find("css selector", "form.search button").await).await;
    let trade = d.text_containing("订单 Trade T-DEMO-8").await;
    assert!(trade.contains("待发货 unshipped") && trade.contains("WH1 — MUG-RED"), "{trade}");
    shots.push(d.screenshot("08-trade").await);
    d.click(&d.find("css selector", "form[action$='/ship'] button").await).await;
    let shipped = d.text_containing("已发货 shipped").await;
    assert!(shipped.contains("发货 Ship trade T-DEMO-8") && shipped.contains("CK"), "{shipped}");
    shots.push(d.screenshot("09-trade-shipped").await);

    d.go(&format!("{base}/console/stock?sid=demo")).await;
    assert_eq!(d.text_at(a01, "98").await, "98", "two mugs left WH1");
    shots.push(d.screenshot("10-stock-after").await);

    d.go(&format!("{base}/console/audit")).await;
    let audit = d.text_containing("发货 Ship trade").await;
    for action in ["审核入库单 Check stock-in", "取消采购退货单 Cancel purchase return", "发货 Ship trade"]
    {
        assert!(audit.contains(action), "{action} in the audit log: {audit}");
    }
    shots.push(d.screenshot("11-audit").await);
    d.go(&format!("{base}/console/refunds/demo/TK-DEMO-4")).await;
    assert!(d.text_containing("审核 Review").await.contains("20 待审核 pending review"));
    shots.push(d.screenshot("12-refund-pending").await);

    d.call("DELETE", &format!("/session/{}", d.session), None).await;
    let _ = writeln!(
        std::io::stderr(),
        "console screenshots: {}",
        shots.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" ")
    );
    assert!(app.store.verify().await.unwrap().is_ok());
}
