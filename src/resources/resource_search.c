/* resource_search.c - the library's search behind GET /resources?q=: one function over a
 * resource's search_text (its title, summary and current version's text, kept by
 * resources_set_search_text()), with an index on each engine (migration 039):
 *   SQLite: the FTS5 table resource_fts with the trigram tokenizer (rowid = the resource's id),
 *     kept by triggers; the query is one FTS5 phrase, so any substring of 3+ characters matches;
 *     a query of two characters (科普, the usual Chinese word) is one token of the second FTS5
 *     table, resource_bigram_fts (migration 045, tokenizer kepu_bigram: db/sqlite_bigram.h);
 *   PostgreSQL: pg_trgm's GIN index on search_text, which serves ILIKE '%q%' directly.
 * What neither index holds is a plain substring match over the same column (a scan, but of rows
 * the scope already narrows): one character, or two with a space between them, on SQLite; one
 * or two characters on PostgreSQL, whose trigram index then reads all of itself. */
#include "resources/resources.h"
#include "db/query.h"
#include "db/sqlite_bigram.h"
#include <string.h>

/* The characters of UTF-8 text s. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

static int count_token(void *cls, const char *token, int len, int start, int end)
{
    (void)token, (void)len, (void)start, (void)end;
    ++*(int *)cls;
    return 0;
}

/* Whether q is one token of the bigram index (two characters, no space between). */
static bool one_bigram(const char *q)
{
    int tokens = 0;
    sqlite_bigram_walk(q, (int)strlen(q), count_token, &tokens);
    return tokens == 1 && utf8_chars(q) == 2;
}

/* q as one FTS5 string: in double quotes, each double quote doubled. */
static const char *fts_phrase(arena *a, const char *q)
{
    char *out = arena_alloc(a, 2 * strlen(q) + 3), *o = out;
    if (!out) return "\"\"";
    *o++ = '"';
    for (const char *p = q; *p; p++) {
        *o++ = *p;
        if (*p == '"') *o++ = '"';
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

void resources_search(db *c, arena *a, const char *q, qb *where)
{
    bool pg = !strcmp(db_kind(c), "postgresql");
    if (!pg && utf8_chars(q) >= 3) {
        qb_sql(where, " AND r.id IN (SELECT rowid FROM resource_fts WHERE resource_fts MATCH ?)");
        qb_text(where, fts_phrase(a, q));
        return;
    }
    if (!pg && one_bigram(q)) {
        qb_sql(where, " AND r.id IN (SELECT rowid FROM resource_bigram_fts WHERE resource_bigram_fts MATCH ?)");
        qb_text(where, fts_phrase(a, q));
        return;
    }
    qb_sql(where, pg ? " AND r.search_text ILIKE ? ESCAPE '\\'" : " AND r.search_text LIKE ? ESCAPE '\\'");
    qb_text(where, qb_like_pattern(a, q));
}
