//! The bench end to end at a small size, against the `wdt-returns` binary next to it in the
//! target directory: `cargo test --workspace` builds it first; for `cargo test -p wdt-bench` alone,
//! `cargo build -p wdt-cli` does (the bench says so when it is missing).

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_wdt-bench");

#[test]
fn the_bench_runs_end_to_end_at_a_small_size() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["--orders", "40", "--seconds", "1", "--connections", "4"])
        .args(["--query-orders", "400", "--query-seconds", "1"])
        .current_dir(dir.path())
        .env_remove("RUST_LOG")
        .output()
        .expect("run wdt-bench");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text} {}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("| SQLite | 40 | 4 |") && text.contains("| ok |"), "{text}");
    assert!(text.contains("writer busy"), "{text}");
    assert!(!text.contains("reran one at a time"), "pushes were created in groups: {text}");
    // The query phase grew the 40 stock-ins to 400 through the store and read pages without an
    // error.
    assert!(text.contains("| SQLite | 400 |") && text.contains("| 0 |"), "{text}");
}
