/* volunteers.c - the volunteers' records (see volunteers.h): read, list, export, register (by
 * staff, an import or the volunteer), update, leave, reveal, and the registered_volunteers
 * counter of the statistics engine, moved in the writer's transaction. */
#include "volunteers/volunteers.h"
#include "volunteers/projects.h"
#include "audit/audit.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/counter.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <stdio.h>
#include <string.h>

const char *const volunteer_statuses[] = {"active", "suspended", "left", NULL};
const char *const volunteer_availability[] = {"weekdays", "weekends", "evenings", "holidays", NULL};

#define V_COLS "v.id, v.org_id, v.org_path, o.name, v.volunteer_no, v.name, v.gender, v.birth_date, v.id_number_enc, " \
               "v.phone_enc, v.skills, v.fields, v.availability, v.status, v.source, v.created_by, v.created_at, " \
               "v.updated_at"
#define V_FROM " FROM volunteers v JOIN orgs o ON o.id = v.org_id"

static void read_volunteer(db_stmt *s, arena *a, void *row)
{
    volunteer *v = row;
    memset(v, 0, sizeof *v);
    v->id = db_col_int(s, 0);
    v->org_id = db_col_int(s, 1);
    v->org_path = arena_strdup(a, db_col_text(s, 2));
    v->org_name = arena_strdup(a, db_col_text(s, 3));
    v->volunteer_no = arena_strdup(a, db_col_text(s, 4));
    v->name = arena_strdup(a, db_col_text(s, 5));
    v->gender = arena_strdup(a, db_col_text(s, 6));
    v->birth_date = arena_strdup(a, db_col_text(s, 7));
    v->id_number = pii_decrypt(a, db_col_text(s, 8));
    v->phone = pii_decrypt(a, db_col_text(s, 9));
    v->skills = arena_strdup(a, db_col_text(s, 10));
    v->fields = arena_strdup(a, db_col_text(s, 11));
    v->availability = arena_strdup(a, db_col_text(s, 12));
    v->status = arena_strdup(a, db_col_text(s, 13));
    v->source = arena_strdup(a, db_col_text(s, 14));
    v->created_by = db_col_null(s, 15) ? 0 : db_col_int(s, 15);
    v->created_at = arena_strdup(a, db_col_text(s, 16));
    v->updated_at = arena_strdup(a, db_col_text(s, 17));
}

static void write_text_array(jw *w, const char *json_text)
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

/* The public form: numbers masked, no birth date (the mask hides it on purpose). */
void volunteer_write(jw *w, const volunteer *v)
{
    char phone[32] = "", id[32] = "";
    if (v->phone) mask_phone(v->phone, phone, sizeof phone);
    if (v->id_number) mask_id_number(v->id_number, id, sizeof id);
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, v->id);
    jw_key(w, "volunteer_no"), jw_str(w, v->volunteer_no);
    jw_key(w, "org_id"), jw_int(w, v->org_id);
    jw_key(w, "org_name"), jw_str(w, v->org_name);
    jw_key(w, "name"), jw_str(w, v->name);
    jw_key(w, "gender"), jw_str(w, v->gender);
    jw_key(w, "id_number"), jw_str(w, v->id_number ? id : NULL);
    jw_key(w, "phone"), jw_str(w, v->phone ? phone : NULL);
    jw_key(w, "skills"), write_text_array(w, v->skills);
    jw_key(w, "fields"), write_text_array(w, v->fields);
    jw_key(w, "availability"), write_text_array(w, v->availability);
    jw_key(w, "status"), jw_str(w, v->status);
    jw_key(w, "source"), jw_str(w, v->source);
    jw_key(w, "created_by"), jw_int_or_null(w, v->created_by);
    jw_key(w, "created_at"), jw_str(w, v->created_at);
    jw_key(w, "updated_at"), jw_str(w, v->updated_at);
    jw_obj_end(w);
}

