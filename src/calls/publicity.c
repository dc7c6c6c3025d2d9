/* publicity.c - the 公示 of a call's decisions and its end (results.h): the owner opens a window
 * (ends_at; a change of an open window needs a reason, and an end in the past closes it), the
 * public objects within it (calls_public.c: name, phone encrypted with a blind index, text), the
 * owner answers each objection (upheld | dismissed), and finalize (the window over, every
 * objection answered) makes the results final: each selected entry's title (by the call's
 * designation: {"kind", "level_by_award": {award level: title level}}) and award certificate; a
 * re-certification's finalize revokes or extends the holders' titles instead (recert.c). */
#include "calls/calls_internal.h"
#include "calls/results.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include <stddef.h>
#include <string.h>

static const char *const window_statuses[] = {"open", "ended", NULL};
static const char *const objection_statuses[] = {"received", "upheld", "dismissed", NULL};

/* open while now is within [starts_at, ends_at) */
static void publicity_on_read(void *rec, arena *a)
{
    publicity *x = rec;
    char now[32];
    (void)a;
    time_now_rfc3339(now);
    if (!strcmp(x->status, "open") && strcmp(now, x->ends_at) >= 0) x->status = "ended";
}

#define P(member) offsetof(publicity, member)
static const field publicity_fields[] = {
    {"id", "x.id", FT_ID, P(id), .flags = 0},
    {"call_id", "x.call_id", FT_ID, P(call_id), .flags = 0},
    {"org_path", "x.org_path", FT_TEXT, P(org_path), .flags = FF_HIDDEN},
    {"starts_at", "x.starts_at", FT_TIME, P(starts_at), .flags = 0},
    {"ends_at", "x.ends_at", FT_TIME, P(ends_at), .flags = 0, .example = "\"2026-12-13T23:59:59+08:00\""},
    {"body", "x.body", FT_MULTILINE, P(body), .flags = 0},
    {"status", "x.status", FT_ENUM, P(status), .flags = 0, .choices = window_statuses},
    {"created_by", "x.created_by", FT_INT_NULL, P(created_by), .flags = FF_HIDDEN},
    {"created_at", "x.created_at", FT_TIME, P(created_at), .flags = 0},
    {0},
};
#undef P

entity publicity_entity = {
    .name = "publicity",
    .doc = "A call's 公示 window: objections are taken between starts_at and ends_at",
    .from = " FROM call_publicities x",
    .id_column = "x.id",
    .path_column = "x.org_path",
    .order = " ORDER BY x.id DESC",
    .size = sizeof(publicity),
    .fields = publicity_fields,
    .not_found = CALL_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = results_errors,
    .on_read = publicity_on_read,
};

#define O(member) offsetof(objection, member)
static const field objection_fields[] = {
    {"id", "j.id", FT_ID, O(id), .flags = 0},
    {"publicity_id", "j.publicity_id", FT_ID, O(publicity_id), .flags = 0},
    {"call_id", "j.call_id", FT_ID, O(call_id), .flags = 0},
    {"entry_id", "j.entry_id", FT_INT_NULL, O(entry_id), .flags = 0, .doc = "the entry objected to (null: the results as a whole)"},
    {"org_path", "j.org_path", FT_TEXT, O(org_path), .flags = FF_HIDDEN},
    {"name", "j.name", FT_TEXT, O(name), .flags = 0},
    {"phone", "j.phone_enc", FT_TEXT, O(phone), .flags = FF_ENCRYPTED | FF_MASK_PHONE},
    {"body", "j.body", FT_MULTILINE, O(body), .flags = 0},
    {"status", "j.status", FT_ENUM, O(status), .flags = FF_FILTER, .choices = objection_statuses},
    {"response", "j.response", FT_MULTILINE, O(response), .flags = 0},
    {"responded_by", "j.responded_by", FT_INT_NULL, O(responded_by), .flags = 0},
    {"responded_at", "j.responded_at", FT_TIME, O(responded_at), .flags = 0},
    {"created_at", "j.created_at", FT_TIME, O(created_at), .flags = 0},
    {0},
};
#undef O

/* The call owner's path: the owner's scope reads and answers them. */
entity objection_entity = {
    .name = "objection",
    .doc = "An objection (异议) to a call's 公示 from the public; the phone masked",
    .from = " FROM call_objections j",
    .id_column = "j.id",
    .path_column = "j.org_path",
    .order = " ORDER BY j.id DESC",
    .size = sizeof(objection),
    .fields = objection_fields,
    .not_found = RES_OBJ_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = results_errors,
};

