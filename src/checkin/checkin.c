/* checkin.c - check-in sessions and their records (see checkin.h): the owner kinds' registry,
 * opening and closing sessions in the caller's scope, and the attendance records staff mark.
 * Every record goes through checkin_record(), which runs the owner kind's hook in the same
 * transaction, so the owner's figures never drift from the records. */
#include "checkin/checkin_internal.h"
#include "audit/audit.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "model/entity.h"
#include "orgs/orgs.h"
#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define MAX_KINDS 8
static const checkin_kind *kinds[MAX_KINDS];
static int nkinds;

void checkin_register_kind(const checkin_kind *k)
{
    for (int i = 0; i < nkinds; i++)
        if (!strcmp(kinds[i]->kind, k->kind)) return;
    if (nkinds < MAX_KINDS) kinds[nkinds++] = k;
}

const checkin_kind *checkin_kind_find(const char *kind)
{
    for (int i = 0; kind && i < nkinds; i++)
        if (!strcmp(kinds[i]->kind, kind)) return kinds[i];
    return NULL;
}

bool checkin_window_open(const checkin_session *s)
{
    time_t now = time(NULL);
    return !strcmp(s->status, "open") && !s->owner.cancelled && now >= s->owner.opens && now <= s->owner.closes;
}

/* Loads the owner through its kind; scope self sees the sessions of the owners it recorded, as it
 * sees those owners. */
static int complete_session(db *c, const scope *sc, arena *a, void *rec)
{
    checkin_session *s = rec;
    const checkin_kind *k = checkin_kind_find(s->owner_kind);
    int rc = k ? k->load(c, a, s->owner_id, &s->owner) : CHK_UNKNOWN_KIND;
    if (rc != DB_OK) return rc;
    if (sc && sc->level == SCOPE_SELF && s->owner.created_by != sc->user_id) return CHK_NOT_FOUND;
    char t[40];
    s->opens_at = arena_strdup(a, (time_to_rfc3339(s->owner.opens, t), t));
    s->closes_at = arena_strdup(a, (time_to_rfc3339(s->owner.closes, t), t));
    s->window_open = checkin_window_open(s);
    return DB_OK;
}

static const char *const session_statuses[] = {"open", "closed", NULL};

#define T(member) offsetof(checkin_session, member)
static const field session_fields[] = {
    {"id", "id", FT_ID, T(id), .flags = 0},
    {"kind", "owner_kind", FT_TEXT, T(owner_kind), .flags = 0, .example = "\"course\"", .doc = "the owner's kind"},
    {"owner_id", "owner_id", FT_ID, T(owner_id), .flags = 0},
    {"org_path", "org_path", FT_TEXT, T(org_path), .flags = FF_HIDDEN},
    {"title", NULL, FT_TEXT, T(owner.title), .flags = FF_NO_SELECT},
    {"place", NULL, FT_TEXT, T(owner.place), .flags = FF_NO_SELECT},
    {"starts_at", NULL, FT_TIME, T(owner.starts_at), .flags = FF_NO_SELECT},
    {"ends_at", NULL, FT_TIME, T(owner.ends_at), .flags = FF_NO_SELECT},
    {"opens_at", NULL, FT_TIME, T(opens_at), .flags = FF_NO_SELECT, .doc = "the window, grace included"},
    {"closes_at", NULL, FT_TIME, T(closes_at), .flags = FF_NO_SELECT},
    {"status", "status", FT_ENUM, T(status), .flags = 0, .choices = session_statuses},
    {"window_open", NULL, FT_BOOL, T(window_open), .flags = FF_NO_SELECT},
    {"checked_in", "checked_in", FT_INT, T(checked_in), .flags = 0},
    {"code", "code", FT_TEXT, T(code), .flags = FF_OMIT_NULL, .doc = "the 6-digit fallback code (staff's answers only)"},
    {"created_by", "created_by", FT_INT_NULL, T(created_by), .flags = FF_HIDDEN},
    {"created_at", "created_at", FT_TIME, T(created_at), .flags = 0},
    {"updated_at", "updated_at", FT_TIME, T(updated_at), .flags = 0},
    {0},
};
#undef T