static json_t *volunteer_json(const volunteer *v)
{
    jw w;
    jw_init(&w);
    volunteer_write(&w, v);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}

static int get_scoped(db *c, const scope *sc, arena *a, int64_t id, volunteer *out)
{
    qb q;
    qb_init(&q, "SELECT " V_COLS V_FROM " WHERE v.id = ?");
    qb_int(&q, id);
    if (sc) scope_filter_owned(sc, &q, "v.org_path", "v.created_by");
    return qb_get_one(c, &q, a, read_volunteer, out, VOL_NOT_FOUND);
}

/* A record by id without a scope: only to re-read a row the caller's own transaction just wrote,
 * or one it already read within the caller's scope (and for the named *_unscoped readers). */
static int get_unscoped(db *c, arena *a, int64_t id, volunteer *out) { return get_scoped(c, NULL, a, id, out); }

int volunteers_get(db *c, const principal *p, arena *a, int64_t id, volunteer *out)
{
    return get_scoped(c, &p->scope, a, id, out);
}

static void list_where(qb *q, const principal *p, arena *a, const volunteer_filter *f, const char *org_path)
{
    qb_sql(q, " WHERE 1 = 1");
    scope_filter_owned(&p->scope, q, "v.org_path", "v.created_by");
    if (org_path) {
        qb_subtree(q, a, "v.org_path", org_path);
    }
    if (f->team_id)
        qb_sql(q, " AND EXISTS (SELECT 1 FROM volunteer_members m WHERE m.volunteer_id = v.id AND m.team_id = ? "
                  "AND m.status = 'active')"),
            qb_int(q, f->team_id);
    if (f->status && *f->status) qb_sql(q, " AND v.status = ?"), qb_text(q, f->status);
    if (f->skill && *f->skill) qb_sql(q, " AND v.skills LIKE ? ESCAPE '\\'"), qb_text(q, qb_like_pattern(a, f->skill));
    /* exact numbers through their blind index: the numbers themselves are never searched */
    if (f->phone && *f->phone) qb_sql(q, " AND v.phone_blind = ?"), qb_text(q, pii_blind(a, "phone", f->phone));
    if (f->id_number && *f->id_number)
        qb_sql(q, " AND v.id_number_blind = ?"), qb_text(q, pii_blind(a, "id_number", f->id_number));
    if (f->q && *f->q) {
        const char *like = qb_like_pattern(a, f->q);
        qb_sql(q, " AND (v.name LIKE ? ESCAPE '\\' OR v.volunteer_no LIKE ? ESCAPE '\\')");
        qb_text(q, like);
        qb_text(q, like);
    }
}

static int filter_org(db *c, const principal *p, arena *a, int64_t org_id, const char **org_path)
{
    *org_path = NULL;
    if (!org_id) return DB_OK;
    org o;
    int rc = orgs_get(c, p, a, org_id, &o);
    if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? VOL_ORG_NOT_FOUND : rc;
    *org_path = o.path;
    return DB_OK;
}

static void list_row(db_stmt *s, arena *a, void *items)
{
    volunteer v;
    read_volunteer(s, a, &v);
    volunteer_write(items, &v);
}

int volunteers_list(db *c, const principal *p, arena *a, const volunteer_filter *f, int64_t limit, int64_t offset,
                    jw *items, int64_t *total)
{
    const char *org_path;
    int rc = filter_org(c, p, a, f->org_id, &org_path);
    if (rc != DB_OK) return rc;
    qb where;
    qb_init(&where, "");
    list_where(&where, p, a, f, org_path);
    jw_arr(items);
    rc = qb_list_page(c, V_COLS, V_FROM, &where, " ORDER BY v.id DESC", limit, offset, total, list_row, a, items);
    jw_arr_end(items);
    return rc;
}