/* The call's latest window; DB_DONE when it has none. */
static int latest_window(db *c, arena *a, int64_t call_id, publicity *out)
{
    qb q;
    qb_init(&q, " AND x.call_id = ? ORDER BY x.id DESC LIMIT 1");
    qb_int(&q, call_id);
    /* read for a call the caller manages (or the public page of a call in 公示) */
    int rc = entity_get_where_unscoped(c, &publicity_entity, a, &q, out);
    return rc == CALL_NOT_FOUND ? DB_DONE : rc;
}

static int call_status(db *c, const principal *p, arena *a, const call_rec *before, const char *to, const char *action,
                       const char *results_at)
{
    char now[32];
    time_now_rfc3339(now);
    call_rec after;
    entity_value more[] = {{"status", .text = to}, {"updated_at", .text = now}, {results_at ? "results_at" : NULL, .text = now}, {0}};
    int rc = entity_store(c, &call_entity, "calls", before->id, NULL, more, a, NULL);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &call_entity, a, before->id, &after);   /* just written */
    if (rc == DB_OK) rc = entity_audit(c, &call_entity, actor_of(p), before->org_path, before->id, action, before, &after);
    return rc;
}

struct window { const principal *p; arena *a; int64_t id; const char *ends_at, *body, *reason; publicity *out; };

static int publicize_cb(db *c, void *cls)
{
    struct window *w = cls;
    call_rec call;
    publicity old;
    int rc = calls_get_managed(c, w->p, w->a, w->id, &call);
    if (rc != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    if (!strcmp(call.status, "publicizing")) {
        /* a change of the open window: its end moves (to the past ends it), with a reason */
        if ((rc = latest_window(c, w->a, call.id, &old)) != DB_OK) return rc == DB_DONE ? CALL_STATE : rc;
        if (!w->reason) return RES_REASON;
        if (strcmp(w->ends_at, old.starts_at) < 0) return RES_WINDOW_BAD;
        entity_value more[] = {{"ends_at", .text = w->ends_at}, {w->body ? "body" : NULL, .text = w->body}, {0}};
        if ((rc = entity_store(c, &publicity_entity, "call_publicities", old.id, NULL, more, w->a, NULL)) != DB_OK) return rc;
        if ((rc = entity_get_unscoped(c, &publicity_entity, w->a, old.id, w->out)) != DB_OK) return rc;   /* just written */
        return entity_audit(c, &publicity_entity, actor_of(w->p), call.org_path, old.id, "change_window", &old, w->out);
    }
    if (strcmp(call.status, "reviewing") != 0 && strcmp(call.status, "deciding") != 0) return CALL_STATE;
    if (strcmp(w->ends_at, now) <= 0) return RES_WINDOW_BAD;
    qb q;
    int64_t decided = 0;
    qb_init(&q, "SELECT COUNT(*) FROM call_entries WHERE call_id = ? AND status = 'decided'");
    qb_int(&q, call.id);
    if ((rc = qb_exec(c, &q, &decided)) != DB_OK) return rc;
    if (!decided) return RES_NOTHING_DECIDED;
    entity_value row[] = {{"call_id", .i = call.id, .is_int = true}, {"org_path", .text = call.org_path}, {"starts_at", .text = now},
                          {"ends_at", .text = w->ends_at}, {"body", .text = w->body}, {"status", .text = "open"},
                          {"created_by", .i = w->p->user_id, .is_int = true}, {"created_at", .text = now}, {0}};
    int64_t id = 0;
    if ((rc = entity_store(c, &publicity_entity, "call_publicities", 0, NULL, row, w->a, &id)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &publicity_entity, w->a, id, w->out)) != DB_OK) return rc;   /* just written */
    if ((rc = entity_audit(c, &publicity_entity, actor_of(w->p), call.org_path, id, "publicize", NULL, w->out)) != DB_OK) return rc;
    return call_status(c, w->p, w->a, &call, "publicizing", "publicize", NULL);
}

int results_publicize(db *c, const principal *p, arena *a, int64_t call_id, const char *ends_at, const char *body,
                      const char *reason, publicity *out)
{
    struct window w = {p, a, call_id, ends_at, body, reason, out};
    return db_transaction(c, publicize_cb, &w);
}

struct object { arena *a; int64_t call_id, entry_id; const char *name, *phone, *body, *ip, *request_id; objection *out; };

