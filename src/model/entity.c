/* entity.c - the shared code behind declared record types (see entity.h): row reading, JSON
 * with masks, and the scoped get and list every module used to write out by hand. */
#include "model/entity.h"
#include "audit/audit.h"
#include "core/log.h"
#include "core/pii.h"
#include "core/sbuf.h"
#include "core/validate.h"
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ENTITIES 128   /* issue 17: the question bank, contests and literacy passed 64 */

static entity *registered[MAX_ENTITIES];
static int nregistered;

void entity_prepare(entity *e)
{
    if (e->cols) return;
    sbuf b;
    sbuf_init(&b);
    int n = 0;
    for (const field *f = e->fields; f->name; f++, e->nfields++) {
        if (f->flags & FF_NO_SELECT) continue;
        if (n++) sbuf_add(&b, ", ");
        sbuf_add(&b, f->column);
    }
    e->ncols = n;
    e->cols = sbuf_steal(&b);   /* kept for the life of the process */
}

/* The registry prepares every entity before the server's threads start; a unit test that calls a
 * module without the registry gets its entity prepared on first use (single-threaded there). */
const char *entity_cols(const entity *e)
{
    if (!e->cols) entity_prepare((entity *)e);   /* entities are never const objects */
    return e->cols;
}

void entity_register(entity *e)
{
    for (int i = 0; i < nregistered; i++)
        if (registered[i] == e) return;
    if (nregistered == MAX_ENTITIES) {
        log_error("more than %d entities: raise MAX_ENTITIES", MAX_ENTITIES);
        exit(1);
    }
    entity_prepare(e);
    registered[nregistered++] = e;
}

void entity_foreach(void (*fn)(const entity *e, void *cls), void *cls)
{
    for (int i = 0; i < nregistered; i++) fn(registered[i], cls);
}

const field *entity_field(const entity *e, const char *name)
{
    for (const field *f = e->fields; f->name; f++)
        if (!strcmp(f->name, name)) return f;
    return NULL;
}

#define MEMBER(rec, f, type) ((type *)((char *)(rec) + (f)->offset))
#define CMEMBER(rec, f, type) ((type const *)((const char *)(rec) + (f)->offset))   /* "const char *" too */

void entity_read_row(const entity *e, db_stmt *s, arena *a, void *out)
{
    memset(out, 0, e->size);
    int col = 0;
    for (const field *f = e->fields; f->name; f++) {
        if (f->flags & FF_NO_SELECT) continue;
        int i = col++;
        switch (f->type) {
        case FT_ID: case FT_INT: case FT_INT_NULL:
            *MEMBER(out, f, int64_t) = db_col_null(s, i) ? 0 : db_col_int(s, i);
            break;
        case FT_INT32: *MEMBER(out, f, int) = (int)db_col_int(s, i); break;
        case FT_BOOL: *MEMBER(out, f, bool) = db_col_int(s, i) != 0; break;
        default:
            *MEMBER(out, f, const char *) = f->flags & FF_ENCRYPTED ? pii_decrypt(a, db_col_text(s, i))
                                                                    : arena_strdup(a, db_col_text(s, i));
        }
    }
    if (e->on_read) e->on_read(out, a);
}

/* A JSON array of texts kept as its text (FT_TEXT_LIST); an empty array when unreadable. */
static void write_text_list(jw *w, const char *json_text)
{
    json_t *v = json_text ? json_loads(json_text, 0, NULL) : NULL;
    size_t i;
    json_t *x;
    jw_arr(w);
    if (json_is_array(v))
        json_array_foreach(v, i, x) jw_str(w, json_string_value(x));
    jw_arr_end(w);
    json_decref(v);
}

static void write_text(jw *w, const field *f, const char *v, bool mask)
{
    char masked[48];
    if (v && mask && (f->flags & FF_MASK_ID)) mask_id_number(v, masked, sizeof masked), v = masked;
    else if (v && mask && (f->flags & FF_MASK_PHONE)) mask_phone(v, masked, sizeof masked), v = masked;
    jw_str(w, v);
}

