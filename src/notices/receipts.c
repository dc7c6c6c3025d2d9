/* receipts.c - a recipient unit's side of a notice (notices.h): its receipt marked read when one
 * of its users opens the notice (the first reader and time kept), its reply (text and, when
 * asked, a list of names whose phones are encrypted at rest) before the deadline, and the
 * sender's chase of the units that have not read or replied (each told at most once a day). */
#include "notices/notices.h"
#include "audit/audit.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include "model/entity.h"
#include "todo/notify.h"
#include <string.h>

struct mark { const principal *p; int64_t id; };

static int mark_cb(db *c, void *cls)
{
    struct mark *m = cls;
    char now[32];
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, "UPDATE notice_recipients SET read_at = ?, read_by = ? WHERE notice_id = ? AND org_id = ? AND read_at IS NULL");
    qb_text(&q, now), qb_int(&q, m->p->user_id), qb_int(&q, m->id), qb_int(&q, m->p->org_id);
    return qb_exec(c, &q, NULL);
}

int notices_mark_read(db *c, const principal *p, const notice *n)
{
    if (strcmp(n->state, "published") != 0) return DB_OK;   /* a withdrawn one is not "read" any more */
    struct mark m = {p, n->id};
    return db_transaction(c, mark_cb, &m);
}

/* The caller's unit's receipt of notice id: its row id and path, or NOTICE_NOT_RECIPIENT. */
static int own_receipt(db *c, const principal *p, int64_t id, int64_t *rid, const char **path, arena *a)
{
    qb q;
    qb_init(&q, "SELECT id, org_path FROM notice_recipients WHERE notice_id = ? AND org_id = ?");
    qb_int(&q, id), qb_int(&q, p->org_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) *rid = db_col_int(s, 0), *path = arena_strdup(a, db_col_text(s, 1));
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? NOTICE_NOT_RECIPIENT : rc;
}

struct reply_w {
    const principal *p;
    arena *a;
    int64_t id;
    const char *text;
    const notice_name *names;
    int n;
};

static int store_names(db *c, arena *a, int64_t rid, const char *path, const notice_name *names, int n)
{
    qb q;
    qb_init(&q, "DELETE FROM notice_reply_names WHERE recipient_id = ?");
    qb_int(&q, rid);
    int rc = qb_exec(c, &q, NULL);
    for (int i = 0; rc == DB_OK && i < n; i++) {
        qb_init(&q, "INSERT INTO notice_reply_names (recipient_id, org_path, pos, name, unit, phone) VALUES (?, ?, ?, ?, ?, ?)");
        qb_int(&q, rid), qb_text(&q, path), qb_int(&q, i + 1), qb_text(&q, names[i].name), qb_text(&q, names[i].unit);
        qb_text(&q, names[i].phone && *names[i].phone ? pii_encrypt(a, names[i].phone) : NULL);
        rc = qb_exec(c, &q, NULL);
    }
    return rc;
}

static int reply_cb(db *c, void *cls)
{
    struct reply_w *w = cls;
    notice n;
    int64_t rid = 0;
    const char *path = NULL;
    int rc = entity_get(c, &notice_entity, &w->p->scope, w->a, w->id, &n);
    if (rc == DB_OK) rc = own_receipt(c, w->p, w->id, &rid, &path, w->a);
    if (rc == NOTICE_NOT_RECIPIENT) rc = NOTICE_NOT_FOUND;
    if (rc != DB_OK) return rc;
    if (strcmp(n.state, "published") != 0) return NOTICE_STATE;
    if (!n.reply_required) return NOTICE_NO_REPLY;
    char now[32];
    time_now_rfc3339(now);
    if (n.reply_deadline && strcmp(now, n.reply_deadline) > 0) return NOTICE_DEADLINE;
    if (n.reply_names && w->n == 0) return NOTICE_NAMES_REQUIRED;
    qb q;
    qb_init(&q, "UPDATE notice_recipients SET replied_at = ?, reply_text = ?, reply_by = ?, read_at = COALESCE(read_at, ?),"
                " read_by = COALESCE(read_by, ?) WHERE id = ?");
    qb_text(&q, now), qb_text(&q, w->text), qb_int(&q, w->p->user_id), qb_text(&q, now), qb_int(&q, w->p->user_id);
    qb_int(&q, rid);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    if ((rc = store_names(c, w->a, rid, path, w->names, n.reply_names ? w->n : 0)) != DB_OK) return rc;
    /* the audit keeps the reply's text and how many names, never the names' phones */
    json_t *after = json_pack("{s:I, s:s?, s:i}", "notice_id", (json_int_t)w->id, "reply_text", w->text, "names", w->n);
    rc = audit_record(c, actor_of(w->p), path, "notice_receipt", rid, "reply", NULL, after);
    json_decref(after);
    return rc;
}

