/* teams.c - volunteer teams (科技志愿服务队, see volunteers.h): the eight categories with their
 * naming suffixes, the proposed name (owner org name + suffix, kept unique), read, list, export,
 * create, update and dissolve (a soft delete), and the volunteer_teams counter of the statistics
 * engine. A team's contact phone is stored like every personal number. */
#include "volunteers/volunteers.h"
#include "audit/audit.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <stdio.h>
#include <string.h>

const char *const team_statuses[] = {"active", "suspended", "dissolved", NULL};

#define T_COLS "t.id, t.org_id, t.org_path, o.name, t.category, k.name, t.name, t.contact_name, t.contact_phone_enc, " \
               "t.description, t.status, t.created_by, t.created_at, t.updated_at, " \
               "(SELECT COUNT(*) FROM volunteer_members m WHERE m.team_id = t.id AND m.status = 'active'), " \
               "(SELECT COUNT(*) FROM volunteer_members m WHERE m.team_id = t.id AND m.status = 'pending'), " \
               "(SELECT MIN(v.name) FROM volunteer_members m JOIN volunteers v ON v.id = m.volunteer_id " \
               "WHERE m.team_id = t.id AND m.status = 'active' AND m.role = 'leader')"
#define T_FROM " FROM volunteer_teams t JOIN orgs o ON o.id = t.org_id JOIN volunteer_team_categories k ON k.code = t.category"

static void read_team(db_stmt *s, arena *a, void *row)
{
    volunteer_team *t = row;
    memset(t, 0, sizeof *t);
    t->id = db_col_int(s, 0);
    t->org_id = db_col_int(s, 1);
    t->org_path = arena_strdup(a, db_col_text(s, 2));
    t->org_name = arena_strdup(a, db_col_text(s, 3));
    t->category = arena_strdup(a, db_col_text(s, 4));
    t->category_name = arena_strdup(a, db_col_text(s, 5));
    t->name = arena_strdup(a, db_col_text(s, 6));
    t->contact_name = arena_strdup(a, db_col_text(s, 7));
    t->contact_phone = pii_decrypt(a, db_col_text(s, 8));
    t->description = arena_strdup(a, db_col_text(s, 9));
    t->status = arena_strdup(a, db_col_text(s, 10));
    t->created_by = db_col_null(s, 11) ? 0 : db_col_int(s, 11);
    t->created_at = arena_strdup(a, db_col_text(s, 12));
    t->updated_at = arena_strdup(a, db_col_text(s, 13));
    t->members = db_col_int(s, 14);
    t->pending = db_col_int(s, 15);
    t->leader = arena_strdup(a, db_col_text(s, 16));
}

void team_write(jw *w, const volunteer_team *t)
{
    char phone[32] = "";
    if (t->contact_phone) mask_phone(t->contact_phone, phone, sizeof phone);
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, t->id);
    jw_key(w, "org_id"), jw_int(w, t->org_id);
    jw_key(w, "org_name"), jw_str(w, t->org_name);
    jw_key(w, "category"), jw_str(w, t->category);
    jw_key(w, "category_name"), jw_str(w, t->category_name);
    jw_key(w, "name"), jw_str(w, t->name);
    jw_key(w, "leader"), jw_str(w, t->leader);
    jw_key(w, "contact_name"), jw_str(w, t->contact_name);
    jw_key(w, "contact_phone"), jw_str(w, t->contact_phone ? phone : NULL);
    jw_key(w, "description"), jw_str(w, t->description);
    jw_key(w, "status"), jw_str(w, t->status);
    jw_key(w, "members"), jw_int(w, t->members);
    jw_key(w, "pending"), jw_int(w, t->pending);
    jw_key(w, "created_by"), jw_int_or_null(w, t->created_by);
    jw_key(w, "created_at"), jw_str(w, t->created_at);
    jw_key(w, "updated_at"), jw_str(w, t->updated_at);
    jw_obj_end(w);
}

static json_t *team_json(const volunteer_team *t)
{
    jw w;
    jw_init(&w);
    team_write(&w, t);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}

