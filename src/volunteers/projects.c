/* projects.c - volunteer projects (志愿项目, see projects.h): read, list, create and update with
 * their positions, and the public list a volunteer's phone shows. A project copies its team's
 * owner org path, so scope and the statistics follow the team's owner. */
#include "volunteers/projects.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include "teaching/teaching.h"
#include <stdio.h>
#include <string.h>

const char *const vp_statuses[] = {"draft", "published", "cancelled", "finished", NULL};
const char *const vp_audiences[] = {"team", "public", NULL};

bool vp_time(const char *text, time_t *out) { return course_time_parse(text, out); }

#define P_COLS "p.id, p.team_id, p.org_path, t.name, p.title, p.content, p.starts_at, p.ends_at, p.day, p.place, " \
               "p.lat, p.lng, p.audience, p.credit_share, p.status, p.confirmed_at, p.confirmed_by, p.credited, " \
               "p.present, p.created_by, p.created_at, p.updated_at"
#define P_FROM " FROM volunteer_projects p JOIN volunteer_teams t ON t.id = p.team_id"

static void read_project(db_stmt *s, arena *a, void *row)
{
    vproject *x = row;
    memset(x, 0, sizeof *x);
    x->id = db_col_int(s, 0);
    x->team_id = db_col_int(s, 1);
    x->org_path = arena_strdup(a, db_col_text(s, 2));
    x->team_name = arena_strdup(a, db_col_text(s, 3));
    x->title = arena_strdup(a, db_col_text(s, 4));
    x->content = arena_strdup(a, db_col_text(s, 5));
    x->starts_at = arena_strdup(a, db_col_text(s, 6));
    x->ends_at = arena_strdup(a, db_col_text(s, 7));
    x->day = arena_strdup(a, db_col_text(s, 8));
    x->place = arena_strdup(a, db_col_text(s, 9));
    x->lat = arena_strdup(a, db_col_text(s, 10));
    x->lng = arena_strdup(a, db_col_text(s, 11));
    x->audience = arena_strdup(a, db_col_text(s, 12));
    x->credit_share = db_col_int(s, 13);
    x->status = arena_strdup(a, db_col_text(s, 14));
    x->confirmed_at = arena_strdup(a, db_col_text(s, 15));
    x->confirmed_by = db_col_null(s, 16) ? 0 : db_col_int(s, 16);
    x->credited = db_col_int(s, 17);
    x->present = db_col_int(s, 18);
    x->created_by = db_col_null(s, 19) ? 0 : db_col_int(s, 19);
    x->created_at = arena_strdup(a, db_col_text(s, 20));
    x->updated_at = arena_strdup(a, db_col_text(s, 21));
}

