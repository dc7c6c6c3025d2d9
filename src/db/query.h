/* query.h - builds one SQL statement from fixed fragments plus bound values, for queries whose
 * shape depends on optional filters and on the caller's scope. Values are always bound, never
 * spliced: the text added with qb_sql() must be a constant of the calling module.
 * Ownership: text values are borrowed until qb_prepare(); qb_prepare() and qb_free() release
 * the builder. */
#ifndef KEPU_QUERY_H
#define KEPU_QUERY_H
#include "core/sbuf.h"
#include "db/db.h"

#define QB_MAX_BINDS 48

struct arena;

typedef struct qb {
    sbuf sql;
    int n;
    bool overflow;
    struct { bool is_text; int64_t i; const char *s; } b[QB_MAX_BINDS];
} qb;

void qb_init(qb *q, const char *sql);
void qb_sql(qb *q, const char *sql);
void qb_int(qb *q, int64_t v);
void qb_text(qb *q, const char *v);
/* Appends frag's text and bound values to q (frag is left as it was). */
void qb_append(qb *q, const qb *frag);
/* An optional reference: 0 binds SQL NULL. */
void qb_int_or_null(qb *q, int64_t v);
/* Runs q (released): DB_OK or a DB code (DB_UNIQUE ...). With id not NULL, *id receives the
 * first column of the first row (a write's "RETURNING id", or a probe's "SELECT 1"), and no row
 * is DB_DONE. */
int qb_exec(db *c, qb *q, int64_t *id);
/* Prepares and binds; NULL on error. Releases the builder either way. */
db_stmt *qb_prepare(qb *q, db *c);
void qb_free(qb *q);
typedef void (*qb_row_fn)(db_stmt *s, struct arena *a, void *out);
/* The one row q selects (typically "... WHERE x.id = ?" plus the caller's scope), handed to
 * read(s, a, out). Releases q. DB_OK, not_found when no row matches (out of scope included),
 * or a DB code. */
int qb_get_one(db *c, qb *q, struct arena *a, qb_row_fn read, void *out, int not_found);
/* "/1/7/" -> "/1/70": the smallest string above every path in the subtree at path (its last
 * '/' turned into '0'; '0' follows '/' in ASCII, so every descendant path sorts inside
 * [path, upper) and nothing else does). A range, unlike LIKE 'x%', uses the path index on both
 * SQLite and PostgreSQL (with COLLATE "C"). Returns a string from the arena. */
char *path_upper_bound(struct arena *a, const char *path);
/* Restricts q to the subtree under path: appends " AND <col> >= ? AND <col> < ?" with path and
 * its upper bound (from the arena) bound. col must be a constant of the calling module. */
void qb_subtree(qb *q, struct arena *a, const char *col, const char *path);
/* Escapes % _ and \ of user text for "LIKE ? ESCAPE '\'", wrapped in % for a substring match.
 * Returns text from the arena. */
char *qb_like_pattern(struct arena *a, const char *text);

#endif