static void write_fields(jw *w, const entity *e, const void *rec, bool mask)
{
    for (const field *f = e->fields; f->name; f++) {
        if (f->flags & FF_HIDDEN) continue;
        if ((f->flags & FF_OMIT_NULL) && !*CMEMBER(rec, f, const char *)) continue;
        jw_key(w, f->name);
        switch (f->type) {
        case FT_ID: case FT_INT: jw_int(w, *CMEMBER(rec, f, int64_t)); break;
        case FT_INT_NULL: jw_int_or_null(w, *CMEMBER(rec, f, int64_t)); break;
        case FT_INT32: jw_int(w, *CMEMBER(rec, f, int)); break;
        case FT_BOOL: jw_bool(w, *CMEMBER(rec, f, bool)); break;
        case FT_TEXT_LIST: write_text_list(w, *CMEMBER(rec, f, const char *)); break;
        case FT_JSON: {
            const char *v = *CMEMBER(rec, f, const char *);
            if (v) jw_raw(w, v); else jw_null(w);
            break;
        }
        default: write_text(w, f, *CMEMBER(rec, f, const char *), mask);
        }
    }
}

void entity_write_fields(jw *w, const entity *e, const void *rec) { write_fields(w, e, rec, true); }
void entity_write_fields_unmasked(jw *w, const entity *e, const void *rec) { write_fields(w, e, rec, false); }

void entity_write(jw *w, const entity *e, const void *rec)
{
    jw_obj(w);
    entity_write_fields(w, e, rec);
    jw_obj_end(w);
}

json_t *entity_json(const entity *e, const void *rec)
{
    jw w;
    jw_init(&w);
    entity_write(&w, e, rec);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}

int entity_audit(db *c, const entity *e, actor who, const char *org_path, int64_t id, const char *action,
                 const void *before, const void *after)
{
    json_t *b = before ? entity_json(e, before) : NULL, *x = after ? entity_json(e, after) : NULL;
    int rc = audit_record(c, who, org_path, e->name, id, action, b, x);
    json_decref(b);
    json_decref(x);
    return rc;
}

void entity_scope_filter(const entity *e, const scope *sc, qb *q)
{
    assert(sc);   /* an unscoped read is entity_get_unscoped(), never a NULL scope */
    if (e->scope_rule) e->scope_rule(sc, q);
    else if (e->owner_column) scope_filter_owned(sc, q, e->path_column, e->owner_column);
    else scope_filter(sc, q, e->path_column);
}

/* qb_get_one's row callback needs the entity: the record struct carries it through. */
struct read_ctx {
    const entity *e;
    void *out;
};

static void read_one(db_stmt *s, arena *a, void *cls)
{
    struct read_ctx *x = cls;
    entity_read_row(x->e, s, a, x->out);
}

/* "SELECT <cols>[, extra] <from>": the start of every read of e's rows. */
static void select_from(qb *q, const entity *e, const char *extra)
{
    qb_init(q, "SELECT ");
    qb_sql(q, entity_cols(e));
    if (extra) qb_sql(q, ", "), qb_sql(q, extra);
    qb_sql(q, e->from);
}

/* "SELECT <cols> <from> WHERE 1 = 1" plus the scope (none when sc is NULL) and conds. */
static int get_where(db *c, const entity *e, const scope *sc, arena *a, qb *conds, void *out)
{
    qb q;
    select_from(&q, e, NULL);
    qb_sql(&q, " WHERE 1 = 1");
    if (sc) entity_scope_filter(e, sc, &q);
    qb_append(&q, conds);
    qb_free(conds);
    struct read_ctx x = {e, out};
    int rc = qb_get_one(c, &q, a, read_one, &x, e->not_found);
    if (rc == DB_OK && e->complete) rc = e->complete(c, sc, a, out);
    return rc == DB_OK && e->complete_page ? e->complete_page(c, a, out, 1) : rc;
}

/* The condition " AND <id> = ?" of a read by id, in q. */
static qb *id_is(qb *q, const entity *e, int64_t id)
{
    qb_init(q, " AND ");
    qb_sql(q, e->id_column);
    qb_sql(q, " = ?");
    qb_int(q, id);
    return q;
}

int entity_get(db *c, const entity *e, const scope *sc, arena *a, int64_t id, void *out)
{
    assert(sc);
    qb q;
    return get_where(c, e, sc, a, id_is(&q, e, id), out);
}