static const error_row checkin_errors[] = {
    {CHK_TOKEN_INVALID, 403, "token_invalid", "token", "二维码无效，请扫描老师屏幕上的二维码 / invalid code: scan the one on "
                                                       "the teacher's screen"},
    {CHK_TOKEN_EXPIRED, 410, "token_expired", "token", "二维码已过期，请重新扫描 / the code has expired: scan again"},
    {CHK_CODE_LOCKED, 429, "too_many_attempts", "code", "错误次数过多，请扫描老师屏幕上的二维码或稍后再试 / too many wrong "
                                                        "codes or names from this network: scan the QR code or try again later"},
    {CHK_NAME_MISMATCH, 409, "name_mismatch", "name", "该手机号已登记为学员，姓名不一致，请填写登记时的姓名或联系老师 / this "
                                                      "phone is on record under another name: enter the name on record or ask the teacher"},
    {CHK_TOO_MANY_NEWCOMERS, 429, "too_many_newcomers", "phone", "新学员签到人数已达上限，请联系老师登记 / too many newcomers for "
                                                                 "this session: ask the teacher to enrol you"},
    {CHK_LIMIT_UNAVAILABLE, 503, "unavailable", NULL, "服务暂不可用，请稍后再试 / unavailable: try again later"},
    {CHK_CODE_INVALID, 403, "token_invalid", "code", "签到码错误 / wrong check-in code"},
    {CHK_WINDOW_CLOSED, 409, "window_closed", NULL, "不在签到时间内 / check-in is not open now"},
    {CHK_UNKNOWN_KIND, 422, "invalid_field", "kind", "未知的签到类型 / unknown kind"},
    {CHK_BAD_KEY, 422, "invalid_field", "student_key", "未找到该学员，请填写姓名和手机号 / unknown key: enter name and phone"},
    {CHK_NOT_ADMITTED, 409, "not_admitted", NULL, "您没有此活动已通过的报名，不能签到 / no accepted sign-up for this "
                                                  "activity: check-in refused"},
    {CHK_NOT_CHECKED_IN, 409, "not_checked_in", NULL, "尚未签到，不能签退 / not checked in yet: check-out refused"},
    {CHK_NO_CHECKOUT, 422, "invalid_field", "direction", "此类签到无需签退 / this kind has no check-out"},
    {CHK_PERSON_NOT_FOUND, 404, "not_found", "student_ids", "学员不存在 / student not found"},
    {CHK_NOT_ATTENDED, 403, "not_checked_in", "student_key", "签到后才能评价 / only those who checked in may rate"},
    {CHK_NOT_RATABLE, 409, "not_ratable", NULL, "此签到不接受评价 / this check-in takes no ratings"},
    {CHK_RATING_CLOSED, 409, "rating_closed", NULL, "评价已截止 / rating is closed for this session"},
    {0},
};

entity checkin_session_entity = {
    .name = "checkin_session",
    .doc = "A check-in session (签到) of an owner record of another module",
    .from = " FROM checkin_sessions",
    .id_column = "id",
    .path_column = "org_path",
    .order = " ORDER BY id DESC",
    .size = sizeof(checkin_session),
    .fields = session_fields,
    .not_found = CHK_NOT_FOUND,
    .org_not_found = CHK_NOT_FOUND,
    .errors = checkin_errors,
    .complete = complete_session,
};

void checkin_session_write(jw *w, const checkin_session *s, bool with_code)
{
    checkin_session x = *s;
    if (!with_code) x.code = NULL;
    entity_write(w, &checkin_session_entity, &x);
}

/* The conditions naming the session of an owner. */
static void owner_conds(qb *q, const char *kind, int64_t owner_id)
{
    qb_init(q, " AND owner_kind = ? AND owner_id = ?");
    qb_text(q, kind);
    qb_int(q, owner_id);
}

int checkin_of_owner(db *c, const principal *p, arena *a, const char *kind, int64_t owner_id, checkin_session *out)
{
    qb q;
    owner_conds(&q, kind, owner_id);
    return entity_get_where(c, &checkin_session_entity, &p->scope, a, &q, out);
}

struct open_args {
    const principal *p;
    arena *a;
    const char *kind;
    int64_t owner_id, id;
    checkin_session *out;
};

