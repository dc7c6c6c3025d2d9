/* teachers.c - the teacher pool's records (see teachers.h): read, list, create, update, retire.
 * The chain's steps live in teacher_chain.c, letters in letters.c. */
#include "teaching/teacher_internal.h"
#include "teaching/letters.h"
#include "audit/audit.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const teacher_statuses[] = {"draft", "proposed", "returned", "certified", "filed", "city_pool",
                                        "retired", NULL};
const char *const teacher_pool_levels[] = {"district", "city", NULL};

#define T_COLS "t.id, t.org_id, t.org_path, o.name, t.name, t.gender, t.unit, t.title, t.specialties, t.topics, " \
               "t.id_number_enc, t.phone_enc, t.pool_level, t.status, t.created_by, t.created_at, t.updated_at"
#define T_FROM " FROM teachers t JOIN orgs o ON o.id = t.org_id"

static void read_teacher(db_stmt *s, arena *a, void *row)
{
    teacher *t = row;
    memset(t, 0, sizeof *t);
    t->id = db_col_int(s, 0);
    t->org_id = db_col_int(s, 1);
    t->org_path = arena_strdup(a, db_col_text(s, 2));
    t->org_name = arena_strdup(a, db_col_text(s, 3));
    t->name = arena_strdup(a, db_col_text(s, 4));
    t->gender = arena_strdup(a, db_col_text(s, 5));
    t->unit = arena_strdup(a, db_col_text(s, 6));
    t->title = arena_strdup(a, db_col_text(s, 7));
    t->specialties = arena_strdup(a, db_col_text(s, 8));
    t->topics = arena_strdup(a, db_col_text(s, 9));
    t->id_number = pii_decrypt(a, db_col_text(s, 10));
    t->phone = pii_decrypt(a, db_col_text(s, 11));
    t->pool_level = arena_strdup(a, db_col_text(s, 12));
    t->status = arena_strdup(a, db_col_text(s, 13));
    t->created_by = db_col_null(s, 14) ? 0 : db_col_int(s, 14);
    t->created_at = arena_strdup(a, db_col_text(s, 15));
    t->updated_at = arena_strdup(a, db_col_text(s, 16));
}

void teacher_write_text_array(jw *w, const char *json_text)
{
    json_t *v = json_text ? json_loads(json_text, 0, NULL) : NULL;
    size_t i;
    json_t *e;
    jw_arr(w);
    if (json_is_array(v))
        json_array_foreach(v, i, e) jw_str(w, json_string_value(e));
    jw_arr_end(w);
    json_decref(v);
}

void teacher_write(jw *w, const teacher *t)
{
    char id_masked[32] = "", phone_masked[32] = "";
    if (t->id_number) mask_id_number(t->id_number, id_masked, sizeof id_masked);
    if (t->phone) mask_phone(t->phone, phone_masked, sizeof phone_masked);
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, t->id);
    jw_key(w, "org_id"), jw_int(w, t->org_id);
    jw_key(w, "org_name"), jw_str(w, t->org_name);
    jw_key(w, "name"), jw_str(w, t->name);
    jw_key(w, "gender"), jw_str(w, t->gender);
    jw_key(w, "unit"), jw_str(w, t->unit);
    jw_key(w, "title"), jw_str(w, t->title);
    jw_key(w, "specialties"), teacher_write_text_array(w, t->specialties);
    jw_key(w, "topics"), teacher_write_text_array(w, t->topics);
    jw_key(w, "id_number"), jw_str(w, t->id_number ? id_masked : NULL);
    jw_key(w, "phone"), jw_str(w, t->phone ? phone_masked : NULL);
    jw_key(w, "pool_level"), jw_str(w, t->pool_level);
    jw_key(w, "status"), jw_str(w, t->status);
    jw_key(w, "created_by"), jw_int_or_null(w, t->created_by);
    jw_key(w, "created_at"), jw_str(w, t->created_at);
    jw_key(w, "updated_at"), jw_str(w, t->updated_at);
    jw_obj_end(w);
}

json_t *teacher_json(const teacher *t)
{
    jw w;
    jw_init(&w);
    teacher_write(&w, t);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}

static int get_scoped(db *c, const scope *sc, arena *a, int64_t id, teacher *out)
{
    qb q;
    qb_init(&q, "SELECT " T_COLS T_FROM " WHERE t.id = ?");
    qb_int(&q, id);
    if (sc) scope_filter_owned(sc, &q, "t.org_path", "t.created_by");
    return qb_get_one(c, &q, a, read_teacher, out, TCH_NOT_FOUND);
}