static int read_positions(db *c, arena *a, vproject *x)
{
    db_stmt *s = db_prepare(c, "SELECT o.id, o.name, o.headcount, "
                               "(SELECT COUNT(*) FROM volunteer_signups u WHERE u.position_id = o.id AND u.status = 'accepted'), "
                               "(SELECT COUNT(*) FROM volunteer_signups u WHERE u.position_id = o.id AND u.status = 'pending') "
                               "FROM volunteer_positions o WHERE o.project_id = ? ORDER BY o.sort, o.id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->id);
    int rc;
    x->npositions = 0;
    while ((rc = db_step(s)) == DB_ROW && x->npositions < VP_MAX_POSITIONS) {
        vp_position *o = &x->positions[x->npositions++];
        o->id = db_col_int(s, 0);
        o->name = arena_strdup(a, db_col_text(s, 1));
        o->headcount = db_col_int(s, 2);
        o->accepted = db_col_int(s, 3);
        o->pending = db_col_int(s, 4);
    }
    db_finish(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

void vp_write(jw *w, const vproject *x)
{
    int64_t headcount = 0, accepted = 0, pending = 0;
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, x->id);
    jw_key(w, "team_id"), jw_int(w, x->team_id);
    jw_key(w, "team_name"), jw_str(w, x->team_name);
    jw_key(w, "title"), jw_str(w, x->title);
    jw_key(w, "content"), jw_str(w, x->content);
    jw_key(w, "starts_at"), jw_str(w, x->starts_at);
    jw_key(w, "ends_at"), jw_str(w, x->ends_at);
    jw_key(w, "day"), jw_str(w, x->day);
    jw_key(w, "place"), jw_str(w, x->place);
    jw_key(w, "lat"), jw_str(w, x->lat);
    jw_key(w, "lng"), jw_str(w, x->lng);
    jw_key(w, "audience"), jw_str(w, x->audience);
    jw_key(w, "credit_share"), jw_int(w, x->credit_share);
    jw_key(w, "status"), jw_str(w, x->status);
    jw_key(w, "positions"), jw_arr(w);
    for (int i = 0; i < x->npositions; i++) {
        const vp_position *o = &x->positions[i];
        headcount += o->headcount, accepted += o->accepted, pending += o->pending;
        jw_obj(w);
        jw_key(w, "id"), jw_int(w, o->id);
        jw_key(w, "name"), jw_str(w, o->name);
        jw_key(w, "headcount"), jw_int(w, o->headcount);
        jw_key(w, "accepted"), jw_int(w, o->accepted);
        jw_key(w, "pending"), jw_int(w, o->pending);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "headcount"), jw_int(w, headcount);
    jw_key(w, "accepted"), jw_int(w, accepted);
    jw_key(w, "pending"), jw_int(w, pending);
    jw_key(w, "hours_confirmed"), jw_bool(w, x->confirmed_at != NULL);
    jw_key(w, "confirmed_at"), jw_str(w, x->confirmed_at);
    jw_key(w, "credited"), jw_int(w, x->credited);
    jw_key(w, "present"), jw_int(w, x->present);
    jw_key(w, "created_at"), jw_str(w, x->created_at);
    jw_key(w, "updated_at"), jw_str(w, x->updated_at);
    jw_obj_end(w);
}

static json_t *project_json(const vproject *x)
{
    jw w;
    jw_init(&w);
    vp_write(&w, x);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}

/* The project's own row (no positions) when with_positions is false. */
static int get_row(db *c, const scope *sc, arena *a, int64_t id, vproject *out, bool with_positions)
{
    qb q;
    qb_init(&q, "SELECT " P_COLS P_FROM " WHERE p.id = ?");
    qb_int(&q, id);
    if (sc) scope_filter_owned(sc, &q, "p.org_path", "p.created_by");   /* scope self: its own projects */
    int rc = qb_get_one(c, &q, a, read_project, out, VP_NOT_FOUND);
    if (rc != DB_OK) return rc;
    return with_positions ? read_positions(c, a, out) : DB_OK;
}

static int get_scoped(db *c, const scope *sc, arena *a, int64_t id, vproject *out)
{
    return get_row(c, sc, a, id, out, true);
}

/* A record by id without a scope: only to re-read a row the caller's own transaction just wrote,
 * or one it already read within the caller's scope (and for the named *_unscoped readers). */
static int get_unscoped(db *c, arena *a, int64_t id, vproject *out) { return get_scoped(c, NULL, a, id, out); }

int vp_get(db *c, const principal *p, arena *a, int64_t id, vproject *out) { return get_scoped(c, &p->scope, a, id, out); }
int vp_get_unscoped(db *c, arena *a, int64_t id, vproject *out) { return get_unscoped(c, a, id, out); }
int vp_get_row_unscoped(db *c, arena *a, int64_t id, vproject *out) { return get_row(c, NULL, a, id, out, false); }

struct list_ctx {
    db *c;
    jw *w;
    int rc;
};

static void list_row(db_stmt *s, arena *a, void *cls)
{
    struct list_ctx *l = cls;
    vproject x;
    read_project(s, a, &x);
    int rc = read_positions(l->c, a, &x);
    if (rc != DB_OK) l->rc = rc;
    vp_write(l->w, &x);
}

int vp_list(db *c, const principal *p, arena *a, const vp_filter *f, int64_t limit, int64_t offset, jw *items,
            int64_t *total)
{
    qb q;
    qb_init(&q, " WHERE 1 = 1");
    scope_filter_owned(&p->scope, &q, "p.org_path", "p.created_by");
    if (f->org_id) {
        org o;
        int rc = orgs_get(c, p, a, f->org_id, &o);
        if (rc != DB_OK) { qb_free(&q); return rc == ORGS_NOT_FOUND ? VOL_ORG_NOT_FOUND : rc; }
        qb_subtree(&q, a, "p.org_path", o.path);
    }
    if (f->team_id) qb_sql(&q, " AND p.team_id = ?"), qb_int(&q, f->team_id);
    if (f->status && *f->status) qb_sql(&q, " AND p.status = ?"), qb_text(&q, f->status);
    if (f->from && *f->from) qb_sql(&q, " AND p.day >= ?"), qb_text(&q, f->from);
    if (f->to && *f->to) qb_sql(&q, " AND p.day <= ?"), qb_text(&q, f->to);
    if (f->q && *f->q) qb_sql(&q, " AND p.title LIKE ? ESCAPE '\\'"), qb_text(&q, qb_like_pattern(a, f->q));
    struct list_ctx l = {c, items, DB_OK};
    jw_arr(items);
    int rc = qb_list_page(c, P_COLS, P_FROM, &q, " ORDER BY p.starts_at DESC, p.id DESC", limit, offset, total,
                          list_row, a, &l);
    jw_arr_end(items);
    return rc == DB_OK ? l.rc : rc;
}

int vp_public_list(db *c, arena *a, int64_t volunteer_id, jw *w)
{
    char now[40];
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, "SELECT " P_COLS P_FROM " WHERE p.status = 'published' AND p.ends_at >= ? AND "
                               "(p.audience = 'public' OR EXISTS (SELECT 1 FROM volunteer_members m WHERE "
                               "m.team_id = p.team_id AND m.volunteer_id = ? AND m.status = 'active')) "
                               "ORDER BY p.starts_at, p.id LIMIT 200");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, now);
    db_bind_int(s, 2, volunteer_id);
    int rc;
    jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) {
        vproject x;
        read_project(s, a, &x);
        if (read_positions(c, a, &x) != DB_OK) { rc = DB_ERR; break; }
        vp_write(w, &x);
    }
    jw_arr_end(w);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