static int object_cb(db *c, void *cls)
{
    struct object *w = cls;
    call_rec call;
    publicity win;
    /* the public page of a call in 公示: its id is public, the window's status is the rule */
    int rc = entity_get_unscoped(c, &call_entity, w->a, w->call_id, &call);
    if (rc != DB_OK) return rc;
    if (strcmp(call.status, "publicizing") != 0) return RES_WINDOW_CLOSED;
    if ((rc = latest_window(c, w->a, call.id, &win)) != DB_OK) return rc == DB_DONE ? RES_WINDOW_CLOSED : rc;
    if (strcmp(win.status, "open") != 0) return RES_WINDOW_CLOSED;
    if (w->entry_id) {
        qb q;
        int64_t one = 0;
        qb_init(&q, "SELECT 1 FROM call_entries WHERE id = ? AND call_id = ? AND status = 'decided'");
        qb_int(&q, w->entry_id), qb_int(&q, call.id);
        if ((rc = qb_exec(c, &q, &one)) == DB_DONE) return ENTRY_NOT_FOUND;
        if (rc != DB_OK) return rc;
    }
    char now[32];
    time_now_rfc3339(now);
    entity_value row[] = {{"publicity_id", .i = win.id, .is_int = true}, {"call_id", .i = call.id, .is_int = true},
                          {"entry_id", .text = NULL}, {"org_path", .text = call.org_path}, {"name", .text = w->name},
                          {"phone_enc", .text = pii_encrypt(w->a, w->phone)}, {"phone_blind", .text = pii_blind(w->a, "phone", w->phone)},
                          {"body", .text = w->body}, {"status", .text = "received"}, {"created_at", .text = now}, {0}};
    if (w->entry_id) row[2] = (entity_value){"entry_id", .i = w->entry_id, .is_int = true};
    if (!row[5].text || !row[6].text) return DB_ERR;
    int64_t id = 0;
    if ((rc = entity_store(c, &objection_entity, "call_objections", 0, NULL, row, w->a, &id)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &objection_entity, w->a, id, w->out)) != DB_OK) return rc;   /* just written */
    actor who = actor_key(ACTOR_SYSTEM, w->name, w->request_id, w->ip);
    return entity_audit(c, &objection_entity, who, call.org_path, id, "object", NULL, w->out);
}

int results_object_unscoped(db *c, arena *a, int64_t call_id, int64_t entry_id, const char *name, const char *phone,
                            const char *body, const char *ip, const char *request_id, objection *out)
{
    struct object w = {a, call_id, entry_id, name, phone, body, ip, request_id, out};
    return db_transaction(c, object_cb, &w);
}

struct respond { const principal *p; arena *a; int64_t id; const char *decision, *response; objection *out; };

