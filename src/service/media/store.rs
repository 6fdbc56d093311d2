//! The media store: files under random names in one folder. Names are the
//! capability: 128 random bits, never listed, so a file is only found by whoever
//! was given its URL.

use std::path::{Path, PathBuf};

use rand::RngCore;

/// A fresh, unguessable file name with this extension.
pub fn new_key(extension: &str) -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.{extension}")
}

/// Only names this store makes: no separators, no dots but the extension's.
pub fn is_key(key: &str) -> bool {
    let mut parts = key.splitn(2, '.');
    let (name, ext) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    name.len() == 32
        && name.bytes().all(|b| b.is_ascii_hexdigit())
        && !ext.is_empty()
        && ext.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn path_of(root: &Path, key: &str) -> std::io::Result<PathBuf> {
    if is_key(key) {
        Ok(root.join(key))
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a media key",
        ))
    }
}

/// Writes the file whole (to a temporary name first: a reader never sees half a
/// file). Takes the bytes rather than copying them, as `tokio::fs::write` would.
pub async fn put(root: &Path, key: &str, bytes: Vec<u8>) -> std::io::Result<()> {
    let path = path_of(root, key)?;
    let root = root.to_path_buf();
    let partial = root.join(format!(".{key}.partial"));
    tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(&root)?;
        std::fs::write(&partial, bytes)?;
        std::fs::rename(&partial, &path)
    })
    .await
    .map_err(std::io::Error::other)?
}

/// Removes files; a file already gone is not an error.
pub async fn delete(root: &Path, keys: &[String]) {
    for key in keys {
        if let Ok(path) = path_of(root, key)
            && let Err(e) = tokio::fs::remove_file(&path).await
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(key, error = %e, "could not remove a media file");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_and_checked() {
        let (a, b) = (new_key("png"), new_key("png"));
        assert_ne!(a, b);
        assert!(is_key(&a));
        for bad in [
            "../etc/passwd",
            "abc.png",
            &format!("{}/x.png", &a[..31]),
            &a[..32],
        ] {
            assert!(!is_key(bad), "{bad}");
        }
    }

    #[tokio::test]
    async fn files_are_written_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let key = new_key("txt");
        put(dir.path(), &key, b"hello".to_vec()).await.unwrap();
        assert_eq!(std::fs::read(dir.path().join(&key)).unwrap(), b"hello");
        delete(dir.path(), &[key.clone(), key.clone()]).await;
        assert!(!dir.path().join(&key).exists());
        assert!(put(dir.path(), "../x.txt", b"no".to_vec()).await.is_err());
    }
}