struct write_args {
    const principal *p;
    arena *a;
    int64_t id;
    const vproject *in;
    vproject *out;
};

static int store_positions(db *c, const vproject *before, const vproject *in, int64_t project_id)
{
    int rc = DB_OK;
    /* positions left out of the new list go, unless someone signed up for them */
    for (int i = 0; before && rc == DB_OK && i < before->npositions; i++) {
        const vp_position *o = &before->positions[i];
        bool kept = false;
        for (int j = 0; j < in->npositions; j++) kept = kept || in->positions[j].id == o->id;
        if (kept) continue;
        db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM volunteer_signups WHERE position_id = ?");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, o->id);
        int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
        db_finish(s);
        if (n) return VP_POSITION_USED;
        if (!(s = db_prepare(c, "DELETE FROM volunteer_positions WHERE id = ?"))) return DB_ERR;
        db_bind_int(s, 1, o->id);
        rc = db_exec_stmt(s);
        db_finish(s);
    }
    for (int j = 0; rc == DB_OK && j < in->npositions; j++) {
        const vp_position *n = &in->positions[j];
        const vp_position *old = NULL;
        for (int i = 0; before && i < before->npositions; i++)
            if (before->positions[i].id == n->id) old = &before->positions[i];
        if (n->id && !old) return VP_POSITION_NOT_FOUND;
        if (old && n->headcount < old->accepted) return VP_POSITION_USED;
        db_stmt *s = db_prepare(c, old ? "UPDATE volunteer_positions SET name = ?, headcount = ?, sort = ? WHERE id = ?"
                                       : "INSERT INTO volunteer_positions (name, headcount, sort, project_id) "
                                         "VALUES (?, ?, ?, ?)");
        if (!s) return DB_ERR;
        db_bind_text(s, 1, n->name);
        db_bind_int(s, 2, n->headcount);
        db_bind_int(s, 3, j + 1);
        db_bind_int(s, 4, old ? old->id : project_id);
        rc = db_exec_stmt(s);
        db_finish(s);
    }
    return rc;
}