/* "["a","b"]" -> "a、b" for a spreadsheet cell. */
static const char *joined(arena *a, const char *json_text)
{
    json_t *v = json_text ? json_loads(json_text, 0, NULL) : NULL;
    sbuf b;
    sbuf_init(&b);
    size_t i;
    json_t *e;
    if (json_is_array(v))
        json_array_foreach(v, i, e) sbuf_printf(&b, "%s%s", i ? "、" : "", json_string_value(e));
    json_decref(v);
    const char *out = arena_strdup(a, b.s ? b.s : "");
    sbuf_free(&b);
    return out;
}

static const char *status_label(const char *s)
{
    return !strcmp(s, "active") ? "在册" : !strcmp(s, "suspended") ? "暂停" : "已退出";
}

int volunteers_export(db *c, const principal *p, arena *a, const volunteer_filter *f, xlsx *out)
{
    const char *org_path;
    int rc = filter_org(c, p, a, f->org_id, &org_path);
    if (rc != DB_OK) return rc;
    qb q;
    qb_init(&q, "SELECT " V_COLS ", (SELECT COUNT(*) FROM volunteer_members m JOIN volunteer_teams t ON t.id = m.team_id "
                "WHERE m.volunteer_id = v.id AND m.status = 'active' AND t.status <> 'dissolved')" V_FROM);
    list_where(&q, p, a, f, org_path);
    qb_sql(&q, " ORDER BY v.org_path, v.id");
    db_stmt *st = qb_prepare(&q, c);
    if (!st) return DB_ERR;
    arena row;
    arena_init(&row);
    while ((rc = db_step(st)) == DB_ROW) {
        volunteer v;
        read_volunteer(st, &row, &v);
        char phone[32] = "", id[32] = "";
        if (v.phone) mask_phone(v.phone, phone, sizeof phone);
        if (v.id_number) mask_id_number(v.id_number, id, sizeof id);
        const char *gender = !v.gender ? "" : !strcmp(v.gender, "male") ? "男" : "女";
        const char *cells[] = {v.volunteer_no, v.org_name, v.name, gender, id, phone, joined(&row, v.skills),
                               joined(&row, v.fields), status_label(v.status), v.created_at};
        for (int i = 0; i < 10; i++) xlsx_text(out, i, cells[i]);
        xlsx_int(out, 10, db_col_int(st, 18));
        xlsx_next_row(out);
        arena_free(&row);
        arena_init(&row);
    }
    arena_free(&row);
    db_finish(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int volunteers_id_taken(db *c, arena *a, const char *id_number, bool *taken)
{
    db_stmt *st = db_prepare(c, "SELECT 1 FROM volunteers WHERE id_number_blind = ?");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, pii_blind(a, "id_number", id_number));
    int rc = db_step(st);
    db_finish(st);
    *taken = rc == DB_ROW;
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* The registered_volunteers counter: a volunteer counts at the registering org on the day of
 * registration while not left. */
static int figures(db *c, const volunteer *v, int sign)
{
    if (!strcmp(v->status, "left")) return DB_OK;
    char day[11];
    snprintf(day, sizeof day, "%.10s", v->created_at);
    stats_key k = {"registered_volunteers", 1};
    return stats_add_keys(c, v->org_path, day, &k, 1, sign);
}

static int audit_volunteer(db *c, const principal *p, const char *action, const volunteer *before,
                           const volunteer *after)
{
    json_t *b = before ? volunteer_json(before) : NULL, *x = after ? volunteer_json(after) : NULL;
    const volunteer *v = after ? after : before;
    int rc = audit_record(c, actor_of(p), v->org_path, "volunteer", v->id, action, b, x);
    json_decref(b);
    json_decref(x);
    return rc;
}

/* KP + year + 6-digit serial, the serial advanced inside the registering transaction. */
static int next_number(db *c, arena *a, const char *now, const char **out)
{
    int year = (now[0] - '0') * 1000 + (now[1] - '0') * 100 + (now[2] - '0') * 10 + (now[3] - '0');
    static const db_counter counter = {"volunteer_counters", {"year", NULL}, NULL};
    const int64_t key[] = {year};
    int64_t seq = 0;
    int rc = db_counter_next(c, &counter, key, NULL, a, &seq, NULL);
    if (rc == DB_OK) *out = arena_printf(a, "KP%d%06lld", year, (long long)seq);
    return rc;
}

struct write_args {
    const principal *p;
    arena *a;
    int64_t id;
    const volunteer *in;
    const char *source;
    volunteer *out;
};

/* The org a volunteer registers at: in the caller's scope, or the org the public page names
 * (no principal: volunteers_create_unscoped). */
static int target_org(db *c, const principal *p, arena *a, int64_t org_id, org *o)
{
    int rc = p ? orgs_get(c, p, a, org_id, o) : orgs_get_unscoped(c, a, org_id, o);
    return rc == ORGS_NOT_FOUND ? VOL_ORG_NOT_FOUND : rc;
}

static int store(db *c, struct write_args *w, const org *o)
{
    const volunteer *in = w->in;
    char now[40];
    time_now_rfc3339(now);
    const char *number = NULL, *id_blind = pii_blind(w->a, "id_number", in->id_number);
    int rc = w->id ? DB_OK : next_number(c, w->a, now, &number);
    if (rc != DB_OK) return rc;
    char birth[11];
    id_number_birth_day(in->id_number, birth);
    db_stmt *st = db_prepare(c, w->id
        ? "UPDATE volunteers SET org_id = ?, org_path = ?, name = ?, gender = ?, birth_date = ?, id_number_enc = ?, "
          "id_number_blind = ?, phone_enc = ?, phone_blind = ?, skills = ?, fields = ?, availability = ?, status = ?, "
          "updated_at = ? WHERE id = ? RETURNING id"
        : "INSERT INTO volunteers (org_id, org_path, name, gender, birth_date, id_number_enc, id_number_blind, "
          "phone_enc, phone_blind, skills, fields, availability, status, updated_at, volunteer_no, source, created_by, "
          "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st) return DB_ERR;
    db_bind_int(st, 1, o->id);
    db_bind_text(st, 2, o->path);
    db_bind_text(st, 3, in->name);
    db_bind_text(st, 4, in->gender);
    db_bind_text(st, 5, birth);
    db_bind_text(st, 6, pii_encrypt(w->a, in->id_number));
    db_bind_text(st, 7, id_blind);
    db_bind_text(st, 8, pii_encrypt(w->a, in->phone));
    db_bind_text(st, 9, pii_blind(w->a, "phone", in->phone));
    db_bind_text(st, 10, in->skills ? in->skills : "[]");
    db_bind_text(st, 11, in->fields ? in->fields : "[]");
    db_bind_text(st, 12, in->availability ? in->availability : "[]");
    db_bind_text(st, 13, in->status ? in->status : "active");
    db_bind_text(st, 14, now);
    if (w->id) db_bind_int(st, 15, w->id);
    else {
        db_bind_text(st, 15, number);
        db_bind_text(st, 16, w->source);
        if (w->p && w->p->user_id) db_bind_int(st, 17, w->p->user_id);
        else db_bind_text(st, 17, NULL);
        db_bind_text(st, 18, now);
    }
    rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_finish(st);
    if (rc == DB_UNIQUE) return VOL_DUPLICATE_ID;
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    return get_unscoped(c, w->a, id, w->out);
}

static int write_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    volunteer before;
    org o;
    int rc = w->id ? volunteers_get(c, w->p, w->a, w->id, &before) : DB_OK;
    if (rc != DB_OK) return rc;
    if ((rc = target_org(c, w->p, w->a, w->in->org_id, &o)) != DB_OK) return rc;
    /* one volunteer per person: another record with this ID number is a duplicate */
    db_stmt *st = db_prepare(c, "SELECT 1 FROM volunteers WHERE id_number_blind = ? AND id <> ?");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, pii_blind(w->a, "id_number", w->in->id_number));
    db_bind_int(st, 2, w->id);
    rc = db_step(st);
    db_finish(st);
    if (rc == DB_ROW) return VOL_DUPLICATE_ID;
    if (rc != DB_DONE) return rc;
    if ((rc = store(c, w, &o)) != DB_OK) return rc;
    if (w->id && (rc = figures(c, &before, -1)) != DB_OK) return rc;
    if ((rc = figures(c, w->out, +1)) != DB_OK) return rc;
    return audit_volunteer(c, w->p && w->p->user_id ? w->p : NULL, w->id ? "update" : "create", w->id ? &before : NULL, w->out);
}

int volunteers_create(db *c, const principal *p, arena *a, const volunteer *in, const char *source, volunteer *out)
{
    struct write_args w = {p, a, 0, in, source, out};
    return db_transaction(c, write_cb, &w);
}

int volunteers_create_unscoped(db *c, arena *a, const volunteer *in, volunteer *out)
{
    struct write_args w = {NULL, a, 0, in, "self", out};
    return db_transaction(c, write_cb, &w);
}

int volunteers_update(db *c, const principal *p, arena *a, int64_t id, const volunteer *in, volunteer *out)
{
    struct write_args w = {p, a, id, in, NULL, out};
    return db_transaction(c, write_cb, &w);
}

static int delete_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    volunteer before;
    char now[40];
    time_now_rfc3339(now);
    int rc = volunteers_get(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    db_stmt *st = db_prepare(c, "UPDATE volunteers SET status = 'left', updated_at = ? WHERE id = ?");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, now);
    db_bind_int(st, 2, w->id);
    rc = db_exec_stmt(st);
    db_finish(st);
    if (rc == DB_OK) rc = get_unscoped(c, w->a, w->id, w->out);
    if (rc == DB_OK) rc = figures(c, &before, -1);
    if (rc == DB_OK) rc = audit_volunteer(c, w->p, "delete", &before, w->out);
    return rc;
}

