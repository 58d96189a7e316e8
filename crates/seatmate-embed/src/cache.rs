//! An append-only file of vectors keyed by a hash of (model, role, text).
//!
//! Record: 16 key bytes, then `dim` little-endian f32. A record cut short by a crash is dropped on
//! open (the file is truncated back to the last whole record), so the cache never serves a torn
//! vector; losing a vector only means embedding its text again.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::{EmbedError, Result, Role, MODEL_NAME};

type Key = [u8; 16];

pub struct EmbeddingCache {
    dim: usize,
    path: Option<PathBuf>,
    inner: Mutex<Inner>,
}

struct Inner {
    vectors: HashMap<Key, Box<[f32]>>,
    file: Option<File>,
    /// Keys read or written since [`EmbeddingCache::begin_sweep`], while a sweep runs.
    touched: Option<std::collections::HashSet<Key>>,
}

fn key(text: &str, role: Role) -> Key {
    let mut hasher = Sha256::new();
    hasher.update(MODEL_NAME.as_bytes());
    hasher.update([0, role as u8, 0]);
    hasher.update(text.as_bytes());
    let digest = hasher.finalize();
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

impl EmbeddingCache {
    /// A cache that lives only as long as the process.
    pub fn in_memory(dim: usize) -> EmbeddingCache {
        EmbeddingCache { dim, path: None, inner: Mutex::new(Inner { vectors: HashMap::new(), file: None, touched: None }) }
    }

    /// The cache in `path`, created if missing.
    pub fn open(path: &Path, dim: usize) -> Result<EmbeddingCache> {
        let io = |source| EmbedError::Cache { path: path.to_path_buf(), source };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let mut file = OpenOptions::new().read(true).append(true).create(true).open(path).map_err(io)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io)?;
        let record = 16 + dim * 4;
        let whole = bytes.len() / record * record;
        if whole != bytes.len() {
            tracing::warn!(path = %path.display(), "dropping a torn record at the end of the embedding cache");
            file.set_len(whole as u64).map_err(io)?;
            file.seek(SeekFrom::End(0)).map_err(io)?;
        }
        let mut vectors = HashMap::with_capacity(whole / record);
        for chunk in bytes[..whole].chunks_exact(record) {
            let mut key = [0u8; 16];
            key.copy_from_slice(&chunk[..16]);
            let vector: Box<[f32]> = chunk[16..].chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
            vectors.insert(key, vector);
        }
        Ok(EmbeddingCache {
            dim,
            path: Some(path.to_path_buf()),
            inner: Mutex::new(Inner { vectors, file: Some(file), touched: None }),
        })
    }

    pub fn len(&self) -> usize {
        self.inner.lock().map_or(0, |inner| inner.vectors.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, text: &str, role: Role) -> Option<Vec<f32>> {
        let mut inner = self.inner.lock().ok()?;
        let key = key(text, role);
        if let Some(touched) = inner.touched.as_mut() {
            touched.insert(key);
        }
        inner.vectors.get(&key).map(|v| v.to_vec())
    }

    /// Starts noting which vectors are used; [`EmbeddingCache::finish_sweep`] then forgets the rest.
    pub fn begin_sweep(&self) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.touched = Some(Default::default());
        }
    }

    /// Forgets every vector not used since [`EmbeddingCache::begin_sweep`] — in memory and in the
    /// file, which is rewritten beside and renamed over, so a crash leaves the old or the new
    /// whole. How the vectors of erased texts leave the disk. Returns how many were forgotten.
    pub fn finish_sweep(&self) -> Result<usize> {
        let Ok(mut inner) = self.inner.lock() else { return Ok(0) };
        let Some(touched) = inner.touched.take() else { return Ok(0) };
        let before = inner.vectors.len();
        inner.vectors.retain(|key, _| touched.contains(key));
        let forgotten = before - inner.vectors.len();
        if let (Some(path), true) = (self.path.as_ref(), forgotten > 0) {
            let io = |source| EmbedError::Cache { path: path.clone(), source };
            let fresh = path.with_extension("sweep");
            let mut bytes = Vec::with_capacity(inner.vectors.len() * (16 + self.dim * 4));
            for (key, vector) in &inner.vectors {
                bytes.extend_from_slice(key);
                for x in vector.iter() {
                    bytes.extend_from_slice(&x.to_le_bytes());
                }
            }
            let mut file = File::create(&fresh).map_err(io)?;
            file.write_all(&bytes).map_err(io)?;
            file.sync_all().map_err(io)?;
            std::fs::rename(&fresh, path).map_err(io)?;
            inner.file = Some(OpenOptions::new().read(true).append(true).open(path).map_err(io)?);
        }
        Ok(forgotten)
    }

    /// Keeps the vectors, in memory and (for a file cache) appended to the file.
    pub fn put_all<'a>(&self, entries: impl Iterator<Item = (&'a str, &'a [f32])>, role: Role) -> Result<()> {
        let Ok(mut inner) = self.inner.lock() else { return Ok(()) };
        let mut bytes = Vec::new();
        for (text, vector) in entries {
            if vector.len() != self.dim {
                continue;
            }
            let key = key(text, role);
            if let Some(touched) = inner.touched.as_mut() {
                touched.insert(key);
            }
            if inner.vectors.contains_key(&key) {
                continue;
            }
            bytes.extend_from_slice(&key);
            for x in vector {
                bytes.extend_from_slice(&x.to_le_bytes());
            }
            inner.vectors.insert(key, vector.into());
        }
        if let (Some(file), Some(path)) = (inner.file.as_mut(), self.path.as_ref()) {
            file.write_all(&bytes).map_err(|source| EmbedError::Cache { path: path.clone(), source })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sweep_forgets_unused_vectors_on_disk_too() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vectors.bin");
        let cache = EmbeddingCache::open(&path, 2).unwrap();
        let (kept, erased) = (vec![1.0, 2.0], vec![3.0, 4.0]);
        cache.put_all([("kept", kept.as_slice()), ("erased", erased.as_slice())].into_iter(), Role::Passage).unwrap();
        cache.begin_sweep();
        assert!(cache.get("kept", Role::Passage).is_some());
        assert_eq!(cache.finish_sweep().unwrap(), 1);
        cache.put_all([("later", kept.as_slice())].into_iter(), Role::Passage).unwrap();
        drop(cache);
        let reopened = EmbeddingCache::open(&path, 2).unwrap();
        assert_eq!(reopened.get("kept", Role::Passage), Some(kept));
        assert_eq!(reopened.get("erased", Role::Passage), None);
        assert!(reopened.get("later", Role::Passage).is_some());
        assert_eq!(reopened.len(), 2);
    }
}
