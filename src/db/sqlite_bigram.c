/* sqlite_bigram.c - the FTS5 tokenizer kepu_bigram (see sqlite_bigram.h), registered on every
 * connection through sqlite3_auto_extension, and its walk over a text. */
#include "db/sqlite_bigram.h"
#include <sqlite3.h>
#include <stdbool.h>
#include <string.h>

/* The byte length of the character at p (left bytes remain): a lead byte and its continuation
 * bytes; a stray continuation, an invalid lead byte, or a lead byte without all its continuation
 * bytes is one character of one byte (so a broken sequence never swallows a space after it). */
static int char_len(const char *p, int left)
{
    unsigned char c = (unsigned char)*p;
    int len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 1;
    if (len > left) return 1;
    for (int k = 1; k < len; k++)
        if (((unsigned char)p[k] & 0xC0) != 0x80) return 1;
    return len;
}

/* Whitespace: ASCII's and the ideographic space U+3000. */
static bool is_space(const char *p, int len)
{
    if (len == 1) return *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v';
    return len == 3 && !memcmp(p, "\xE3\x80\x80", 3);
}

int sqlite_bigram_walk(const char *text, int n, sqlite_bigram_emit emit, void *cls)
{
    int prev = -1, prev_len = 0;   /* the previous character, when it was no space */
    for (int i = 0; i < n;) {
        int len = char_len(text + i, n - i);
        if (is_space(text + i, len)) {
            prev = -1;
        } else {
            if (prev >= 0) {
                char token[SQLITE_BIGRAM_MAX];
                memcpy(token, text + prev, (size_t)prev_len);
                memcpy(token + prev_len, text + i, (size_t)len);
                for (int k = 0; k < prev_len + len; k++)
                    if (token[k] >= 'A' && token[k] <= 'Z') token[k] = (char)(token[k] - 'A' + 'a');
                int rc = emit(cls, token, prev_len + len, prev, i + len);
                if (rc) return rc;
            }
            prev = i, prev_len = len;
        }
        i += len;
    }
    return 0;
}

/* ---- the FTS5 side ---- */

struct fts5_call {
    void *ctx;
    int (*token)(void *, int, const char *, int, int, int);
};

static int to_fts5(void *cls, const char *token, int len, int start, int end)
{
    struct fts5_call *x = cls;
    return x->token(x->ctx, 0, token, len, start, end);
}

static int tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    static int stateless;
    (void)ctx, (void)argv, (void)argc;
    *out = (Fts5Tokenizer *)&stateless;
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t) { (void)t; }

static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
                        int (*token)(void *, int, const char *, int, int, int))
{
    (void)t, (void)flags;
    struct fts5_call x = {ctx, token};
    return sqlite_bigram_walk(text, n, to_fts5, &x);
}

/* The connection's FTS5 API (NULL when SQLite was built without FTS5). */
static fts5_api *fts5_of(sqlite3 *h)
{
    fts5_api *api = NULL;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(s);
    }
    sqlite3_finalize(s);
    return api;
}

static int on_open(sqlite3 *h, char **err, const struct sqlite3_api_routines *routines)
{
    static fts5_tokenizer tokenizer = {tok_create, tok_delete, tok_tokenize};
    (void)err, (void)routines;
    fts5_api *api = fts5_of(h);
    return api ? api->xCreateTokenizer(api, "kepu_bigram", NULL, &tokenizer, NULL) : SQLITE_OK;
}

int sqlite_bigram_register(void)
{
    return sqlite3_auto_extension((void (*)(void))on_open);
}