int volunteers_delete(db *c, const principal *p, arena *a, int64_t id)
{
    volunteer out;
    struct write_args w = {p, a, id, NULL, NULL, &out};
    return db_transaction(c, delete_cb, &w);
}

static int reveal_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    int rc = volunteers_get(c, w->p, w->a, w->id, w->out);
    if (rc != DB_OK) return rc;
    /* who looked, and at what: the fields, never the numbers */
    json_t *x = json_pack("{s:[s,s]}", "revealed", "id_number", "phone");
    rc = audit_record(c, actor_of(w->p), w->out->org_path, "volunteer", w->id, "reveal", NULL, x);
    json_decref(x);
    return rc;
}

int volunteers_reveal(db *c, const principal *p, arena *a, int64_t id, volunteer *out)
{
    struct write_args w = {p, a, id, NULL, NULL, out};
    return db_transaction(c, reveal_cb, &w);
}

void volunteers_init(void)
{
    static const char *const key_source =
        "SELECT org_path, substr(created_at, 1, 10) AS day, 'registered_volunteers' AS key, 1 AS n FROM volunteers "
        "WHERE status <> 'left' UNION ALL "
        "SELECT org_path, substr(created_at, 1, 10) AS day, 'volunteer_teams' AS key, 1 AS n FROM volunteer_teams "
        "WHERE status <> 'dissolved'";
    stats_register_keyed_metric("registered_volunteers");
    stats_register_keyed_metric("volunteer_teams");
    stats_register_key_source(key_source);
    orgs_track_path_column("volunteers", "org_path");
    orgs_track_path_column("volunteer_teams", "org_path");
    orgs_track_path_column("volunteer_members", "org_path");
    vp_init();       /* part 2's statistics sources, for serve, stats verify/rebuild and the demo */
}

void volunteers_register(void)
{
    volunteers_init();
    volunteers_register_routes();
    teams_register_routes();
    volunteers_import_register_routes();
    volunteers_public_register_routes();
    vp_register();   /* part 2: projects, sign-up, hours, certificates, duty (projects.h) */
}