static int open_cb(db *c, void *cls)
{
    struct open_args *w = cls;
    const checkin_kind *k = checkin_kind_find(w->kind);
    checkin_owner o;
    if (!k) return CHK_UNKNOWN_KIND;
    int rc = k->load(c, w->a, w->owner_id, &o);
    if (rc != DB_OK) return rc;
    if (!scope_covers(&w->p->scope, o.org_path)) return CHK_NOT_FOUND;
    if (w->p->scope.level == SCOPE_SELF && o.created_by != w->p->user_id) return CHK_NOT_FOUND;   /* not its own */
    if (o.cancelled) return CHK_WINDOW_CLOSED;
    checkin_session before;
    char now[40];
    time_now_rfc3339(now);
    qb q;
    owner_conds(&q, w->kind, w->owner_id);
    /* unscoped: the owner may have moved to another unit since; the caller's scope was checked on it */
    rc = entity_get_where_unscoped(c, &checkin_session_entity, w->a, &q, &before);
    if (rc == DB_OK && !strcmp(before.status, "open")) { *w->out = before; return DB_OK; }
    if (rc != DB_OK && rc != CHK_NOT_FOUND) return rc;
    bool exists = rc == DB_OK;
    char code[8];
    snprintf(code, sizeof code, "%06u", (unsigned)randombytes_uniform(1000000));
    /* a reopening ends the list before owner_kind: the owner and the first time stay */
    entity_value more[] = {{"status", .text = "open"}, {"org_path", .text = o.org_path}, {"updated_at", .text = now},
                           {"code", .text = code}, {exists ? NULL : "owner_kind", .text = w->kind},
                           {"owner_id", .i = w->owner_id, .is_int = true},
                           {"created_by", .i = w->p->user_id, .is_int = w->p->user_id != 0},
                           {"created_at", .text = now}, {0}};
    int64_t id = 0;
    rc = entity_store(c, &checkin_session_entity, "checkin_sessions", exists ? before.id : 0, &before, more, w->a, &id);
    /* the row this transaction just wrote */
    if (rc == DB_OK) rc = entity_get_unscoped(c, &checkin_session_entity, w->a, id, w->out);
    if (rc != DB_OK) return rc;
    return entity_audit(c, &checkin_session_entity, actor_of(w->p), o.org_path, id, exists ? "open" : "create",
                        exists ? &before : NULL, w->out);
}

int checkin_open(db *c, const principal *p, arena *a, const char *kind, int64_t owner_id, checkin_session *out)
{
    struct open_args w = {p, a, kind, owner_id, 0, out};
    return db_transaction(c, open_cb, &w);
}

static int close_cb(db *c, void *cls)
{
    struct open_args *w = cls;
    checkin_session before;
    char now[40];
    time_now_rfc3339(now);
    int rc = entity_get(c, &checkin_session_entity, &w->p->scope, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    entity_value more[] = {{"status", .text = "closed"}, {"updated_at", .text = now}, {0}};
    rc = entity_store(c, &checkin_session_entity, "checkin_sessions", w->id, &before, more, w->a, NULL);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &checkin_session_entity, w->a, w->id, w->out);   /* just written */
    if (rc != DB_OK) return rc;
    return entity_audit(c, &checkin_session_entity, actor_of(w->p), before.org_path, w->id, "close", &before, w->out);
}

int checkin_close(db *c, const principal *p, arena *a, int64_t id, checkin_session *out)
{
    struct open_args w = {p, a, NULL, 0, id, out};
    return db_transaction(c, close_cb, &w);
}

/* The session's count of check-ins moves by delta (+1 or -1) with its records. */
static int count_move(db *c, int64_t session_id, int delta)
{
    char now[40];
    qb q;
    time_now_rfc3339(now);
    qb_init(&q, "UPDATE checkin_sessions SET checked_in = checked_in + ?, updated_at = ? WHERE id = ?");
    qb_int(&q, delta);
    qb_text(&q, now);
    qb_int(&q, session_id);
    return qb_exec(c, &q, NULL);
}

int checkin_record(db *c, arena *a, const checkin_kind *k, const checkin_session *ses, int64_t person_id,
                   const char *method, int64_t by, bool *already, int64_t *record_id)
{
    char now[40];
    int64_t id;
    qb q;
    time_now_rfc3339(now);
    qb_init(&q, "INSERT INTO checkins (session_id, org_path, person_kind, person_id, method, created_by, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, person_kind, person_id) DO NOTHING RETURNING id");
    qb_int(&q, ses->id);
    qb_text(&q, ses->org_path);
    qb_text(&q, k->person_kind);
    qb_int(&q, person_id);
    qb_text(&q, method);
    qb_int_or_null(&q, by);
    qb_text(&q, now);
    int rc = qb_exec(c, &q, &id);
    if (rc != DB_OK && rc != DB_DONE) return rc;
    *already = rc == DB_DONE;   /* counted once: the second scan changes nothing */
    if (*already) return DB_OK;
    if (record_id) *record_id = id;
    rc = count_move(c, ses->id, +1);
    return rc == DB_OK ? k->on_checkin(c, a, ses->owner_id, person_id) : rc;
}

struct mark_args {
    const principal *p;
    arena *a;
    const checkin_kind *k;
    checkin_session *ses;
    const int64_t *persons;
    int n, added, already;
    int64_t person;      /* unmark */
};