/* A record by id without a scope: only to re-read a row the caller's own transaction just wrote,
 * or one it already read within the caller's scope (and for the named *_unscoped readers). */
static int get_unscoped(db *c, arena *a, int64_t id, teacher *out) { return get_scoped(c, NULL, a, id, out); }

int teachers_get(db *c, const principal *p, arena *a, int64_t id, teacher *out)
{
    return get_scoped(c, &p->scope, a, id, out);
}

int teacher_get_unscoped(db *c, arena *a, int64_t id, teacher *out)
{
    return get_unscoped(c, a, id, out);
}

static void list_where(qb *q, const principal *p, arena *a, const teacher_filter *f, const char *org_path)
{
    qb_sql(q, " WHERE 1 = 1");
    scope_filter_owned(&p->scope, q, "t.org_path", "t.created_by");
    if (org_path) {
        qb_subtree(q, a, "t.org_path", org_path);
    }
    if (f->status && *f->status) qb_sql(q, " AND t.status = ?"), qb_text(q, f->status);
    else qb_sql(q, " AND t.status <> 'retired'");   /* retired records only when asked for */
    if (f->pool_level && *f->pool_level) qb_sql(q, " AND t.pool_level = ?"), qb_text(q, f->pool_level);
    if (f->q && *f->q) qb_sql(q, " AND t.name LIKE ? ESCAPE '\\'"), qb_text(q, qb_like_pattern(a, f->q));
}

/* One row of the list into its JSON array (qb_list_page's row callback). */
static void teachers_list_row(db_stmt *s, arena *a, void *items)
{
    teacher x;
    read_teacher(s, a, &x);
    teacher_write(items, &x);
}

int teachers_list(db *c, const principal *p, arena *a, const teacher_filter *f, int64_t limit, int64_t offset,
                  jw *items, int64_t *total)
{
    const char *org_path = NULL;
    if (f->org_id) {
        org o;
        int rc = orgs_get(c, p, a, f->org_id, &o);
        if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? TCH_ORG_NOT_FOUND : rc;
        org_path = o.path;
    }
    qb where;
    qb_init(&where, "");
    list_where(&where, p, a, f, org_path);
    jw_arr(items);
    int rc = qb_list_page(c, T_COLS, T_FROM, &where,
                          " ORDER BY t.id DESC", limit, offset, total, teachers_list_row, a, items);
    jw_arr_end(items);
    return rc;
}

int teacher_audit(db *c, const principal *p, const char *action, const teacher *before, const teacher *after)
{
    json_t *b = before ? teacher_json(before) : NULL, *x = after ? teacher_json(after) : NULL;
    const teacher *t = after ? after : before;
    int rc = audit_record(c, actor_of(p), t->org_path, "teacher", t->id, action, b, x);
    json_decref(b);
    json_decref(x);
    return rc;
}

/* Another record (not id) holding the same ID number: the pool keeps one record per person. */
static int id_number_taken(db *c, const char *blind, int64_t id)
{
    db_stmt *s = db_prepare(c, "SELECT 1 FROM teachers WHERE id_number_blind = ? AND id <> ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, blind);
    db_bind_int(s, 2, id);
    int rc = db_step(s);
    db_finish(s);
    return rc == DB_ROW ? TCH_DUPLICATE_ID : rc == DB_DONE ? DB_OK : rc;
}

/* The teacher moved to another unit: its steps, letters and nominations follow it in scope. */
static int move_copies(db *c, int64_t id, const char *path)
{
    static const char *const sql[] = {
        "UPDATE teacher_steps SET org_path = ? WHERE teacher_id = ?",
        "UPDATE teacher_letters SET org_path = ? WHERE teacher_id = ?",
        "UPDATE teacher_selections SET org_path = ? WHERE teacher_id = ?",
    };
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < sizeof sql / sizeof *sql; i++) {
        db_stmt *s = db_prepare(c, sql[i]);
        if (!s) return DB_ERR;
        db_bind_text(s, 1, path);
        db_bind_int(s, 2, id);
        rc = db_exec_stmt(s);
        db_finish(s);
    }
    return rc;
}

struct write_args {
    const principal *p;
    arena *a;
    int64_t id;            /* 0: create */
    const teacher *in;
    teacher *out;
};

