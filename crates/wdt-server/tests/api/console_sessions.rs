//! Console sessions kept by the server: logout ends them (a copied cookie too), they expire,
//! every server over the database knows them, and the cookie is `Secure` behind HTTPS.

use std::time::Duration;

use wdt_server::{AppState, RateLimits, Server, ServerConfig};

use crate::console_client::{Console, TOKEN, csrf_of, spawn_console_app};
use crate::helpers::*;

async fn status_with(app_url: &str, cookie: &str) -> u16 {
    let r = reqwest::Client::new().get(format!("{app_url}/console")).header("Cookie", cookie).send().await.unwrap();
    r.status().as_u16()
}

#[tokio::test]
async fn after_logout_a_copy_of_the_cookie_is_refused() {
    let app = spawn_console_app().await;
    let console = Console::login(&app).await;
    let copied = console.cookie.clone();
    assert!(!copied.contains(TOKEN), "the cookie is not the token");
    assert_eq!(copied.len(), "wdt_console=".len() + 64, "a random id and nothing else: {copied}");
    assert_eq!(status_with(&app.url(), &copied).await, 200);
    let token = csrf_of(&console.page("/console").await);
    let out = console.post_raw("/console/logout", &[("csrf", token.as_str())]).await;
    assert_eq!((out.status, out.location.as_str()), (303, "/console/login"));
    assert_eq!(status_with(&app.url(), &copied).await, 401, "ended on the server, not only in the browser");
    // A second login is a new session; the ended one stays ended.
    let again = Console::login(&app).await;
    assert_ne!(again.cookie, copied);
    assert_eq!(status_with(&app.url(), &again.cookie).await, 200);
    assert_eq!(status_with(&app.url(), &copied).await, 401);
}

#[tokio::test]
async fn an_expired_session_is_refused() {
    let app = spawn_app_with(ServerConfig {
        admin_token: Some(TOKEN.into()),
        rate_limits: RateLimits::off(),
        console_session_ttl: Duration::from_secs(1),
        ..ServerConfig::default()
    })
    .await;
    let console = Console::login(&app).await;
    assert_eq!(console.get("/console").await.0, 200);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(console.get("/console").await.0, 401, "expired on the server, whatever the browser keeps");
}

#[tokio::test]
async fn a_second_server_over_the_same_database_knows_the_session_and_its_logout() {
    let app = spawn_console_app().await;
    let config = ServerConfig { admin_token: Some(TOKEN.into()), ..ServerConfig::default() };
    let other = Server::bind("127.0.0.1:0".parse().unwrap(), AppState::new(app.store.clone(), config)).await.unwrap();
    let other_url = format!("http://{}", other.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(other.run(async {
        let _ = stopped.await;
    }));
    let console = Console::login(&app).await;
    assert_eq!(status_with(&other_url, &console.cookie).await, 200, "a login on one server opens the other");
    let token = csrf_of(&console.page("/console").await);
    assert_eq!(console.post_raw("/console/logout", &[("csrf", token.as_str())]).await.status, 303);
    assert_eq!(status_with(&other_url, &console.cookie).await, 401, "and logging out ends it there too");
    let _ = stop.send(());
    running.await.unwrap().unwrap();
}

#[tokio::test]
async fn the_cookie_is_secure_behind_a_proxy_that_says_https() {
    let app = spawn_console_app().await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let login = |proto: Option<&'static str>| {
        let mut r = http.post(format!("{}/console/login", app.url())).form(&[("token", TOKEN)]);
        if let Some(p) = proto {
            r = r.header("X-Forwarded-Proto", p);
        }
        r.send()
    };
    let set_cookie = |r: &reqwest::Response| r.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    let plain = set_cookie(&login(None).await.unwrap());
    assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Strict") && plain.contains("Max-Age=43200"));
    assert!(!plain.contains("Secure"), "{plain}");
    let proxied = set_cookie(&login(Some("https")).await.unwrap());
    assert!(proxied.contains("; Secure"), "{proxied}");
    let http_proxied = set_cookie(&login(Some("http")).await.unwrap());
    assert!(!http_proxied.contains("Secure"), "{http_proxied}");
}
