/* audit.h - the change log and the login log (docs/domain.md §3: every change is audited).
 *
 * Writers call audit_record() inside their own transaction, with the public JSON form of the
 * entity before and after the change: that form already masks personal data, so the log never
 * holds an ID number or phone in clear. The log is read within the caller's scope by
 * org path. */
#ifndef KEPU_AUDIT_H
#define KEPU_AUDIT_H
#include "auth/principal.h"
#include "db/db.h"
#include <jansson.h>

/* Records one change by who (actor_of(p) for a signed-in user, actor_system() or actor_key()).
 * The system's rows have no user_id. before/after are borrowed; either may be NULL (create,
 * delete). Returns DB_OK or a DB code.
 * Inside a transaction the row is queued and written by its COMMIT, with the rows of the whole
 * group commit in a few multi-row INSERTs (audit_queue.c); a ROLLBACK drops it with the change.
 * A reader of audit_log inside the same transaction calls db_deferred_flush() first. */
int audit_record(db *c, actor who, const char *org_path, const char *entity,
                 int64_t entity_id, const char *action, json_t *before, json_t *after);
/* The same with the changes already rendered (audit_changes_text()), so that a hot path renders
 * them before its transaction, outside the group commit's serial section. changes is borrowed. */
int audit_record_text(db *c, actor who, const char *org_path, const char *entity, int64_t entity_id,
                      const char *action, const char *changes);

/* Records a login attempt. user_id 0 and org_path NULL for unknown usernames. */
int audit_login(db *c, const char *username, int64_t user_id, const char *org_path, bool success,
                const char *reason, const char *ip, const char *user_agent);

/* {"field": {"before": x, "after": y}} for the fields that differ; new reference. */
json_t *audit_diff(json_t *before, json_t *after);
/* The same diff as the compact JSON text audit_record() stores (keys sorted); malloc'd, the
 * caller frees it. NULL if out of memory. */
char *audit_changes_text(json_t *before, json_t *after);

/* The two logs as declared records (model/entity.h), read by GET /audit and /audit/logins. */
enum { AUDIT_NOT_FOUND = -280, AUDIT_ORG_NOT_FOUND = -281 };
extern struct entity audit_entry_entity, login_entry_entity;

void audit_register_routes(void);

#endif