static int store(db *c, struct write_args *w, const volunteer_team *t, const vproject *before)
{
    const vproject *in = w->in;
    char now[40], day[11];
    time_now_rfc3339(now);
    snprintf(day, sizeof day, "%.10s", in->starts_at);
    db_stmt *s = db_prepare(c, w->id
        ? "UPDATE volunteer_projects SET team_id = ?, org_path = ?, title = ?, content = ?, starts_at = ?, "
          "ends_at = ?, day = ?, place = ?, lat = ?, lng = ?, audience = ?, credit_share = ?, status = ?, "
          "updated_at = ? WHERE id = ? RETURNING id"
        : "INSERT INTO volunteer_projects (team_id, org_path, title, content, starts_at, ends_at, day, place, lat, "
          "lng, audience, credit_share, status, updated_at, created_by, created_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, t->id);
    db_bind_text(s, 2, t->org_path);
    db_bind_text(s, 3, in->title);
    db_bind_text(s, 4, in->content);
    db_bind_text(s, 5, in->starts_at);
    db_bind_text(s, 6, in->ends_at);
    db_bind_text(s, 7, day);
    db_bind_text(s, 8, in->place);
    db_bind_text(s, 9, in->lat);
    db_bind_text(s, 10, in->lng);
    db_bind_text(s, 11, in->audience ? in->audience : "public");
    db_bind_int(s, 12, in->credit_share ? in->credit_share : 60);
    db_bind_text(s, 13, in->status ? in->status : "draft");
    db_bind_text(s, 14, now);
    if (w->id) db_bind_int(s, 15, w->id);
    else {
        if (w->p->user_id) db_bind_int(s, 15, w->p->user_id);
        else db_bind_text(s, 15, NULL);
        db_bind_text(s, 16, now);
    }
    int rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    if ((rc = store_positions(c, before, in, id)) != DB_OK) return rc;
    /* sign-ups follow the project's org path (a project moved to another team) */
    if (w->id && (s = db_prepare(c, "UPDATE volunteer_signups SET org_path = ? WHERE project_id = ?"))) {
        db_bind_text(s, 1, t->org_path);
        db_bind_int(s, 2, id);
        rc = db_exec_stmt(s);
        db_finish(s);
        if (rc != DB_OK) return rc;
    }
    return get_unscoped(c, w->a, id, w->out);
}

static int write_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    vproject before;
    volunteer_team t;
    int rc = w->id ? vp_get(c, w->p, w->a, w->id, &before) : DB_OK;
    if (rc != DB_OK) return rc;
    if (w->id && (before.confirmed_at || !strcmp(before.status, "cancelled"))) return VP_BAD_STATE;
    rc = teams_get(c, w->p, w->a, w->in->team_id, &t);
    if (rc == VOL_NOT_FOUND || (rc == DB_OK && strcmp(t.status, "active") && (!w->id || t.id != before.team_id)))
        return VP_TEAM_NOT_FOUND;
    if (rc != DB_OK) return rc;
    if ((rc = store(c, w, &t, w->id ? &before : NULL)) != DB_OK) return rc;
    json_t *b = w->id ? project_json(&before) : NULL, *x = project_json(w->out);
    rc = audit_record(c, actor_of(w->p), w->out->org_path, "volunteer_project", w->out->id, w->id ? "update" : "create", b, x);
    json_decref(b);
    json_decref(x);
    return rc;
}

int vp_create(db *c, const principal *p, arena *a, const vproject *in, vproject *out)
{
    struct write_args w = {p, a, 0, in, out};
    return db_transaction(c, write_cb, &w);
}

int vp_update(db *c, const principal *p, arena *a, int64_t id, const vproject *in, vproject *out)
{
    struct write_args w = {p, a, id, in, out};
    return db_transaction(c, write_cb, &w);
}
