/* entity_http.c - body reading and the generic get/list handlers of declared record types
 * (see entity_http.h). */
#include "http/entity_http.h"
#include "auth/principal.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <stdlib.h>
#include <string.h>

#define MEMBER(rec, f, type) ((type *)((char *)(rec) + (f)->offset))

static bool is_text(enum field_type t)
{
    return t == FT_TEXT || t == FT_MULTILINE || t == FT_DAY || t == FT_TIME || t == FT_ENUM ||
           t == FT_TEXT_LIST || t == FT_JSON;
}

/* The names a body may carry for this mode, and the ones it may not (read-only). */
static void field_lists(request *r, const entity *e, bool creating, const char ***allowed, const char ***read_only)
{
    int n = 0;
    for (const field *f = e->fields; f->name; f++) n++;
    *allowed = arena_alloc(&r->arena, (size_t)(n + 1) * sizeof **allowed);
    *read_only = arena_alloc(&r->arena, (size_t)(n + 1) * sizeof **read_only);
    int na = 0, nr = 0;
    unsigned want = creating ? FF_CREATE : FF_UPDATE;
    for (const field *f = e->fields; f->name; f++) {
        if (f->flags & want) (*allowed)[na++] = f->name;
        else if (!(f->flags & FF_HIDDEN)) (*read_only)[nr++] = f->name;
    }
}

/* An array of at most f->max short texts, kept as its JSON text. */
static bool read_text_list(request *r, const field *f, const char **out)
{
    json_t *v = json_object_get(r->json, f->name);
    if (!v) return true;
    if (json_is_null(v)) { *out = "[]"; return true; }
    bool ok = json_is_array(v) && json_array_size(v) <= (size_t)f->max;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
        ok = ok && json_is_string(x) && valid_name(json_string_value(x), (size_t)f->item_chars);
        ok = ok && (!f->choices || str_in_list(json_string_value(x), f->choices));
    }
    if (!ok && f->choices) {
        reply_error(r, 422, "invalid_field", f->name, "字段 %s 应为给定选项的数组 / an array of the given choices", f->name);
        return false;
    }
    if (!ok) {
        reply_error(r, 422, "invalid_field", f->name, "字段 %s 应为至多 %d 项、每项 1-%d 字的数组 / "
                    "an array of at most %d items of 1 to %d characters", f->name, (int)f->max, f->item_chars,
                    (int)f->max, f->item_chars);
        return false;
    }
    char *text = json_dumps(v, JSON_COMPACT);
    *out = arena_strdup(&r->arena, text);
    free(text);
    return true;
}

/* A structured member: its value checked and turned into the text to store by f->check_json. */
static bool read_json_field(request *r, const field *f, void *rec)
{
    json_t *v = json_object_get(r->json, f->name);
    if (!v) return true;
    const char *msg = f->check_json(&r->arena, v, MEMBER(rec, f, const char *));
    if (msg) reply_error(r, 422, "invalid_field", f->name, "%s", msg);
    return !msg;
}

/* x within f's range when it has one (min < max); else a 422. */
static bool in_range(request *r, const field *f, int64_t x)
{
    if (f->min >= f->max || (x >= f->min && x <= f->max)) return true;
    reply_error(r, 422, "invalid_field", f->name, "字段 %s 应在 %lld 至 %lld 之间 / must be between %lld and %lld",
                f->name, (long long)f->min, (long long)f->max, (long long)f->min, (long long)f->max);
    return false;
}

static bool read_int(request *r, const field *f, bool required, void *rec)
{
    json_t *v = json_object_get(r->json, f->name);
    /* null clears an optional reference; a required one must be a number */
    if (v && json_is_null(v) && f->type == FT_INT_NULL && !required) { *MEMBER(rec, f, int64_t) = 0; return true; }
    int64_t x;
    bool present = false;
    if (!body_int(r, f->name, required, &x, &present)) return false;
    if (!present) return true;
    if (!in_range(r, f, x)) return false;
    if (f->type == FT_INT32) *MEMBER(rec, f, int) = (int)x;
    else *MEMBER(rec, f, int64_t) = x;
    return true;
}

