/* notices_todo.c - what notices put on a unit's to-do home (todo/todo.h): the published notices
 * its unit has not read (notice_unread) and the replies it owes (notice_reply, overdue ones
 * included, soonest deadline first), and for the reminders every reply deadline of a unit that
 * has not replied. Both read the caller's own unit's recipient rows: what is owed by the unit. */
#include "notices/notices.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "todo/todo.h"
#include <string.h>

/* " FROM notice_recipients nr JOIN notices n ... WHERE ..." of one kind, for org_id, now. */
static void owed_where(qb *q, bool reply, int64_t org_id, const char *now)
{
    qb_sql(q, " FROM notice_recipients nr JOIN notices n ON n.id = nr.notice_id WHERE nr.org_id = ? AND nr.status = 'active'"
              " AND n.status = 'published' AND n.publish_at <= ?");
    qb_int(q, org_id), qb_text(q, now);
    qb_sql(q, reply ? " AND n.reply_required = 1 AND nr.replied_at IS NULL" : " AND nr.read_at IS NULL");
}

static int collect(db *c, const principal *p, arena *a, int limit, todo_bucket *out, bool reply)
{
    char now[32];
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, "SELECT COUNT(*)");
    owed_where(&q, reply, p->org_id, now);
    int rc = qb_exec(c, &q, &out->count);
    if (rc != DB_OK) return rc;
    out->n = 0;
    out->items = arena_alloc(a, (size_t)(limit > 0 ? limit : 1) * sizeof *out->items);
    if (!out->items) return DB_ERR;
    qb_init(&q, "SELECT n.id, n.title, n.reply_deadline");
    owed_where(&q, reply, p->org_id, now);
    qb_sql(&q, reply ? " ORDER BY n.reply_deadline, n.id LIMIT ?" : " ORDER BY n.publish_at DESC, n.id DESC LIMIT ?");
    qb_int(&q, limit);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    while (out->n < limit && (rc = db_step(s)) == DB_ROW) {
        todo_item *it = &out->items[out->n++];
        it->id = db_col_int(s, 0);
        it->title = arena_strdup(a, db_col_text(s, 1));
        it->due = reply ? arena_strdup(a, db_col_text(s, 2)) : NULL;
        it->link = arena_printf(a, "/notices/%lld", (long long)it->id);
    }
    db_finish(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static int collect_unread(db *c, const principal *p, arena *a, int limit, todo_bucket *out)
{
    return collect(c, p, a, limit, out, false);
}

static int collect_reply(db *c, const principal *p, arena *a, int limit, todo_bucket *out)
{
    return collect(c, p, a, limit, out, true);
}

/* Every reply deadline in [from, to) of a unit that has not replied: the system's read. */
static int reply_deadlines(db *c, arena *a, const char *from, const char *to, todo_deadline_fn fn, void *cls)
{
    qb q;
    qb_init(&q, "SELECT nr.org_id, n.id, n.title, n.reply_deadline FROM notice_recipients nr JOIN notices n ON n.id = nr.notice_id"
                " WHERE n.status = 'published' AND n.reply_required = 1 AND nr.status = 'active' AND nr.replied_at IS NULL"
                " AND n.reply_deadline >= ? AND n.reply_deadline < ? ORDER BY n.reply_deadline, nr.id");
    qb_text(&q, from), qb_text(&q, to);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        todo_deadline d = {.org_id = db_col_int(s, 0), .ref_id = db_col_int(s, 1)};
        d.title = arena_strdup(a, db_col_text(s, 2));
        d.due = arena_strdup(a, db_col_text(s, 3));
        d.link = arena_printf(a, "/notices/%lld", (long long)d.ref_id);
        if ((rc = fn(c, &d, cls)) != DB_OK) break;
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

const todo_source notice_unread_source = {
    .kind = "notice_unread", .menu = "/notices/inbox", .min_rank = RANK_STAFF, .collect = collect_unread,
};

const todo_source notice_reply_source = {
    .kind = "notice_reply", .menu = "/notices/inbox", .min_rank = RANK_STAFF, .collect = collect_reply,
    .deadlines_unscoped = reply_deadlines,
};
