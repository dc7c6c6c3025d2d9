/* notices_write.c - a notice's writers (notices.h): saved as a draft, changed while a draft,
 * published (its target resolved into recipient rows by one INSERT ... SELECT, so that 10,000
 * units take one statement), withdrawn with a reason, corrected (a new notice to the same units,
 * each told), and its replies reopened with a new deadline. Each runs in its own transaction and
 * is audited. */
#include "notices/notices.h"
#include "audit/audit.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "model/entity.h"
#include "orgs/org_targets.h"
#include "todo/notify.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

bool notices_time_normalise(const char *in, char *out, bool day_end)
{
    size_t n = in ? strlen(in) : 0;
    char day[11];
    if (n != 10 && n != 25) return false;
    memcpy(day, in, 10), day[10] = 0;
    if (!day_valid(day)) return false;
    if (n == 10) {
        memcpy(out, day, 10);
        memcpy(out + 10, day_end ? "T23:59:59+08:00" : "T00:00:00+08:00", 16);
        return true;
    }
    /* hh:mm:ss in Shanghai time: compared as text with time_now_rfc3339(), also +08:00 */
    const char *t = in + 10;
    bool shape = t[0] == 'T' && t[3] == ':' && t[6] == ':' && !strcmp(t + 9, "+08:00");
    for (int i = 1; shape && i < 9; i++) shape = i == 3 || i == 6 || (t[i] >= '0' && t[i] <= '9');
    if (!shape || strncmp(t + 1, "24", 2) >= 0 || strncmp(t + 4, "60", 2) >= 0 || strncmp(t + 7, "60", 2) >= 0) return false;
    memcpy(out, in, 26);
    return true;
}

struct nw {
    const principal *p;
    arena *a;
    int64_t id;
    const notice *in;
    notice *out;
    const char *s1, *s2;    /* publish: publish_at; withdraw: reason; correct: title, body; reopen: deadline */
    int64_t n1, n2;
};

static int reread_audit(db *c, struct nw *w, int64_t id, const char *path, const char *action, const notice *before)
{
    int rc = entity_get_unscoped(c, &notice_entity, w->a, id, w->out);   /* just written in this transaction */
    if (rc != DB_OK) return rc;
    return entity_audit(c, &notice_entity, actor_of(w->p), path, id, action, before, w->out);
}

static int create_cb(db *c, void *cls)
{
    struct nw *w = cls;
    notice in = *w->in;
    const char *path = NULL;
    if (!in.org_id) in.org_id = w->p->org_id;
    int rc = entity_org_path(c, &w->p->scope, w->a, in.org_id, NOTICE_ORG_NOT_FOUND, &path);
    if (rc != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    entity_value more[] = {{"org_path", .text = path}, {"status", .text = "draft"},
                           {"created_by", .i = w->p->user_id, .is_int = true}, {"created_at", .text = now},
                           {"updated_at", .text = now}, {0}};
    int64_t id = 0;
    if ((rc = entity_store(c, &notice_entity, "notices", 0, &in, more, w->a, &id)) != DB_OK) return rc;
    return reread_audit(c, w, id, path, "create", NULL);
}

int notices_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    struct nw w = {.p = p, .a = a, .in = in, .out = out};
    return db_transaction(c, create_cb, &w);
}

static int update_cb(db *c, void *cls)
{
    struct nw *w = cls;
    notice before;
    int rc = notices_get_managed(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (strcmp(before.status, "draft") != 0) return NOTICE_STATE;   /* published: withdraw or correct it */
    char now[32];
    time_now_rfc3339(now);
    entity_value more[] = {{"updated_at", .text = now}, {0}};
    if ((rc = entity_store(c, &notice_entity, "notices", w->id, w->in, more, w->a, NULL)) != DB_OK) return rc;
    return reread_audit(c, w, w->id, before.org_path, "update", &before);
}

int notices_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    struct nw w = {.p = p, .a = a, .id = id, .in = in, .out = out};
    return db_transaction(c, update_cb, &w);
}