static bool read_text_field(request *r, const field *f, bool required, void *rec)
{
    const char **out = MEMBER(rec, f, const char *);
    const char *v = NULL;
    bool ok;
    switch (f->type) {
    case FT_TEXT_LIST: return read_text_list(r, f, out);
    case FT_MULTILINE: return body_multiline_text(r, f->name, (size_t)f->max, out);
    case FT_DAY: ok = body_day(r, f->name, required, &v); break;
    case FT_ENUM: ok = body_enum(r, f->name, required, f->choices, &v); break;
    default:
        if (f->check) ok = body_string(r, f->name, required, &v);
        else if (f->flags & (FF_REQUIRED | FF_NONEMPTY)) ok = body_name(r, f->name, required, (size_t)f->max, &v);
        else return body_text(r, f->name, (size_t)f->max, out);
    }
    if (!ok) return false;
    if (!body_has(r, f->name)) return true;
    bool keep = f->flags & (FF_REQUIRED | FF_NONEMPTY);   /* a null leaves it as it is */
    if (v && !*v && f->check && !keep) v = NULL;   /* "" clears an optional number */
    if (v && f->check) {
        v = arena_strdup(&r->arena, v);
        const char *msg = f->check(&r->arena, &v);
        if (msg) { reply_error(r, 422, "invalid_field", f->name, "%s", msg); return false; }
    }
    if (v || !keep) *out = v;
    return true;
}

bool entity_read_body(request *r, const entity *e, void *rec, bool creating)
{
    const char **allowed, **read_only;
    field_lists(r, e, creating, &allowed, &read_only);
    if (!body_allow_fields(r, allowed, read_only)) return false;
    unsigned want = creating ? FF_CREATE : FF_UPDATE;
    for (const field *f = e->fields; f->name; f++) {
        if (!(f->flags & want) || (f->flags & FF_BODY_OWN)) continue;
        bool required = creating && (f->flags & FF_REQUIRED);
        bool ok = f->check_json        ? read_json_field(r, f, rec)
                  : f->type == FT_BOOL ? body_bool(r, f->name, MEMBER(rec, f, bool), NULL)
                  : is_text(f->type)   ? read_text_field(r, f, required, rec)
                                       : read_int(r, f, required, rec);
        if (!ok) return false;
    }
    return true;
}

void entity_reply_error(request *r, const entity *e, int rc)
{
    if (rc == e->not_found && !error_row_find(e->errors, rc)) reply_not_found(r);
    else reply_error_row(r, e->errors, rc);
}

void entity_reply(request *r, const entity *e, int status, const void *rec)
{
    jw w;
    jw_init(&w);
    int rc = DB_OK;
    if (e->write) {
        db *c = db_thread();
        rc = c ? e->write(c, &r->arena, rec, &w) : DB_ERR;
    } else {
        entity_write(&w, e, rec);
    }
    if (rc != DB_OK) { jw_free(&w); entity_reply_error(r, e, rc); return; }
    reply_jw(r, status, &w);
}

void entity_reply_result(request *r, const entity *e, int rc, int status, const void *rec)
{
    if (rc != DB_OK) entity_reply_error(r, e, rc);
    else if (rec) entity_reply(r, e, status, rec);
    else reply_empty(r, status);
}

void entity_handle_get(request *r)
{
    const entity *e = r->route->entity;
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    void *rec = arena_alloc(&r->arena, e->size);
    db *c = db_thread();
    int rc = c && rec ? entity_get(c, e, &r->principal->scope, &r->arena, id, rec) : DB_ERR;
    entity_reply_result(r, e, rc, 200, rec);
}

void entity_handle_write(request *r)
{
    const entity_writer *x = r->route->cls;
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    void *rec = arena_alloc(&r->arena, x->e->size);
    db *c = db_thread();
    jw w;
    jw_init(&w);
    int rc = c && rec ? entity_get(c, x->e, &r->principal->scope, &r->arena, id, rec) : DB_ERR;
    if (rc == DB_OK) rc = x->write(c, r->principal, &r->arena, rec, &w);
    if (rc != DB_OK) { jw_free(&w); entity_reply_error(r, x->e, rc); return; }
    reply_jw(r, 200, &w);
}

