/* dictionaries.c - the activity register's dictionaries: kinds (讲座, 培训 ... admins add more)
 * and audiences (青少年, 农民 ...: fixed, they are the national audience groups). Kinds are
 * retired (active = false) rather than deleted, since records keep their code. */
#include "activities/activities.h"
#include "audit/audit.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <string.h>

/* Writes {"items": [...]} from a SELECT of (code, name, sort[, active]). */
static int write_dictionary(db *c, jw *w, const char *sql, bool with_active)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERR;
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        jw_obj(w);
        jw_key(w, "code"), jw_str(w, db_col_text(s, 0));
        jw_key(w, "name"), jw_str(w, db_col_text(s, 1));
        jw_key(w, "sort"), jw_int(w, db_col_int(s, 2));
        if (with_active) jw_key(w, "active"), jw_bool(w, db_col_int(s, 3) != 0);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

int activity_kinds_write(db *c, jw *w)
{
    return write_dictionary(c, w, "SELECT code, name, sort, active FROM activity_kinds ORDER BY sort, code", true);
}

int activity_audiences_write(db *c, jw *w)
{
    return write_dictionary(c, w, "SELECT code, name, sort FROM activity_audiences ORDER BY sort, code", false);
}

static json_t *kind_json(db *c, const char *code)
{
    db_stmt *s = db_prepare(c, "SELECT name, sort, active FROM activity_kinds WHERE code = ?");
    if (!s) return NULL;
    db_bind_text(s, 1, code);
    json_t *j = NULL;
    if (db_step(s) == DB_ROW)
        j = json_pack("{s:s, s:s, s:I, s:b}", "code", code, "name", db_col_text(s, 0), "sort",
                      (json_int_t)db_col_int(s, 1), "active", db_col_int(s, 2) != 0);
    db_finish(s);
    return j;
}

struct kind_args {
    const principal *p;
    bool creating;
    const char *code, *name;
    int64_t sort;
    int active;
};

static int kind_cb(db *c, void *cls)
{
    struct kind_args *k = cls;
    json_t *before = kind_json(c, k->code);
    if (k->creating && before) { json_decref(before); return DICT_DUPLICATE; }
    if (!k->creating && !before) return DICT_NOT_FOUND;
    db_stmt *s = db_prepare(c, k->creating ? "INSERT INTO activity_kinds (name, sort, active, code) VALUES (?, ?, ?, ?)"
                                           : "UPDATE activity_kinds SET name = COALESCE(?, name), "
                                             "sort = COALESCE(?, sort), active = COALESCE(?, active) WHERE code = ?");
    int rc = s ? DB_OK : DB_ERR;
    if (s) {
        db_bind_text(s, 1, k->name);
        if (k->sort >= 0) db_bind_int(s, 2, k->sort); else db_bind_text(s, 2, NULL);
        if (k->active >= 0) db_bind_int(s, 3, k->active); else db_bind_text(s, 3, NULL);
        db_bind_text(s, 4, k->code);
        rc = db_exec_stmt(s);
        db_finish(s);
    }
    json_t *after = rc == DB_OK ? kind_json(c, k->code) : NULL;
    if (rc == DB_UNIQUE) rc = DICT_DUPLICATE;
    /* a dictionary is city-wide: the entry carries the admin's org path */
    if (rc == DB_OK) rc = audit_record(c, actor_of(k->p), k->p->org_path ? k->p->org_path : "/", "activity_kind", 0, k->creating ? "create" : "update",
                                       before, after);
    json_decref(before);
    json_decref(after);
    return rc;
}

int activity_kind_save(db *c, const principal *p, bool creating, const char *code, const char *name, int64_t sort,
                       int active)
{
    struct kind_args k = {p, creating, code, name, sort, active};
    return db_transaction(c, kind_cb, &k);
}

/* ---- HTTP ---- */

static void handle_kinds(request *r)
{
    db *c = db_thread();
    jw w;
    jw_init(&w);
    if (!c || activity_kinds_write(c, &w) != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    reply_jw(r, 200, &w);
}

static void handle_audiences(request *r)
{
    db *c = db_thread();
    jw w;
    jw_init(&w);
    if (!c || activity_audiences_write(c, &w) != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    reply_jw(r, 200, &w);
}

/* POST /activity-kinds and PATCH /activity-kinds/:code share the reading and the reply. */
static void save_kind(request *r, bool creating, const char *code)
{
    static const char *const writable[] = {"code", "name", "sort", "active", NULL};
    static const char *const none[] = {NULL};
    const char *name = NULL;
    int64_t sort = -1;
    bool active = true, has_active = false, has_sort = false;
    if (!body_allow_fields(r, creating ? writable : writable + 1, creating ? none : writable) ||
        (creating && !body_string(r, "code", true, &code)) || !body_name(r, "name", creating, 20, &name) ||
        !body_int(r, "sort", false, &sort, &has_sort) || !body_bool(r, "active", &active, &has_active))
        return;
    if (!valid_key_code(code)) {
        if (creating) reply_error(r, 422, "invalid_field", "code", "代码为 1–32 位小写字母、数字或下划线 / code must be 1-32 of [a-z0-9_]");
        else reply_not_found(r);
        return;
    }
    if (has_sort && (sort < 0 || sort > 100000)) {
        reply_error(r, 422, "invalid_field", "sort", "排序应为 0–100000 / sort must be 0-100000");
        return;
    }
    if (creating && sort < 0) sort = 100;
    db *c = db_thread();
    int rc = c ? activity_kind_save(c, r->principal, creating, code, name, sort,
                                    has_active ? active : creating ? 1 : -1) : DB_ERR;
    if (rc == DICT_DUPLICATE) { reply_error(r, 409, "duplicate", "code", "活动类型代码已存在 / kind code exists"); return; }
    if (rc == DICT_NOT_FOUND) { reply_not_found(r); return; }
    if (rc != DB_OK) { reply_db_error(r); return; }
    json_t *j = kind_json(c, code);
    if (!j) { reply_db_error(r); return; }
    reply_json(r, creating ? 201 : 200, j);
}

static void handle_kind_create(request *r) { save_kind(r, true, NULL); }

static void handle_kind_update(request *r) { save_kind(r, false, r->params[0]); }

static const struct route dictionary_routes[] = {
    {"GET", "/api/v1/activity-kinds", handle_kinds, RANK_MEMBER, 0, .summary = "Activity kinds (活动类型), retired ones included"},
    {"POST", "/api/v1/activity-kinds", handle_kind_create, RANK_ADMIN, 0, .summary = "Add an activity kind (活动类型)"},
    {"PATCH", "/api/v1/activity-kinds/:code", handle_kind_update, RANK_ADMIN, 0, .summary = "Rename, reorder or retire an activity kind"},
    {"GET", "/api/v1/activity-audiences", handle_audiences, RANK_MEMBER, 0, .summary = "Activity audiences (活动对象): the fixed national groups"},
    {0},
};

void activity_dictionaries_register_routes(void) { router_add_table(dictionary_routes); }