static int mark_cb(db *c, void *cls)
{
    struct mark_args *w = cls;
    json_t *ids = json_array();
    int rc = DB_OK;
    w->added = w->already = 0;
    for (int i = 0; rc == DB_OK && i < w->n; i++) {
        bool already = false;
        rc = w->k->person_visible(c, w->p, w->a, w->persons[i]);
        if (rc == DB_OK) rc = checkin_record(c, w->a, w->k, w->ses, w->persons[i], "staff", w->p->user_id, &already, NULL);
        if (rc == DB_OK && !already) json_array_append_new(ids, json_integer(w->persons[i]));
        if (already) w->already++;
        else if (rc == DB_OK) w->added++;
    }
    json_t *after = json_pack("{s:s, s:o}", "person_kind", w->k->person_kind, "added", ids);
    if (rc == DB_OK) rc = audit_record(c, actor_of(w->p), w->ses->org_path, "checkin_session", w->ses->id, "mark", NULL, after);
    json_decref(after);
    return rc;
}

int checkin_mark(db *c, const principal *p, arena *a, const char *kind, int64_t owner_id, const int64_t *persons,
                 int n, int *added, int *already)
{
    checkin_session ses;
    const checkin_kind *k = checkin_kind_find(kind);
    if (!k) return CHK_UNKNOWN_KIND;
    /* marking after the course is fine: the window is for phones, not for the teacher */
    int rc = checkin_of_owner(c, p, a, kind, owner_id, &ses);
    if (rc == CHK_NOT_FOUND) rc = checkin_open(c, p, a, kind, owner_id, &ses);
    if (rc != DB_OK) return rc;
    struct mark_args w = {p, a, k, &ses, persons, n, 0, 0, 0};
    rc = db_transaction(c, mark_cb, &w);
    *added = w.added;
    *already = w.already;
    return rc;
}

static int unmark_cb(db *c, void *cls)
{
    struct mark_args *w = cls;
    int64_t id;
    qb q;
    qb_init(&q, "DELETE FROM checkins WHERE session_id = ? AND person_kind = ? AND person_id = ? RETURNING id");
    qb_int(&q, w->ses->id);
    qb_text(&q, w->k->person_kind);
    qb_int(&q, w->person);
    int rc = qb_exec(c, &q, &id);
    if (rc == DB_DONE) return CHK_PERSON_NOT_FOUND;
    if (rc == DB_OK) rc = count_move(c, w->ses->id, -1);
    if (rc == DB_OK) rc = w->k->on_checkout(c, w->a, w->ses->owner_id, w->person);
    json_t *before = json_pack("{s:s, s:I}", "person_kind", w->k->person_kind, "person_id", (json_int_t)w->person);
    if (rc == DB_OK) rc = audit_record(c, actor_of(w->p), w->ses->org_path, "checkin_session", w->ses->id, "unmark", before, NULL);
    json_decref(before);
    return rc;
}

int checkin_unmark(db *c, const principal *p, arena *a, const char *kind, int64_t owner_id, int64_t person_id)
{
    checkin_session ses;
    const checkin_kind *k = checkin_kind_find(kind);
    if (!k) return CHK_UNKNOWN_KIND;
    int rc = checkin_of_owner(c, p, a, kind, owner_id, &ses);
    if (rc == CHK_NOT_FOUND) return CHK_PERSON_NOT_FOUND;
    if (rc != DB_OK) return rc;
    struct mark_args w = {p, a, k, &ses, NULL, 0, 0, 0, person_id};
    return db_transaction(c, unmark_cb, &w);
}

void checkin_init(void)
{
    orgs_track_path_column("checkin_sessions", "org_path");
    orgs_track_path_column("checkins", "org_path");
}

int checkin_daily_counts(db *c, const principal *p, arena *a, const char *kind, const char *org_path,
                         const char *from, int ndays, int64_t *counts)
{
    char to[11], day[11];
    day_add(from, ndays, to);   /* times of the last day sort below the next day */
    memset(counts, 0, (size_t)ndays * sizeof *counts);
    qb q;
    qb_init(&q, "SELECT substr(k.at, 1, 10), COUNT(*) FROM checkins k JOIN checkin_sessions s ON s.id = k.session_id "
                "WHERE s.owner_kind = ?");
    qb_text(&q, kind);
    qb_subtree(&q, a, "k.org_path", org_path);
    qb_sql(&q, " AND k.at >= ? AND k.at < ?");
    qb_text(&q, from);
    qb_text(&q, to);
    scope_filter(&p->scope, &q, "k.org_path");
    qb_sql(&q, " GROUP BY substr(k.at, 1, 10)");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        const char *d = db_col_text(s, 0);
        for (int i = 0; d && i < ndays; i++) {
            day_add(from, i, day);
            if (!strcmp(day, d)) { counts[i] = db_col_int(s, 1); break; }
        }
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}