static int respond_cb(db *c, void *cls)
{
    struct respond *w = cls;
    objection before;
    int rc = entity_get(c, &objection_entity, &w->p->scope, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (strcmp(before.status, "received") != 0) return RES_OBJ_STATE;
    char now[32];
    time_now_rfc3339(now);
    entity_value more[] = {{"status", .text = w->decision}, {"response", .text = w->response},
                           {"responded_by", .i = w->p->user_id, .is_int = true}, {"responded_at", .text = now}, {0}};
    if ((rc = entity_store(c, &objection_entity, "call_objections", w->id, NULL, more, w->a, NULL)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &objection_entity, w->a, w->id, w->out)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &objection_entity, actor_of(w->p), before.org_path, w->id, "respond", &before, w->out);
}

int results_respond(db *c, const principal *p, arena *a, int64_t id, const char *decision, const char *response,
                    objection *out)
{
    struct respond w = {p, a, id, decision, response, out};
    return db_transaction(c, respond_cb, &w);
}

/* ---- finalize ---- */

typedef struct selected { int64_t id, org_id, subject_id; const char *org_path, *subject_kind, *name, *level; } selected;

/* The selected entries of the call, into an array of the arena (read before any write). */
static int read_selected(db *c, arena *a, int64_t call_id, selected **out, int *n)
{
    qb q;
    qb_init(&q, "SELECT e.id, e.org_id, COALESCE(e.subject_id, 0), e.org_path, e.subject_kind, COALESCE(e.subject_name, o.name), "
                "e.award_level FROM call_entries e JOIN orgs o ON o.id = e.org_id WHERE e.call_id = ? AND e.status = 'decided' "
                "AND e.outcome = 'selected' ORDER BY e.id");
    qb_int(&q, call_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int cap = 64, rc;
    *n = 0;
    *out = arena_alloc(a, sizeof **out * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW && *out) {
        if (*n == cap) {
            selected *more = arena_alloc(a, sizeof *more * (size_t)cap * 2);
            if (more) memcpy(more, *out, sizeof *more * (size_t)cap);
            *out = more, cap *= 2;
            if (!more) break;
        }
        selected *x = &(*out)[(*n)++];
        x->id = db_col_int(s, 0), x->org_id = db_col_int(s, 1), x->subject_id = db_col_int(s, 2);
        x->org_path = arena_strdup(a, db_col_text(s, 3)), x->subject_kind = arena_strdup(a, db_col_text(s, 4));
        x->name = arena_strdup(a, db_col_text(s, 5));
        x->level = db_col_text(s, 6) ? arena_strdup(a, db_col_text(s, 6)) : NULL;
    }
    db_finish(s);
    if (!*out) return DB_ERR;
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

/* The title of one selected entry: the subject (a person's or a node's when the entry names one,
 * else the entrant unit), the level mapped from the award level. */
static int give_title(db *c, const principal *p, arena *a, const call_rec *call, json_t *dsg, const selected *x, int64_t *id)
{
    const char *kind = json_string_value(json_object_get(dsg, "kind"));
    json_t *map = json_object_get(dsg, "level_by_award");
    const char *level = x->level && json_is_string(json_object_get(map, x->level)) ? json_string_value(json_object_get(map, x->level))
                      : json_is_object(map) ? NULL : x->level;
    bool person = calls_subject_pool(x->subject_kind) != NULL;   /* a teacher, a volunteer, a resource */
    bool node = !strcmp(x->subject_kind, "org") && x->subject_id;
    designation in = {.kind = kind, .level = level, .subject_kind = person ? x->subject_kind : "org",
                      .subject_id = person || node ? x->subject_id : x->org_id, .org_id = x->org_id, .org_path = x->org_path,
                      .name = x->name, .call_id = call->id, .entry_id = x->id};
    if (node) {
        /* the named node holds the title, under its own path */
        qb q;
        qb_init(&q, "SELECT path FROM orgs WHERE id = ?");
        qb_int(&q, x->subject_id);
        db_stmt *s = qb_prepare(&q, c);
        if (!s) return DB_ERR;
        if (db_step(s) == DB_ROW) in.org_id = x->subject_id, in.org_path = arena_strdup(a, db_col_text(s, 0));
        db_finish(s);
    }
    int rc = designations_give(c, p, a, &in, id);
    if (rc == DES_LEVEL && !json_is_object(map)) {
        /* without a map, an award level ("一等") that is no level of the title names it without one */
        in.level = NULL;
        rc = designations_give(c, p, a, &in, id);
    }
    return rc;
}

struct finalize { const principal *p; arena *a; int64_t id; call_rec *out; };

static int finalize_cb(db *c, void *cls)
{
    struct finalize *w = cls;
    call_rec call;
    publicity win;
    int rc = calls_get_managed(c, w->p, w->a, w->id, &call);
    if (rc != DB_OK) return rc;
    if (strcmp(call.status, "publicizing") != 0) return CALL_STATE;
    if ((rc = latest_window(c, w->a, call.id, &win)) != DB_OK) return rc == DB_DONE ? CALL_STATE : rc;
    if (!strcmp(win.status, "open")) return RES_WINDOW_OPEN;
    qb q;
    int64_t pending = 0;
    qb_init(&q, "SELECT COUNT(*) FROM call_objections WHERE call_id = ? AND status = 'received'");
    qb_int(&q, call.id);
    if ((rc = qb_exec(c, &q, &pending)) != DB_OK) return rc;
    if (pending) return RES_OBJ_PENDING;
    /* claim the call first: of two finalizes at once (PostgreSQL), the second changes no row */
    qb_init(&q, "UPDATE calls SET status = 'final' WHERE id = ? AND status = 'publicizing'");
    qb_int(&q, call.id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    if (db_changes(c) != 1) return CALL_STATE;
    selected *rows;
    int n = 0;
    /* a re-certification revokes or extends its holders' titles instead (recert.c) */
    if (!strcmp(call.eligible, "holders")) rc = recert_finalize(c, w->p, w->a, &call);
    else rc = read_selected(c, w->a, call.id, &rows, &n);
    if (rc != DB_OK) return rc;
    json_t *dsg = call.designation ? json_loads(call.designation, 0, NULL) : NULL;
    bool titles = json_is_string(json_object_get(dsg, "kind"));
    for (int i = 0; rc == DB_OK && i < n; i++) {
        int64_t des = 0;
        if (titles) rc = give_title(c, w->p, w->a, &call, dsg, &rows[i], &des);
        if (rc == DB_OK) rc = award_certs_issue(c, w->a, &call, rows[i].id, des, rows[i].name, rows[i].level);
    }
    json_decref(dsg);
    if (rc != DB_OK) return rc;
    qb_init(&q, "UPDATE call_publicities SET status = 'ended' WHERE id = ?");
    qb_int(&q, win.id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    if ((rc = call_status(c, w->p, w->a, &call, "final", "finalize", "results_at")) != DB_OK) return rc;
    return entity_get_unscoped(c, &call_entity, w->a, call.id, w->out);   /* just written */
}

int results_finalize(db *c, const principal *p, arena *a, int64_t call_id, call_rec *out)
{
    struct finalize w = {p, a, call_id, out};
    return db_transaction(c, finalize_cb, &w);
}
