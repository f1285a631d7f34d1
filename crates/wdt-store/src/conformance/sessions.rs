//! Console sessions kept by the store.

use std::sync::Arc;

use crate::Store;

/// A session is live from its start until it expires or is ended; ending an unknown one is no
/// error; starting a session forgets the expired ones.
pub async fn a_console_session_lives_until_it_expires_or_ends(store: Arc<dyn Store>) {
    let now = 1_800_000_000_000;
    store.start_console_session("aa", now, now + 1000).await.unwrap();
    store.start_console_session("bb", now, now + 1000).await.unwrap();
    assert!(store.console_session_live("aa", now).await.unwrap());
    assert!(store.console_session_live("aa", now + 999).await.unwrap());
    assert!(!store.console_session_live("aa", now + 1000).await.unwrap(), "expired");
    assert!(!store.console_session_live("cc", now).await.unwrap(), "never started");
    store.end_console_session("aa").await.unwrap();
    assert!(!store.console_session_live("aa", now).await.unwrap(), "ended");
    assert!(store.console_session_live("bb", now).await.unwrap(), "the other one lives on");
    store.end_console_session("aa").await.unwrap();
    // A start after "bb" expired deletes it: even asked about an earlier time, it is gone.
    store.start_console_session("dd", now + 2000, now + 3000).await.unwrap();
    assert!(!store.console_session_live("bb", now).await.unwrap(), "expired sessions are forgotten");
    assert!(store.console_session_live("dd", now + 2000).await.unwrap());
}