int notices_reply(db *c, const principal *p, arena *a, int64_t id, const char *text, const notice_name *names, int n_names)
{
    struct reply_w w = {p, a, id, text, names, n_names};
    return db_transaction(c, reply_cb, &w);
}

struct chase_w {
    const principal *p;
    arena *a;
    int64_t id;
    const char *who;
    unsigned channels;
    int64_t units, users;
};

/* The recipients a chase reaches: " FROM notice_recipients WHERE ..." (not chased today). */
static void chase_where(qb *q, int64_t id, const char *who, const char *today)
{
    qb_sql(q, " FROM notice_recipients WHERE notice_id = ? AND status = 'active' AND (chased_on IS NULL OR chased_on <> ?)");
    qb_int(q, id), qb_text(q, today);
    qb_sql(q, !strcmp(who, "unread") ? " AND read_at IS NULL" : " AND replied_at IS NULL");
}

static int chase_cb(db *c, void *cls)
{
    struct chase_w *w = cls;
    notice n;
    int rc = notices_get_managed(c, w->p, w->a, w->id, &n);
    if (rc != DB_OK) return rc;
    if (strcmp(n.state, "published") != 0) return NOTICE_STATE;
    if (!strcmp(w->who, "not_replied") && !n.reply_required) return NOTICE_NO_REPLY;
    char now[32], today[11];
    time_now_rfc3339(now);
    memcpy(today, now, 10), today[10] = 0;
    qb q;
    qb_init(&q, "SELECT org_id");
    chase_where(&q, w->id, w->who, today);
    qb_sql(&q, " ORDER BY org_id");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int64_t cap = n.recipients_total > 0 ? n.recipients_total : 1, k = 0;
    int64_t *orgs = arena_alloc(w->a, (size_t)cap * sizeof *orgs);
    while (orgs && k < cap && (rc = db_step(s)) == DB_ROW) orgs[k++] = db_col_int(s, 0);
    db_finish(s);
    if (!orgs) return DB_ERR;
    const char *title = arena_printf(w->a, !strcmp(w->who, "unread") ? "【催阅】%s" : "【催报回执】%s", n.title);
    notify_msg m = {.kind = "notice_chase", .ref_id = n.id, .title = title,
                    .body = n.reply_deadline && strcmp(w->who, "unread") ? arena_printf(w->a, "回执截止 %.16s", n.reply_deadline) : NULL,
                    .link = arena_printf(w->a, "/notices/%lld", (long long)n.id)};
    for (int64_t i = 0; i < k; i++) {
        int64_t told = 0;
        if ((rc = notify_org(c, orgs[i], &m, w->channels, &told)) != DB_OK) return rc;
        w->users += told;
    }
    w->units = k;
    qb_init(&q, "UPDATE notice_recipients SET chased_on = ? WHERE id IN (SELECT id");
    qb_text(&q, today);
    chase_where(&q, w->id, w->who, today);
    qb_sql(&q, ")");
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    json_t *after = json_pack("{s:s, s:I, s:I}", "who", w->who, "units", (json_int_t)w->units, "users", (json_int_t)w->users);
    rc = audit_record(c, actor_of(w->p), n.org_path, "notice", n.id, "chase", NULL, after);
    json_decref(after);
    return rc;
}

int notices_chase(db *c, const principal *p, arena *a, int64_t id, const char *who, unsigned channels, int64_t *units,
                  int64_t *users)
{
    struct chase_w w = {p, a, id, who, channels, 0, 0};
    int rc = db_transaction(c, chase_cb, &w);
    *units = w.units, *users = w.users;
    return rc;
}
