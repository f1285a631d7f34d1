//! App secrets at rest.
//!
//! Both signature schemes are keyed md5 (`md5(secret + … + secret)`,
//! `md5(packed + appsecret)`): verifying a call needs the secret itself, so it cannot be stored as
//! a one-way hash. It is stored sealed instead, with ChaCha20-Poly1305 under a key that lives
//! outside the database (a key file or an environment variable). A dump of the database alone
//! holds no working key; a dump together with the key file does.

use std::path::Path;

use chacha20poly1305::aead::Aead;
use chacha20poly1305::{ChaCha20Poly1305, Key, KeyInit, Nonce};
use wdt_store::{StoreError, StoreResult};

const PREFIX: &str = "v1:";
const NONCE_LEN: usize = 12;

/// Seals and opens app secrets with one key.
#[derive(Clone)]
pub struct SecretBox {
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(<key>)")
    }
}

fn random<const N: usize>() -> StoreResult<[u8; N]> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| StoreError::Database(format!("no randomness: {e}")))?;
    Ok(buf)
}

impl SecretBox {
    /// A box for `key`.
    pub fn new(key: [u8; 32]) -> SecretBox {
        SecretBox { cipher: ChaCha20Poly1305::new(&Key::from(key)) }
    }

    /// A box with a fresh random key (tests, throwaway databases).
    pub fn ephemeral() -> StoreResult<SecretBox> {
        Ok(SecretBox::new(random()?))
    }

    /// Reads the key from `path` (64 hex digits), creating the file with a new random key, readable
    /// by its owner only, when it does not exist.
    pub fn from_key_file(path: &Path) -> StoreResult<SecretBox> {
        let io = |e: std::io::Error| StoreError::Database(format!("secret key file {}: {e}", path.display()));
        if !path.exists() {
            let key: [u8; 32] = random()?;
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            use std::io::Write;
            let mut file = options.open(path).map_err(io)?;
            writeln!(file, "{}", hex::encode(key)).map_err(io)?;
            return Ok(SecretBox::new(key));
        }
        SecretBox::from_hex(std::fs::read_to_string(path).map_err(io)?.trim())
            .map_err(|e| StoreError::Database(format!("secret key file {}: {e}", path.display())))
    }

    /// A box for a key given as 64 hex digits.
    pub fn from_hex(text: &str) -> StoreResult<SecretBox> {
        let bytes = hex::decode(text.trim()).map_err(|_| StoreError::Database("the secret key is not hex".into()))?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| StoreError::Database("the secret key must be 32 bytes (64 hex digits)".into()))?;
        Ok(SecretBox::new(key))
    }

    /// Seals `secret` for storage: `v1:` + hex(nonce ‖ ciphertext).
    pub fn seal(&self, secret: &str) -> StoreResult<String> {
        let nonce: [u8; NONCE_LEN] = random()?;
        let sealed = self
            .cipher
            .encrypt(&Nonce::from(nonce), secret.as_bytes())
            .map_err(|_| StoreError::Database("sealing a secret failed".into()))?;
        Ok(format!("{PREFIX}{}{}", hex::encode(nonce), hex::encode(sealed)))
    }

    /// Opens a stored secret. A value without the `v1:` prefix is taken as written in the clear
    /// (rows stored before sealing existed).
    pub fn open(&self, stored: &str) -> StoreResult<String> {
        let Some(rest) = stored.strip_prefix(PREFIX) else { return Ok(stored.to_owned()) };
        let wrong_key = || StoreError::Database("an app secret cannot be opened: wrong secret key file?".into());
        let bytes = hex::decode(rest).map_err(|_| wrong_key())?;
        if bytes.len() < NONCE_LEN {
            return Err(wrong_key());
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| wrong_key())?;
        let plain = self.cipher.decrypt(&Nonce::from(nonce), sealed).map_err(|_| wrong_key())?;
        String::from_utf8(plain).map_err(|_| wrong_key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens() {
        let b = SecretBox::ephemeral().unwrap();
        let sealed = b.seal("demo-secret").unwrap();
        assert!(sealed.starts_with("v1:") && !sealed.contains("demo-secret"));
        assert_ne!(sealed, b.seal("demo-secret").unwrap(), "a fresh nonce each time");
        assert_eq!(b.open(&sealed).unwrap(), "demo-secret");
        assert_eq!(b.open("legacy-plain").unwrap(), "legacy-plain");
        let other = SecretBox::ephemeral().unwrap();
        assert!(other.open(&sealed).is_err(), "another key cannot open it");
    }

    #[test]
    fn key_files_are_created_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.key");
        let a = SecretBox::from_key_file(&path).unwrap();
        let sealed = a.seal("x").unwrap();
        let b = SecretBox::from_key_file(&path).unwrap();
        assert_eq!(b.open(&sealed).unwrap(), "x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