static int publish_cb(db *c, void *cls)
{
    struct nw *w = cls;
    notice before;
    int rc = notices_get_managed(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (strcmp(before.status, "draft") != 0) return NOTICE_STATE;
    char now[32];
    time_now_rfc3339(now);
    const char *at = w->s1 ? w->s1 : before.publish_at && strcmp(before.publish_at, now) > 0 ? before.publish_at : now;
    qb q;
    qb_init(&q, "INSERT INTO notice_recipients (notice_id, org_id, org_path, status) SELECT ?, o.id, o.path, 'active'");
    qb_int(&q, w->id);
    if ((rc = org_targets_where(c, &w->p->scope, w->a, before.target, before.org_path, NOTICE_TARGET_UNKNOWN, &q)) != DB_OK) { qb_free(&q); return rc; }
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    int64_t n = db_changes(c);
    if (n == 0) return NOTICE_NO_RECIPIENTS;
    entity_value more[] = {{"status", .text = "published"}, {"publish_at", .text = at}, {"published_at", .text = now},
                           {"recipients_total", .i = n, .is_int = true}, {"updated_at", .text = now}, {0}};
    if ((rc = entity_store(c, &notice_entity, "notices", w->id, NULL, more, w->a, NULL)) != DB_OK) return rc;
    return reread_audit(c, w, w->id, before.org_path, "publish", &before);
}

int notices_publish(db *c, const principal *p, arena *a, int64_t id, const char *publish_at, notice *out)
{
    struct nw w = {.p = p, .a = a, .id = id, .out = out, .s1 = publish_at};
    return db_transaction(c, publish_cb, &w);
}

static int withdraw_cb(db *c, void *cls)
{
    struct nw *w = cls;
    notice before;
    int rc = notices_get_managed(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (strcmp(before.status, "published") != 0) return NOTICE_STATE;
    char now[32];
    time_now_rfc3339(now);
    entity_value more[] = {{"status", .text = "withdrawn"}, {"withdraw_reason", .text = w->s1}, {"updated_at", .text = now}, {0}};
    if ((rc = entity_store(c, &notice_entity, "notices", w->id, NULL, more, w->a, NULL)) != DB_OK) return rc;
    qb q;
    qb_init(&q, "UPDATE notice_recipients SET status = 'withdrawn' WHERE notice_id = ?");
    qb_int(&q, w->id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    return reread_audit(c, w, w->id, before.org_path, "withdraw", &before);
}

int notices_withdraw(db *c, const principal *p, arena *a, int64_t id, const char *reason, notice *out)
{
    struct nw w = {.p = p, .a = a, .id = id, .out = out, .s1 = reason};
    return db_transaction(c, withdraw_cb, &w);
}

/* Tells every recipient unit of notice id (its admins and staff) of it. */
static int tell_recipients(db *c, arena *a, int64_t id, const notify_msg *m)
{
    qb q;
    qb_init(&q, "SELECT org_id FROM notice_recipients WHERE notice_id = ? ORDER BY org_id");
    qb_int(&q, id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int64_t cap = 64, n = 0, *orgs = arena_alloc(a, (size_t)cap * sizeof *orgs);
    int rc;
    while (orgs && (rc = db_step(s)) == DB_ROW) {
        if (n == cap) {
            int64_t *more = arena_alloc(a, (size_t)cap * 2 * sizeof *more);
            if (more) memcpy(more, orgs, (size_t)n * sizeof *orgs);
            orgs = more, cap *= 2;
            if (!orgs) break;
        }
        orgs[n++] = db_col_int(s, 0);
    }
    db_finish(s);
    if (!orgs) return DB_ERR;
    for (int64_t i = 0; i < n; i++)
        if ((rc = notify_org(c, orgs[i], m, NOTIFY_EMAIL | NOTIFY_SMS, NULL)) != DB_OK) return rc;
    return DB_OK;
}

static int correct_cb(db *c, void *cls)
{
    struct nw *w = cls;
    notice old;
    int rc = notices_get_managed(c, w->p, w->a, w->id, &old);
    if (rc != DB_OK) return rc;
    if (strcmp(old.status, "published") != 0) return NOTICE_STATE;
    char now[32];
    time_now_rfc3339(now);
    notice in = old;
    in.title = w->s1 ? w->s1 : arena_printf(w->a, "更正：%s", old.title);
    if (w->s2) in.body = w->s2;
    entity_value more[] = {{"org_path", .text = old.org_path}, {"status", .text = "published"},
                           {"published_at", .text = now}, {"corrects_id", .i = old.id, .is_int = true},
                           {"recipients_total", .i = old.recipients_total, .is_int = true},
                           {"created_by", .i = w->p->user_id, .is_int = true}, {"created_at", .text = now},
                           {"updated_at", .text = now}, {0}};
    /* the old one's title, body and settings as a new record, published now */
    in.publish_at = arena_strdup(w->a, now);
    int64_t id = 0;
    if ((rc = entity_store(c, &notice_entity, "notices", 0, &in, more, w->a, &id)) != DB_OK) return rc;
    qb q;
    qb_init(&q, "INSERT INTO notice_recipients (notice_id, org_id, org_path, status) SELECT ?, org_id, org_path, 'active'"
                " FROM notice_recipients WHERE notice_id = ?");
    qb_int(&q, id), qb_int(&q, old.id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    const char *title = arena_printf(w->a, "【更正】%s", in.title);
    notify_msg m = {.kind = "notice_correction", .ref_id = id, .title = title, .link = arena_printf(w->a, "/notices/%lld", (long long)id)};
    if ((rc = tell_recipients(c, w->a, id, &m)) != DB_OK) return rc;
    return reread_audit(c, w, id, old.org_path, "correct", &old);
}

int notices_correct(db *c, const principal *p, arena *a, int64_t id, const char *title, const char *body, notice *out)
{
    struct nw w = {.p = p, .a = a, .id = id, .out = out, .s1 = title, .s2 = body};
    return db_transaction(c, correct_cb, &w);
}

static int reopen_cb(db *c, void *cls)
{
    struct nw *w = cls;
    notice before;
    int rc = notices_get_managed(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (strcmp(before.status, "published") != 0) return NOTICE_STATE;
    if (!before.reply_required) return NOTICE_NO_REPLY;
    char now[32];
    time_now_rfc3339(now);
    entity_value more[] = {{"reply_deadline", .text = w->s1}, {"updated_at", .text = now}, {0}};
    if ((rc = entity_store(c, &notice_entity, "notices", w->id, NULL, more, w->a, NULL)) != DB_OK) return rc;
    return reread_audit(c, w, w->id, before.org_path, "reopen", &before);
}

int notices_reopen(db *c, const principal *p, arena *a, int64_t id, const char *deadline, notice *out)
{
    struct nw w = {.p = p, .a = a, .id = id, .out = out, .s1 = deadline};
    return db_transaction(c, reopen_cb, &w);
}
