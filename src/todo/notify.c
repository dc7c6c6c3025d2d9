/* notify.c - notifications (notify.h): one set-based INSERT ... SELECT per message, which reads
 * each recipient's channels (notify_prefs) and whether the user has an address or phone, and marks
 * those channels pending for the reminder worker. */
#include "todo/notify.h"
#include "core/timeutil.h"
#include "db/query.h"

/* The columns and the SELECT of users u (joined to orgs o and notify_prefs np) every message uses. */
static void notify_select(qb *q, const notify_msg *m, unsigned channels, const char *now)
{
    qb_init(q, "INSERT INTO notifications (user_id, org_path, kind, ref_id, title, body, link, email_state, sms_state,"
               " created_at) SELECT u.id, o.path, ?, ?, ?, ?, ?,"
               " CASE WHEN ? = 1 AND np.email = 1 AND u.email IS NOT NULL AND u.email <> '' THEN 'pending' END,"
               " CASE WHEN ? = 1 AND np.sms = 1 AND u.phone IS NOT NULL AND u.phone <> '' THEN 'pending' END, ?"
               " FROM users u JOIN orgs o ON o.id = u.org_id LEFT JOIN notify_prefs np ON np.user_id = u.id"
               " WHERE u.active = 1");
    qb_text(q, m->kind), qb_int(q, m->ref_id), qb_text(q, m->title), qb_text(q, m->body), qb_text(q, m->link);
    qb_int(q, (channels & NOTIFY_EMAIL) ? 1 : 0), qb_int(q, (channels & NOTIFY_SMS) ? 1 : 0), qb_text(q, now);
}

int notify_user(db *c, int64_t user_id, const notify_msg *m, unsigned channels)
{
    char now[40];
    time_now_rfc3339(now);
    qb q;
    notify_select(&q, m, channels, now);
    qb_sql(&q, " AND u.id = ?");
    qb_int(&q, user_id);
    return qb_exec(c, &q, NULL);
}

int notify_org(db *c, int64_t org_id, const notify_msg *m, unsigned channels, int64_t *users)
{
    char now[40];
    time_now_rfc3339(now);
    qb q;
    notify_select(&q, m, channels, now);
    qb_sql(&q, " AND u.org_id = ? AND u.role IN ('org_admin', 'staff')");
    qb_int(&q, org_id);
    int rc = qb_exec(c, &q, NULL);
    if (users) *users = rc == DB_OK ? db_changes(c) : 0;
    return rc;
}
