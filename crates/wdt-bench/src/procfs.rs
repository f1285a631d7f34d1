//! CPU time per thread and peak memory of a process, from Linux's `/proc`.

/// CPU seconds (user + system) per thread name of process `pid`, busiest first.
pub fn thread_cpu(pid: u32) -> Vec<(String, f64)> {
    let tick = 100.0; // USER_HZ on Linux
    let mut by_name: std::collections::BTreeMap<String, f64> = Default::default();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return Vec::new() };
    for t in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(t.path().join("stat")) else { continue };
        // The name is in parentheses and may hold spaces; the fields after it are fixed.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { continue };
        let name = stat[open + 1..close].to_owned();
        let fields: Vec<&str> = stat[close + 2..].split_whitespace().collect();
        let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        // utime and stime are fields 14 and 15 of stat; 11 and 12 after the name.
        *by_name.entry(name).or_default() += (ticks(11) + ticks(12)) / tick;
    }
    let mut v: Vec<_> = by_name.into_iter().collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    v
}

/// CPU seconds of every thread of this process together.
pub fn own_cpu() -> f64 {
    thread_cpu(std::process::id()).iter().map(|t| t.1).sum()
}

/// The peak resident set of process `pid` in KiB (`VmHWM`).
pub fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

/// A peak RSS as the tables show it.
pub fn megabytes(kb: Option<u64>) -> String {
    kb.map(|kb| format!("{:.0} MB", kb as f64 / 1024.0)).unwrap_or_else(|| "?".into())
}
