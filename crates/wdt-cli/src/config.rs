//! The TOML configuration file (`--config FILE` or `WDT_CONFIG`).
//!
//! Each key is the name of a long flag (`listen = "0.0.0.0:8080"`, `rate-limit-per-minute = 600`,
//! `fixture = ["a.json", "b.json"]`). A key becomes the value of the flag's `WDT_*` variable
//! unless that variable is already set, so the order of precedence is: flags, then environment,
//! then the file, then the built-in defaults.

use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::{Context, bail};

/// Keys the file may hold, and the variable each feeds.
const KEYS: &[(&str, &str)] = &[
    ("listen", "WDT_LISTEN"),
    ("database", "WDT_DATABASE_URL"),
    ("replica-url", "WDT_REPLICA_URL"),
    ("fixture", "WDT_FIXTURE"),
    ("demo", "WDT_DEMO"),
    ("test-mode", "WDT_TEST_MODE"),
    ("body-limit", "WDT_BODY_LIMIT"),
    ("rate-limit-per-minute", "WDT_RATE_LIMIT_PER_MINUTE"),
    ("rate-limit-concurrent", "WDT_RATE_LIMIT_CONCURRENT"),
    ("max-in-flight", "WDT_MAX_IN_FLIGHT"),
    ("pg-max-connections", "WDT_PG_MAX_CONNECTIONS"),
    ("pg-acquire-timeout", "WDT_PG_ACQUIRE_TIMEOUT"),
    ("secret-key-file", "WDT_SECRET_KEY_FILE"),
    ("log-format", "WDT_LOG_FORMAT"),
    ("admin-token", "WDT_ADMIN_TOKEN"),
];

/// The config file named on the command line or by `WDT_CONFIG`, if any.
fn config_path(args: &[OsString]) -> Option<PathBuf> {
    let mut it = args.iter().map(|a| a.to_string_lossy().into_owned());
    while let Some(arg) = it.next() {
        if arg == "--config" {
            return it.next().map(PathBuf::from);
        }
        if let Some(path) = arg.strip_prefix("--config=") {
            return Some(PathBuf::from(path));
        }
    }
    std::env::var_os("WDT_CONFIG").map(PathBuf::from)
}

/// The variables a config file's text sets, in file order; unknown keys and nested tables are
/// refused, naming the key.
pub fn variables(text: &str) -> anyhow::Result<Vec<(&'static str, String)>> {
    let table: toml::Table = toml::from_str(text).context("not valid TOML")?;
    let mut out = Vec::new();
    for (key, value) in table {
        let Some((_, var)) = KEYS.iter().find(|(k, _)| *k == key.replace('_', "-")) else {
            let known: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
            bail!("unknown key `{key}` (known: {})", known.join(", "));
        };
        let text = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            toml::Value::Array(items) => items
                .into_iter()
                .map(|v| match v {
                    toml::Value::String(s) => Ok(s),
                    other => bail!("`{key}`: list items must be strings, got {other:?}"),
                })
                .collect::<anyhow::Result<Vec<_>>>()?
                .join(","),
            other => bail!("`{key}`: unsupported value {other:?}"),
        };
        out.push((*var, text));
    }
    Ok(out)
}

/// Loads the config file, if one is named, into the environment. Must run before any thread
/// starts.
pub fn apply(args: &[OsString]) -> anyhow::Result<()> {
    let Some(path) = config_path(args) else { return Ok(()) };
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading config {}", path.display()))?;
    for (var, value) in variables(&text).with_context(|| format!("config {}", path.display()))? {
        if std::env::var_os(var).is_none() {
            // SAFETY: called first thing in `main`, before the runtime or any other thread
            // exists, so nothing reads the environment concurrently.
            unsafe { std::env::set_var(var, value) };
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_their_variables() {
        let vars = variables(
            "listen = \"0.0.0.0:9000\"\ndatabase = \"postgres://h/db\"\nrate_limit_per_minute = 600\ndemo = true\nfixture = [\"a.json\", \"b.json\"]\n",
        )
        .unwrap();
        assert_eq!(
            vars,
            vec![
                ("WDT_DATABASE_URL", "postgres://h/db".to_owned()),
                ("WDT_DEMO", "true".to_owned()),
                ("WDT_FIXTURE", "a.json,b.json".to_owned()),
                ("WDT_LISTEN", "0.0.0.0:9000".to_owned()),
                ("WDT_RATE_LIMIT_PER_MINUTE", "600".to_owned()),
            ]
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused_by_name() {
        assert!(variables("lisen = \"x\"").unwrap_err().to_string().contains("lisen"));
        assert!(variables("fixture = [1]").unwrap_err().to_string().contains("fixture"));
        assert!(variables("[server]\nlisten = \"x\"").unwrap_err().to_string().contains("server"));
    }

    #[test]
    fn the_path_comes_from_the_flag() {
        let args: Vec<OsString> = ["wdt-returns", "serve", "--config", "c.toml"].iter().map(OsString::from).collect();
        assert_eq!(config_path(&args), Some(PathBuf::from("c.toml")));
        let args: Vec<OsString> = ["wdt-returns", "--config=d.toml"].iter().map(OsString::from).collect();
        assert_eq!(config_path(&args), Some(PathBuf::from("d.toml")));
    }
}
