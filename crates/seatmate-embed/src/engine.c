/* Seatmate: one instruction-set variant of the engine. build.rs compiles this file once per variant
 * (E5_VARIANT = generic, or avx2 with -mavx2 -mfma -mf16c on x86_64) and the Rust side picks one at
 * run time, so the binary itself needs only baseline x86-64. The vendored sources are included
 * unchanged; only their external names get the variant as a suffix (e5_embed_batch_avx2, ...), and
 * their internal (static) functions are private to each object anyway. */
#ifndef E5_VARIANT
#error "E5_VARIANT must name the variant (build.rs sets it)"
#endif
#define E5_JOIN2(name, variant) name##_##variant
#define E5_JOIN(name, variant) E5_JOIN2(name, variant)

#define e5_load E5_JOIN(e5_load, E5_VARIANT)
#define e5_load_mem E5_JOIN(e5_load_mem, E5_VARIANT)
#define e5_free E5_JOIN(e5_free, E5_VARIANT)
#define e5_dim E5_JOIN(e5_dim, E5_VARIANT)
#define e5_embed E5_JOIN(e5_embed, E5_VARIANT)
#define e5_embed_batch E5_JOIN(e5_embed_batch, E5_VARIANT)
#define e5_embed_sparse E5_JOIN(e5_embed_sparse, E5_VARIANT)
#define e5_sparse_dim E5_JOIN(e5_sparse_dim, E5_VARIANT)
#define e5_load_sae E5_JOIN(e5_load_sae, E5_VARIANT)
#define e5_token_count E5_JOIN(e5_token_count, E5_VARIANT)
#define seatmate_scan_i8 E5_JOIN(seatmate_scan_i8, E5_VARIANT)

#include "e5.c"
#include "scan.c"