static int write_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    teacher before;
    org o;
    int rc = w->id ? teachers_get(c, w->p, w->a, w->id, &before) : DB_OK;
    if (rc == DB_OK) rc = orgs_get(c, w->p, w->a, w->in->org_id, &o);
    if (rc == ORGS_NOT_FOUND) return TCH_ORG_NOT_FOUND;
    if (rc != DB_OK) return rc;
    const char *id_blind = pii_blind(w->a, "id_number", w->in->id_number);
    if ((rc = id_number_taken(c, id_blind, w->id)) != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, w->id
        ? "UPDATE teachers SET org_id = ?, org_path = ?, name = ?, gender = ?, unit = ?, title = ?, specialties = ?, "
          "topics = ?, id_number_enc = ?, id_number_blind = ?, phone_enc = ?, phone_blind = ?, updated_at = ? "
          "WHERE id = ? RETURNING id"
        : "INSERT INTO teachers (org_id, org_path, name, gender, unit, title, specialties, topics, id_number_enc, "
          "id_number_blind, phone_enc, phone_blind, updated_at, pool_level, status, created_by, created_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?) RETURNING id");
    if (!s) return DB_ERR;
    const teacher *in = w->in;
    db_bind_int(s, 1, o.id);
    db_bind_text(s, 2, o.path);
    db_bind_text(s, 3, in->name);
    db_bind_text(s, 4, in->gender);
    db_bind_text(s, 5, in->unit);
    db_bind_text(s, 6, in->title);
    db_bind_text(s, 7, in->specialties ? in->specialties : "[]");
    db_bind_text(s, 8, in->topics ? in->topics : "[]");
    db_bind_text(s, 9, pii_encrypt(w->a, in->id_number));
    db_bind_text(s, 10, id_blind);
    db_bind_text(s, 11, pii_encrypt(w->a, in->phone));
    db_bind_text(s, 12, in->phone ? pii_blind(w->a, "phone", in->phone) : NULL);
    db_bind_text(s, 13, now);
    if (w->id) {
        db_bind_int(s, 14, w->id);
    } else {
        /* The city keeps its own pool: a record owned by the root is a city-level teacher. */
        db_bind_text(s, 14, o.parent_id == 0 ? "city" : "district");
        db_bind_int(s, 15, w->p->user_id);
        db_bind_text(s, 16, now);
    }
    rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc == DB_UNIQUE) return TCH_DUPLICATE_ID;
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    if ((rc = teacher_get_unscoped(c, w->a, id, w->out)) != DB_OK) return rc;
    if (!w->id) rc = teacher_step_record(c, w->p, id, o.path, "create", NULL, "draft", NULL);
    else if (strcmp(before.org_path, o.path)) rc = move_copies(c, id, o.path);
    if (rc == DB_OK) rc = teacher_audit(c, w->p, w->id ? "update" : "create", w->id ? &before : NULL, w->out);
    return rc;
}

int teachers_create(db *c, const principal *p, arena *a, const teacher *in, teacher *out)
{
    struct write_args w = {p, a, 0, in, out};
    return db_transaction(c, write_cb, &w);
}

int teachers_update(db *c, const principal *p, arena *a, int64_t id, const teacher *in, teacher *out)
{
    struct write_args w = {p, a, id, in, out};
    return db_transaction(c, write_cb, &w);
}

int teacher_set_status(db *c, int64_t id, const char *status, const char *pool_level)
{
    char now[32];
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, "UPDATE teachers SET status = ?, pool_level = COALESCE(?, pool_level), "
                               "updated_at = ? WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, status);
    db_bind_text(s, 2, pool_level);
    db_bind_text(s, 3, now);
    db_bind_int(s, 4, id);
    int rc = db_exec_stmt(s);
    db_finish(s);
    return rc;
}

static int retire_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    teacher before;
    int rc = teachers_get(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (!strcmp(before.status, "retired")) return TCH_WRONG_STATE;
    if ((rc = teacher_set_status(c, w->id, "retired", NULL)) == DB_OK) rc = letters_revoke_all(c, w->id);
    if (rc == DB_OK)
        rc = teacher_step_record(c, w->p, w->id, before.org_path, "retire", before.status, "retired", NULL);
    if (rc == DB_OK) rc = teacher_get_unscoped(c, w->a, w->id, w->out);
    if (rc == DB_OK) rc = teacher_audit(c, w->p, "delete", &before, w->out);
    return rc;
}

int teachers_retire(db *c, const principal *p, arena *a, int64_t id)
{
    teacher out;
    struct write_args w = {p, a, id, NULL, &out};
    return db_transaction(c, retire_cb, &w);
}

void teachers_init(void)
{
    orgs_track_path_column("teachers", "org_path");
    orgs_track_path_column("teacher_steps", "org_path");
    orgs_track_path_column("teacher_letters", "org_path");
    orgs_track_path_column("teacher_selections", "org_path");
}
