/* resource_flow.c - a resource's review up the tree (see resources.h): submit by the uploader's
 * side, approve or reject by staff of a node strictly above the uploader's (the top node approves
 * its own), sharing down from the approving node, and withdrawal. Every transition is audited
 * in its transaction under its own action name. */
#include "resources/resources.h"
#include "core/timeutil.h"
#include "db/query.h"
#include <string.h>

struct flow_args {
    const principal *p;
    arena *a;
    int64_t id;
    const char *decision, *comments;
    resource *out;
};

/* Sets the status (and, for a review, the sharing and the reviewer) and audits the change. */
static int transition(db *c, struct flow_args *w, const resource *before, const char *status, const char *action,
                      const char *shared_path, bool reviewed)
{
    char now[40];
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, "UPDATE resources SET status = ?, shared_path = ?, updated_at = ?");
    qb_text(&q, status), qb_text(&q, shared_path), qb_text(&q, now);
    if (reviewed) {
        qb_sql(&q, ", reviewed_by = ?, reviewed_at = ?, review_comments = ?");
        qb_int(&q, w->p->user_id), qb_text(&q, now), qb_text(&q, w->comments);
    }
    qb_sql(&q, " WHERE id = ?");
    qb_int(&q, w->id);
    int rc = qb_exec(c, &q, NULL);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &resource_entity, w->a, w->id, w->out);   /* just written */
    if (rc != DB_OK) return rc;
    return entity_audit(c, &resource_entity, actor_of(w->p), before->org_path, w->id, action, before, w->out);
}

static int submit_cb(db *c, void *cls)
{
    struct flow_args *w = cls;
    resource before;
    int rc = resources_get_writable(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (strcmp(before.status, "draft") && strcmp(before.status, "rejected")) return RES_STATE;
    if (before.current_version == 0) return RES_NO_VERSION;
    return transition(c, w, &before, "pending", "submit", NULL, false);
}

int resources_submit(db *c, const principal *p, arena *a, int64_t id, resource *out)
{
    return db_transaction(c, submit_cb, &(struct flow_args){p, a, id, NULL, NULL, out});
}

/* Whether the uploader's node is the top of the tree (no parent): it approves its own. */
static int is_top(db *c, int64_t org_id, bool *top)
{
    qb q;
    int64_t parent = 0;
    qb_init(&q, "SELECT COALESCE(parent_id, 0) FROM orgs WHERE id = ?");
    qb_int(&q, org_id);
    int rc = qb_exec(c, &q, &parent);
    *top = rc == DB_OK && parent == 0;
    return rc == DB_DONE ? DB_OK : rc;
}

/* The reviewer's home node strictly above the uploader's, or the top node itself. */
static int may_review(db *c, const principal *p, const resource *r)
{
    const char *mine = p->org_path ? p->org_path : "";
    size_t n = strlen(mine);
    if (n > 0 && n < strlen(r->org_path) && !strncmp(r->org_path, mine, n)) return DB_OK;
    bool top = false;
    int rc = strcmp(mine, r->org_path) ? DB_OK : is_top(c, r->org_id, &top);
    if (rc != DB_OK) return rc;
    return top ? DB_OK : RES_NOT_REVIEWER;
}

static int review_cb(db *c, void *cls)
{
    struct flow_args *w = cls;
    resource before;
    bool approve = !strcmp(w->decision, "approve");
    if (!approve && strcmp(w->decision, "reject")) return RES_BAD_DECISION;
    int rc = resources_get_writable(c, w->p, w->a, w->id, &before);
    if (rc == DB_OK) rc = may_review(c, w->p, &before);
    if (rc != DB_OK) return rc;
    if (strcmp(before.status, "pending")) return RES_STATE;
    if (approve) return transition(c, w, &before, "approved", "approve", w->p->org_path, true);
    return transition(c, w, &before, "rejected", "reject", NULL, true);
}

int resources_review(db *c, const principal *p, arena *a, int64_t id, const char *decision, const char *comments,
                     resource *out)
{
    return db_transaction(c, review_cb, &(struct flow_args){p, a, id, decision, comments, out});
}

/* Any status but withdrawn; the sharing ends with it (courses keep their links). */
static int withdraw_cb(db *c, void *cls)
{
    struct flow_args *w = cls;
    resource before;
    int rc = resources_get_writable(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (!strcmp(before.status, "withdrawn")) return RES_STATE;
    return transition(c, w, &before, "withdrawn", "withdraw", NULL, false);
}

int resources_withdraw(db *c, const principal *p, arena *a, int64_t id, resource *out)
{
    return db_transaction(c, withdraw_cb, &(struct flow_args){p, a, id, NULL, NULL, out});
}