int entity_get_unscoped(db *c, const entity *e, arena *a, int64_t id, void *out)
{
    qb q;
    return get_where(c, e, NULL, a, id_is(&q, e, id), out);
}

int entity_get_where(db *c, const entity *e, const scope *sc, arena *a, qb *conds, void *out)
{
    assert(sc);
    return get_where(c, e, sc, a, conds, out);
}

int entity_get_where_unscoped(db *c, const entity *e, arena *a, qb *conds, void *out)
{
    return get_where(c, e, NULL, a, conds, out);
}

static void read_path(db_stmt *s, arena *a, void *out)
{
    *(const char **)out = arena_strdup(a, db_col_text(s, 0));
}

int entity_org_path(db *c, const scope *sc, arena *a, int64_t org_id, int not_found, const char **path)
{
    qb q;
    qb_init(&q, "SELECT path FROM orgs WHERE id = ?");
    qb_int(&q, org_id);
    scope_filter(sc, &q, "path");
    return qb_get_one(c, &q, a, read_path, path, not_found);
}

int entity_list_where(db *c, const entity *e, const scope *sc, arena *a, int64_t org_id, qb *where)
{
    const char *path = NULL;
    if (org_id > 0) {
        int rc = entity_org_path(c, sc, a, org_id, e->org_not_found, &path);
        if (rc != DB_OK) { qb_free(where); return rc; }
    }
    qb_sql(where, " WHERE 1 = 1");
    entity_scope_filter(e, sc, where);
    if (path) qb_subtree(where, a, e->path_column, path);
    return DB_OK;
}

/* A list's records: each written by the module's row_fn (else as entity_write() writes it), or for
 * a page the module completes together (e->complete_page), kept in recs until it has. */
struct list_ctx {
    const entity *e;
    jw *items;
    entity_row_fn row_fn;
    void *cls;
    char *recs;
    int n, max;
};

static void write_item(const struct list_ctx *x, const void *rec)
{
    if (x->row_fn) x->row_fn(x->items, x->e, rec, x->cls);
    else entity_write(x->items, x->e, rec);
}

static int list_row(const void *rec, db_stmt *s, arena *a, void *cls)
{
    (void)s, (void)a;
    struct list_ctx *x = cls;
    if (!x->recs) write_item(x, rec);
    else if (x->n < x->max) memcpy(x->recs + (size_t)x->n++ * x->e->size, rec, x->e->size);
    return DB_OK;
}

/* The rows of e that where (" WHERE ... ORDER BY ...", released) selects, each read into one
 * record, completed (e->complete) and handed to fn: its strings in a, or with a NULL in an arena
 * of the row's own, freed after fn. fn returns DB_OK to go on; anything else stops and is returned. */
static int each_row(db *c, const entity *e, const char *extra, qb *where, arena *a, entity_each_fn fn, void *cls)
{
    qb q;
    select_from(&q, e, extra);
    qb_append(&q, where);
    qb_free(where);
    db_stmt *s = qb_prepare(&q, c);
    void *rec = malloc(e->size);
    if (!s || !rec) { db_finish(s); free(rec); return DB_ERR; }
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        arena own;
        arena_init(&own);
        arena *ra = a ? a : &own;
        entity_read_row(e, s, ra, rec);
        rc = e->complete ? e->complete(c, NULL, ra, rec) : DB_OK;
        if (rc == DB_OK) rc = fn(rec, s, ra, cls);
        arena_free(&own);
        if (rc != DB_OK) break;
    }
    db_finish(s);
    free(rec);
    return rc == DB_DONE ? DB_OK : rc;
}

