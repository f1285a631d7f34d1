//! The one-time message a page shows after an action redirected to it: kept for a minute in a
//! cookie signed for the session, shown once, then cleared.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

use super::session::{Session, admin_token, cookies, mac, same};
use crate::AppState;

const COOKIE: &str = "wdt_flash";

/// The longest message kept, in characters (each up to 9 bytes once percent-encoded).
const MAX_CHARS: usize = 300;

/// How the message reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tone {
    /// The action was done.
    Done,
    /// Nothing was done because it already had been (a second click).
    Already,
    /// The action was refused.
    Refused,
}

impl Tone {
    fn code(self) -> &'static str {
        match self {
            Tone::Done => "done",
            Tone::Already => "already",
            Tone::Refused => "refused",
        }
    }

    fn from_code(code: &str) -> Option<Tone> {
        [Tone::Done, Tone::Already, Tone::Refused].into_iter().find(|t| t.code() == code)
    }

    /// The CSS class of its banner.
    pub(super) fn class(self) -> &'static str {
        match self {
            Tone::Done => "flash ok",
            Tone::Already => "flash pending",
            Tone::Refused => "flash bad",
        }
    }
}

/// A message for the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Flash {
    /// How it reads.
    pub tone: Tone,
    /// What it says.
    pub message: String,
}

fn signature(token: &str, session: &Session, tone: Tone, message: &str) -> String {
    mac(token, "flash", &[session.id(), tone.code(), message])[..32].to_owned()
}

/// Adds `flash` to `response` (a redirect) for `session`'s next page.
pub(super) fn set(state: &AppState, session: &Session, response: &mut Response, flash: &Flash) {
    let Some(token) = admin_token(state) else { return };
    // A cookie holds about 4 KiB; a message is a sentence, and a longer one is cut.
    let message: String = flash.message.chars().take(MAX_CHARS).collect();
    let text: String = form_urlencoded::byte_serialize(message.as_bytes()).collect();
    let sig = signature(token, session, flash.tone, &message);
    let cookie =
        format!("{COOKIE}={}.{sig}.{text}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=60", flash.tone.code());
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// The flash `headers` carry for `session`, and whether they carry one at all (valid or not:
/// either way the page clears it).
pub(super) fn take(state: &AppState, session: &Session, headers: &HeaderMap) -> (Option<Flash>, bool) {
    let mut present = false;
    let found = cookies(headers, COOKIE).find_map(|value| {
        present = true;
        let token = admin_token(state)?;
        let mut parts = value.splitn(3, '.');
        let (tone, sig, text) = (Tone::from_code(parts.next()?)?, parts.next()?, parts.next()?);
        let message: String = form_urlencoded::parse(format!("m={text}").as_bytes()).next()?.1.into_owned();
        same(&signature(token, session, tone, &message), sig).then_some(Flash { tone, message })
    });
    (found, present)
}

/// Clears the flash cookie, once its page has shown it.
pub(super) fn clear(response: &mut Response) {
    let cookie = format!("{COOKIE}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}
