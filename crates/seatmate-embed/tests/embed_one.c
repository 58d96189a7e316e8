/* The C engine alone, for CI's portability step: prints the generic kernel's query vector for one
 * text, one float a line, so the same text embedded on another architecture (aarch64 under qemu)
 * can be compared with the one embedded here. Usage: embed_one MODEL TEXT */
#include <stdio.h>

typedef struct e5_model e5_model;
e5_model *e5_load_generic(const char *path);
int e5_dim_generic(const e5_model *m);
int e5_embed_batch_generic(e5_model *m, const char **texts, int n, int is_query, float *out);
void e5_free_generic(e5_model *m);

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s MODEL TEXT\n", argv[0]); return 2; }
    e5_model *m = e5_load_generic(argv[1]);
    if (!m) return 1;
    float out[1024];
    const char *texts[1] = { argv[2] };
    if (e5_dim_generic(m) > 1024 || e5_embed_batch_generic(m, texts, 1, 1, out) != 0) return 1;
    for (int i = 0; i < e5_dim_generic(m); i++) printf("%.7f\n", out[i]);
    e5_free_generic(m);
    return 0;
}