bool entity_query_filters(request *r, const entity *e, qb *where)
{
    const char *q = req_query(r, "q");
    int searched = 0;
    for (const field *f = e->fields; f->name; f++) {
        if ((f->flags & FF_SEARCH) && q && *q) {
            qb_sql(where, searched++ ? " OR " : " AND (");
            qb_sql(where, f->column);
            qb_sql(where, " LIKE ? ESCAPE '\\'");
            qb_text(where, qb_like_pattern(&r->arena, q));
        }
    }
    if (searched) qb_sql(where, ")");
    for (const field *f = e->fields; f->name; f++) {
        const char *v = (f->flags & FF_FILTER) ? req_query(r, f->name) : NULL;
        if (!v || !*v) continue;
        if (f->type == FT_ENUM && !query_choice(r, f->name, f->choices)) return false;
        qb_sql(where, " AND ");
        qb_sql(where, f->column);
        qb_sql(where, " = ?");   /* on a 422 below the caller drops where */
        if (is_text(f->type)) {
            qb_text(where, v);
        } else if (f->type == FT_BOOL) {
            bool yes = !strcmp(v, "true") || !strcmp(v, "1");
            if (!yes && strcmp(v, "false") && strcmp(v, "0")) {
                reply_error(r, 422, "invalid_field", f->name, "%s 应为 true 或 false / true or false", f->name);
                return false;
            }
            qb_int(where, yes);
        } else {
            char *end;
            long long x = strtoll(v, &end, 10);
            if (*end) {
                reply_error(r, 422, "invalid_field", f->name, "%s 应为整数 / must be an integer", f->name);
                return false;
            }
            if (!in_range(r, f, x)) return false;
            qb_int(where, x);
        }
    }
    return true;
}

bool entity_request_where(request *r, db *c, const entity *e, qb *where)
{
    int64_t org_id = 0;
    bool has;
    if (!query_id(r, "org_id", &org_id, &has)) return false;
    if (!c) { reply_db_error(r); return false; }
    qb_init(where, "");
    int rc = entity_list_where(c, e, &r->principal->scope, &r->arena, org_id, where);
    if (rc != DB_OK) { entity_reply_error(r, e, rc); return false; }
    if (!entity_query_filters(r, e, where)) { qb_free(where); return false; }
    return true;
}

bool entity_list_begin(request *r, db *c, const entity *e, qb *where, page *pg)
{
    return query_page(r, pg) && entity_request_where(r, c, e, where);
}

void entity_reply_list(request *r, db *c, const entity *e, qb *where, const char *order, const page *pg)
{
    jw w;
    int64_t total = 0;
    jw_list_open(&w);
    int rc = entity_list_page(c, e, where, order, pg->size, pg->offset, &r->arena, &w, &total, NULL, NULL);
    if (rc != DB_OK) { jw_free(&w); entity_reply_error(r, e, rc); return; }
    reply_jw_list(r, &w, total, pg->page, pg->size);
}

void entity_handle_list(request *r)
{
    const entity *e = r->route->entity;
    db *c = db_thread();
    qb where;
    page pg;
    if (entity_list_begin(r, c, e, &where, &pg)) entity_reply_list(r, c, e, &where, NULL, &pg);
}

/* The body onto rec by the field table, then the module's own rules. */
static bool read_input(request *r, const entity *e, void *rec, bool creating)
{
    return entity_read_body(r, e, rec, creating) && (!e->input || e->input(r, rec, creating));
}

void entity_handle_create(request *r)
{
    const entity *e = r->route->entity;
    void *in = arena_alloc(&r->arena, e->size), *out = arena_alloc(&r->arena, e->size);
    if (!in || !out) { reply_db_error(r); return; }
    if (!read_input(r, e, in, true)) return;
    db *c = db_thread();
    int rc = c ? e->create(c, r->principal, &r->arena, in, out) : DB_ERR;
    entity_reply_result(r, e, rc, 201, out);
}

void entity_handle_update(request *r)
{
    const entity *e = r->route->entity;
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    void *rec = arena_alloc(&r->arena, e->size), *out = arena_alloc(&r->arena, e->size);
    db *c = db_thread();
    int rc = c && rec && out ? entity_get(c, e, &r->principal->scope, &r->arena, id, rec) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, e, rc); return; }
    if (!read_input(r, e, rec, false)) return;
    entity_reply_result(r, e, e->update(c, r->principal, &r->arena, id, rec, out), 200, out);
}

void entity_handle_delete(request *r)
{
    const entity *e = r->route->entity;
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    entity_reply_result(r, e, c ? e->remove(c, r->principal, &r->arena, id) : DB_ERR, 204, NULL);
}