int teams_categories(db *c, jw *w)
{
    db_stmt *st = db_prepare(c, "SELECT code, name, suffix, sort FROM volunteer_team_categories ORDER BY sort, code");
    if (!st) return DB_ERR;
    int rc;
    jw_obj(w);
    jw_key(w, "items"), jw_arr(w);
    while ((rc = db_step(st)) == DB_ROW) {
        jw_obj(w);
        jw_key(w, "code"), jw_str(w, db_col_text(st, 0));
        jw_key(w, "name"), jw_str(w, db_col_text(st, 1));
        jw_key(w, "suffix"), jw_str(w, db_col_text(st, 2));
        jw_key(w, "sort"), jw_int(w, db_col_int(st, 3));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    db_finish(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* The suffix of a category; VOL_BAD_CATEGORY when the category is unknown. */
static int category_suffix(db *c, arena *a, const char *category, const char **suffix)
{
    db_stmt *st = db_prepare(c, "SELECT suffix FROM volunteer_team_categories WHERE code = ?");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, category);
    int rc = db_step(st);
    if (rc == DB_ROW) *suffix = arena_strdup(a, db_col_text(st, 0));
    db_finish(st);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? VOL_BAD_CATEGORY : rc;
}

/* Whether another team (not id) has this name. */
static int name_taken(db *c, const char *name, int64_t id, bool *taken)
{
    db_stmt *st = db_prepare(c, "SELECT 1 FROM volunteer_teams WHERE name = ? AND id <> ?");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, name);
    db_bind_int(st, 2, id);
    int rc = db_step(st);
    *taken = rc == DB_ROW;
    db_finish(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int teams_propose_name(db *c, const principal *p, arena *a, int64_t org_id, const char *category, const char **name)
{
    org o;
    const char *suffix;
    int rc = orgs_get(c, p, a, org_id, &o);
    if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? VOL_ORG_NOT_FOUND : rc;
    if ((rc = category_suffix(c, a, category, &suffix)) != DB_OK) return rc;
    for (int n = 1; n < 100; n++) {
        const char *candidate = n == 1 ? arena_printf(a, "%s%s", o.name, suffix)
                                       : arena_printf(a, "%s%s(%d)", o.name, suffix, n);
        bool taken;
        if ((rc = name_taken(c, candidate, 0, &taken)) != DB_OK) return rc;
        if (!taken) { *name = candidate; return DB_OK; }
    }
    *name = arena_printf(a, "%s%s", o.name, suffix);
    return DB_OK;
}

static int get_scoped(db *c, const scope *sc, arena *a, int64_t id, volunteer_team *out)
{
    qb q;
    qb_init(&q, "SELECT " T_COLS T_FROM " WHERE t.id = ?");
    qb_int(&q, id);
    if (sc) scope_filter_owned(sc, &q, "t.org_path", "t.created_by");   /* scope self: its own teams */
    return qb_get_one(c, &q, a, read_team, out, VOL_NOT_FOUND);
}

/* A record by id without a scope: only to re-read a row the caller's own transaction just wrote,
 * or one it already read within the caller's scope (and for the named *_unscoped readers). */
static int get_unscoped(db *c, arena *a, int64_t id, volunteer_team *out) { return get_scoped(c, NULL, a, id, out); }

int teams_get_unscoped(db *c, arena *a, int64_t id, volunteer_team *out) { return get_unscoped(c, a, id, out); }

int teams_get(db *c, const principal *p, arena *a, int64_t id, volunteer_team *out)
{
    return get_scoped(c, &p->scope, a, id, out);
}

static int list_where(db *c, const principal *p, arena *a, const team_filter *f, qb *q)
{
    qb_sql(q, " WHERE 1 = 1");
    scope_filter_owned(&p->scope, q, "t.org_path", "t.created_by");
    if (f->org_id) {
        org o;
        int rc = orgs_get(c, p, a, f->org_id, &o);
        if (rc != DB_OK) { qb_free(q); return rc == ORGS_NOT_FOUND ? VOL_ORG_NOT_FOUND : rc; }
        qb_subtree(q, a, "t.org_path", o.path);
    }
    if (f->category && *f->category) qb_sql(q, " AND t.category = ?"), qb_text(q, f->category);
    if (f->status && *f->status) qb_sql(q, " AND t.status = ?"), qb_text(q, f->status);
    if (f->q && *f->q) qb_sql(q, " AND t.name LIKE ? ESCAPE '\\'"), qb_text(q, qb_like_pattern(a, f->q));
    return DB_OK;
}

static void list_row(db_stmt *s, arena *a, void *items)
{
    volunteer_team t;
    read_team(s, a, &t);
    team_write(items, &t);
}

int teams_list(db *c, const principal *p, arena *a, const team_filter *f, int64_t limit, int64_t offset, jw *items,
               int64_t *total)
{
    qb where;
    qb_init(&where, "");
    int rc = list_where(c, p, a, f, &where);
    if (rc != DB_OK) return rc;
    jw_arr(items);
    rc = qb_list_page(c, T_COLS, T_FROM, &where, " ORDER BY t.id DESC", limit, offset, total, list_row, a, items);
    jw_arr_end(items);
    return rc;
}

int teams_export(db *c, const principal *p, arena *a, const team_filter *f, xlsx *out)
{
    qb q;
    qb_init(&q, "SELECT " T_COLS T_FROM);
    int rc = list_where(c, p, a, f, &q);
    if (rc != DB_OK) return rc;
    qb_sql(&q, " ORDER BY t.org_path, t.id");
    db_stmt *st = qb_prepare(&q, c);
    if (!st) return DB_ERR;
    arena row;
    arena_init(&row);
    while ((rc = db_step(st)) == DB_ROW) {
        volunteer_team t;
        read_team(st, &row, &t);
        char phone[32] = "";
        if (t.contact_phone) mask_phone(t.contact_phone, phone, sizeof phone);
        const char *status = !strcmp(t.status, "active") ? "正常" : !strcmp(t.status, "suspended") ? "暂停" : "已解散";
        const char *cells[] = {t.name, t.category_name, t.org_name, t.leader ? t.leader : "",
                               t.contact_name ? t.contact_name : "", phone, status};
        for (int i = 0; i < 7; i++) xlsx_text(out, i, cells[i]);
        xlsx_int(out, 7, t.members);
        xlsx_int(out, 8, t.pending);
        xlsx_text(out, 9, t.created_at);
        xlsx_next_row(out);
        arena_free(&row);
        arena_init(&row);
    }
    arena_free(&row);
    db_finish(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* The volunteer_teams counter: a team counts at its owner on the day it was formed, until dissolved. */
static int figures(db *c, const volunteer_team *t, int sign)
{
    if (!strcmp(t->status, "dissolved")) return DB_OK;
    char day[11];
    snprintf(day, sizeof day, "%.10s", t->created_at);
    stats_key k = {"volunteer_teams", 1};
    return stats_add_keys(c, t->org_path, day, &k, 1, sign);
}

static int audit_team(db *c, const principal *p, const char *action, const volunteer_team *before,
                      const volunteer_team *after)
{
    json_t *b = before ? team_json(before) : NULL, *x = after ? team_json(after) : NULL;
    const volunteer_team *t = after ? after : before;
    int rc = audit_record(c, actor_of(p), t->org_path, "volunteer_team", t->id, action, b, x);
    json_decref(b);
    json_decref(x);
    return rc;
}

struct write_args {
    const principal *p;
    arena *a;
    int64_t id;
    const volunteer_team *in;
    volunteer_team *out;
};

static int store(db *c, struct write_args *w, const org *o)
{
    const volunteer_team *in = w->in;
    char now[40];
    time_now_rfc3339(now);
    db_stmt *st = db_prepare(c, w->id
        ? "UPDATE volunteer_teams SET org_id = ?, org_path = ?, category = ?, name = ?, contact_name = ?, "
          "contact_phone_enc = ?, contact_phone_blind = ?, description = ?, status = ?, updated_at = ? WHERE id = ? "
          "RETURNING id"
        : "INSERT INTO volunteer_teams (org_id, org_path, category, name, contact_name, contact_phone_enc, "
          "contact_phone_blind, description, status, updated_at, created_by, created_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st) return DB_ERR;
    db_bind_int(st, 1, o->id);
    db_bind_text(st, 2, o->path);
    db_bind_text(st, 3, in->category);
    db_bind_text(st, 4, in->name);
    db_bind_text(st, 5, in->contact_name);
    db_bind_text(st, 6, pii_encrypt(w->a, in->contact_phone));
    db_bind_text(st, 7, in->contact_phone ? pii_blind(w->a, "phone", in->contact_phone) : NULL);
    db_bind_text(st, 8, in->description);
    db_bind_text(st, 9, in->status ? in->status : "active");
    db_bind_text(st, 10, now);
    if (w->id) db_bind_int(st, 11, w->id);
    else {
        if (w->p->user_id) db_bind_int(st, 11, w->p->user_id);
        else db_bind_text(st, 11, NULL);
        db_bind_text(st, 12, now);
    }
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_finish(st);
    if (rc == DB_UNIQUE) return VOL_DUPLICATE_NAME;
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    return get_unscoped(c, w->a, id, w->out);
}

static int write_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    volunteer_team before;
    org o;
    const char *suffix;
    bool taken;
    int rc = w->id ? teams_get(c, w->p, w->a, w->id, &before) : DB_OK;
    if (rc != DB_OK) return rc;
    rc = orgs_get(c, w->p, w->a, w->in->org_id, &o);
    if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? VOL_ORG_NOT_FOUND : rc;
    if ((rc = category_suffix(c, w->a, w->in->category, &suffix)) != DB_OK) return rc;
    if ((rc = name_taken(c, w->in->name, w->id, &taken)) != DB_OK) return rc;
    if (taken) return VOL_DUPLICATE_NAME;
    if ((rc = store(c, w, &o)) != DB_OK) return rc;
    if (w->id && (rc = figures(c, &before, -1)) != DB_OK) return rc;
    if ((rc = figures(c, w->out, +1)) != DB_OK) return rc;
    return audit_team(c, w->p, w->id ? "update" : "create", w->id ? &before : NULL, w->out);
}

int teams_create(db *c, const principal *p, arena *a, const volunteer_team *in, volunteer_team *out)
{
    struct write_args w = {p, a, 0, in, out};
    return db_transaction(c, write_cb, &w);
}

int teams_update(db *c, const principal *p, arena *a, int64_t id, const volunteer_team *in, volunteer_team *out)
{
    struct write_args w = {p, a, id, in, out};
    return db_transaction(c, write_cb, &w);
}

static int dissolve_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    volunteer_team before;
    int rc = teams_get(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (!strcmp(before.status, "dissolved")) return VOL_BAD_STATE;
    char now[40];
    time_now_rfc3339(now);
    db_stmt *st = db_prepare(c, "UPDATE volunteer_teams SET status = 'dissolved', updated_at = ? WHERE id = ?");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, now);
    db_bind_int(st, 2, w->id);
    rc = db_exec_stmt(st);
    db_finish(st);
    if (rc == DB_OK) rc = get_unscoped(c, w->a, w->id, w->out);
    if (rc == DB_OK) rc = figures(c, &before, -1);
    if (rc == DB_OK) rc = audit_team(c, w->p, "delete", &before, w->out);
    return rc;
}

int teams_dissolve(db *c, const principal *p, arena *a, int64_t id)
{
    volunteer_team out;
    struct write_args w = {p, a, id, NULL, &out};
    return db_transaction(c, dissolve_cb, &w);
}

int teams_public_of_org(db *c, int64_t org_id, jw *w)
{
    db_stmt *st = db_prepare(c, "SELECT t.id, t.name, t.category FROM volunteer_teams t JOIN orgs o ON o.id = ? "
                                "WHERE t.status = 'active' AND t.org_path >= o.path AND t.org_path < o.path || '~' "
                                "ORDER BY t.org_path, t.id LIMIT 200");
    if (!st) return DB_ERR;
    db_bind_int(st, 1, org_id);
    int rc;
    jw_arr(w);
    while ((rc = db_step(st)) == DB_ROW) {
        jw_obj(w);
        jw_key(w, "id"), jw_int(w, db_col_int(st, 0));
        jw_key(w, "name"), jw_str(w, db_col_text(st, 1));
        jw_key(w, "category"), jw_str(w, db_col_text(st, 2));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    db_finish(st);
    return rc == DB_DONE ? DB_OK : rc;
}