int entity_list_page(db *c, const entity *e, qb *where, const char *order, int64_t limit, int64_t offset,
                     arena *a, jw *items, int64_t *total, entity_row_fn row_fn, void *cls)
{
    qb q;
    qb_init(&q, "SELECT COUNT(*)");
    qb_sql(&q, e->count_from ? e->count_from : e->from);
    if (e->count_index && !strcmp(db_kind(c), "sqlite")) qb_sql(&q, " INDEXED BY "), qb_sql(&q, e->count_index);
    qb_append(&q, where);
    int rc = qb_exec(c, &q, total);
    bool batched = e->complete_page != NULL;
    struct list_ctx x = {e, items, row_fn, cls, batched ? arena_alloc(a, e->size * (size_t)limit) : NULL, 0,
                         (int)limit};
    if (rc != DB_OK || (batched && !x.recs)) { qb_free(where); return rc < 0 ? rc : DB_ERR; }
    qb_sql(where, order ? order : e->order);
    qb_sql(where, " LIMIT ? OFFSET ?");
    qb_int(where, limit);
    qb_int(where, offset);
    jw_arr(items);
    rc = each_row(c, e, NULL, where, a, list_row, &x);
    if (batched && rc == DB_OK) rc = e->complete_page(c, a, x.recs, x.n);
    for (int i = 0; batched && rc == DB_OK && i < x.n; i++) write_item(&x, x.recs + (size_t)i * e->size);
    jw_arr_end(items);
    return rc;
}

int entity_list_all(db *c, const entity *e, qb *where, const char *order, arena *a, jw *items, entity_row_fn row_fn,
                    void *cls)
{
    struct list_ctx x = {e, items, row_fn, cls, NULL, 0, 0};
    qb_sql(where, order ? order : e->order);
    if (items) jw_arr(items);
    int rc = each_row(c, e, NULL, where, a, list_row, &x);
    if (items) jw_arr_end(items);
    return rc;
}

int entity_each(db *c, const entity *e, const char *extra, qb *where, entity_each_fn fn, void *cls)
{
    return each_row(c, e, extra, where, NULL, fn, cls);
}

/* "x.title" -> "title": a select expression's column in its own table. */
static const char *bare_column(const char *column)
{
    const char *dot = strchr(column, '.');
    return dot ? dot + 1 : column;
}

static void bind_field(qb *q, arena *a, const field *f, const void *rec)
{
    switch (f->type) {
    case FT_ID: case FT_INT: qb_int(q, *CMEMBER(rec, f, int64_t)); break;
    case FT_INT_NULL: qb_int_or_null(q, *CMEMBER(rec, f, int64_t)); break;
    case FT_INT32: qb_int(q, *CMEMBER(rec, f, int)); break;
    case FT_BOOL: qb_int(q, *CMEMBER(rec, f, bool)); break;
    default: {
        const char *v = *CMEMBER(rec, f, const char *);
        qb_text(q, v && (f->flags & FF_ENCRYPTED) ? pii_encrypt(a, v) : v);
    }
    }
}

int entity_store(db *c, const entity *e, const char *table, int64_t id, const void *rec, const entity_value *more,
                 arena *a, int64_t *new_id)
{
    unsigned want = id ? FF_UPDATE : FF_CREATE;
    sbuf cols, marks;
    sbuf_init(&cols), sbuf_init(&marks);
    qb values;
    qb_init(&values, "");
    for (const field *f = e->fields; f->name; f++) {
        /* rec NULL: only the columns of more; a field without a column (FF_NO_SELECT) is the module's */
        if (!rec || !(f->flags & want) || (f->flags & FF_NO_SELECT)) continue;
        sbuf_printf(&cols, "%s%s%s", cols.len ? ", " : "", bare_column(f->column), id ? " = ?" : "");
        sbuf_add(&marks, marks.len ? ", ?" : "?");
        bind_field(&values, a, f, rec);
    }
    for (const entity_value *v = more; v && v->column; v++) {
        sbuf_printf(&cols, "%s%s%s", cols.len ? ", " : "", v->column, id ? " = ?" : "");
        sbuf_add(&marks, marks.len ? ", ?" : "?");
        if (v->is_int) qb_int(&values, v->i); else qb_text(&values, v->text);
    }
    const char *key = bare_column(e->id_column);
    qb q;
    qb_init(&q, id ? arena_printf(a, "UPDATE %s SET %s WHERE %s = ? RETURNING %s", table, cols.s, key, key)
                   : arena_printf(a, "INSERT INTO %s (%s) VALUES (%s) RETURNING %s", table, cols.s,
                                  marks.s, key));
    sbuf_free(&cols), sbuf_free(&marks);
    qb_append(&q, &values);
    qb_free(&values);
    if (id) qb_int(&q, id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW && new_id) *new_id = db_col_int(s, 0);
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? e->not_found : rc;
}
