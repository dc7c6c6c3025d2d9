/* resource_search.c - the library's search behind GET /resources?q=: one function over a
 * resource's search_text (its title, summary and current version's text, kept by
 * resources_set_search_text()), with an index on each engine (migration 039):
 *   SQLite: the FTS5 table resource_fts with the trigram tokenizer (rowid = the resource's id),
 *     kept by triggers; the query is one FTS5 phrase, so any substring of 3+ characters matches;
 *   PostgreSQL: pg_trgm's GIN index on search_text, which serves ILIKE '%q%' directly.
 * A trigram needs 3 characters: a query of 1 or 2 characters (科普) is a plain substring match
 * over the same column on both engines (a scan, but of rows the scope already narrows). */
#include "resources/resources.h"
#include "db/query.h"
#include <string.h>

/* The characters of UTF-8 text s. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
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
    qb_sql(where, pg ? " AND r.search_text ILIKE ? ESCAPE '\\'" : " AND r.search_text LIKE ? ESCAPE '\\'");
    qb_text(where, qb_like_pattern(a, q));
}
