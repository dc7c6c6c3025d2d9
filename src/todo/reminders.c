/* reminders.c - the reminder worker (issue 16 D): a thread per node that every KEPU_REMINDER_TICK
 * seconds (default 60; 0 turns it off)
 *  1. walks each source's deadlines due within the largest lead (30 days) and, for each user
 *     concerned (a user's own deadline, or a unit's active org_admin and staff), when the deadline
 *     is within one of the user's lead days and that lead was not yet reminded, claims it with an
 *     INSERT into todo_reminders_sent (the unique key: another node's claim fails with DB_UNIQUE)
 *     and writes the notification in the same transaction (notify.h), on the user's channels;
 *  2. delivers the pending e-mails and text messages of notifications: each row claimed by an
 *     UPDATE ... WHERE state = 'pending' (state 'sending'), so two nodes never send one twice, then
 *     'sent' or 'failed'. With no SMTP server configured, pending e-mails become 'skipped'.
 * A node killed mid-way leaves unclaimed rows pending for the next tick of any node (a row caught
 * in 'sending' stays so: at most once, never twice). A reminder is the system's act: no audit row
 * per message, a count per tick in the log (never an address or a phone). */
#include "todo/todo_internal.h"
#include "todo/notify.h"
#include "core/config.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/sms.h"
#include "core/timeutil.h"
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WINDOW_DAYS 31        /* the largest lead (30 days) and today */
#define DELIVER_BATCH 100
#define MAX_DEADLINES 5000    /* a tick's share; the rest wait for the next tick */

struct deadlines {
    arena *a;
    const todo_source *s;
    todo_deadline *d;
    const todo_source **src;
    int n, cap;
};

static int collect_deadline(db *c, const todo_deadline *d, void *cls)
{
    (void)c;
    struct deadlines *l = cls;
    if (l->n >= MAX_DEADLINES) return 1;   /* stops the walk: enough for a tick */
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 64;
        todo_deadline *nd = arena_alloc(l->a, sizeof *nd * (size_t)cap);
        const todo_source **ns = arena_alloc(l->a, sizeof *ns * (size_t)cap);
        if (!nd || !ns) return DB_ERR;
        if (l->n) memcpy(nd, l->d, sizeof *nd * (size_t)l->n), memcpy(ns, l->src, sizeof *ns * (size_t)l->n);
        l->d = nd, l->src = ns, l->cap = cap;
    }
    l->d[l->n] = *d;
    l->src[l->n++] = l->s;
    return DB_OK;
}

/* Whole days from today (Shanghai) to the day of due; due a date or RFC 3339 +08:00. */
static long days_left(const char *due, const char *today)
{
    if (!due || strlen(due) < 10) return -1;
    return days_from_civil(atoi(due), atoi(due + 5), atoi(due + 8)) -
           days_from_civil(atoi(today), atoi(today + 5), atoi(today + 8));
}

/* The smallest of the user's leads (JSON array) at or above left; -1: none applies. */
static int lead_for(const char *leads, long left)
{
    json_t *a = json_loads(leads ? leads : "[3,1]", 0, NULL);
    int best = -1;
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        long l = json_is_integer(v) ? (long)json_integer_value(v) : -1;
        if (l >= left && (best < 0 || l < best)) best = (int)l;
    }
    json_decref(a);
    return best;
}

struct claim {
    const todo_source *s;
    const todo_deadline *d;
    int64_t user_id;
    int lead;
    const char *now;
    arena *a;
};

static int claim_and_notify(db *c, void *cls)
{
    struct claim *k = cls;
    qb q;
    qb_init(&q, "INSERT INTO todo_reminders_sent (kind, ref_id, user_id, lead, sent_at) VALUES (?, ?, ?, ?, ?)");
    qb_text(&q, k->s->kind), qb_int(&q, k->d->ref_id), qb_int(&q, k->user_id), qb_int(&q, k->lead);
    qb_text(&q, k->now);
    int rc = qb_exec(c, &q, NULL);
    if (rc != DB_OK) return rc;
    notify_msg m = {.kind = k->s->kind, .ref_id = k->d->ref_id, .link = k->d->link,
                    .title = arena_printf(k->a, "【待办提醒】%s（%.10s 截止）", k->d->title ? k->d->title : "",
                                          k->d->due ? k->d->due : ""),
                    .body = arena_printf(k->a, "%s\n截止 / due: %s\n%s", k->d->title ? k->d->title : "",
                                         k->d->due ? k->d->due : "", k->d->link ? k->d->link : "")};
    return notify_user(c, k->user_id, &m, NOTIFY_EMAIL | NOTIFY_SMS);
}

struct user_lead {
    int64_t id;
    const char *leads;
};

/* The users a deadline concerns, with their leads. */
static int users_of(db *c, arena *a, const todo_deadline *d, struct user_lead **out, int *n)
{
    qb q;
    qb_init(&q, "SELECT u.id, np.lead_days FROM users u LEFT JOIN notify_prefs np ON np.user_id = u.id"
                " WHERE u.active = 1 AND (u.id = ? OR (u.org_id = ? AND u.role IN ('org_admin', 'staff')))"
                " ORDER BY u.id LIMIT 200");
    qb_int(&q, d->user_id > 0 ? d->user_id : -1), qb_int(&q, d->user_id > 0 ? -1 : d->org_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    *out = arena_alloc(a, sizeof **out * 200);
    *n = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW && *out)
        (*out)[(*n)++] = (struct user_lead){db_col_int(s, 0), arena_strdup(a, db_col_text(s, 1))};
    db_finish(s);
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

/* Step 1: the reminders due; *sent gets how many were claimed here. */
static int remind_deadlines(db *c, arena *a, int64_t *sent)
{
    char now[40], to[40];
    time_now_rfc3339(now);
    time_to_rfc3339(time(NULL) + WINDOW_DAYS * 86400L, to);
    char from[11];
    snprintf(from, sizeof from, "%.10s", now);   /* today's deadlines too, all day */
    struct deadlines l = {.a = a};
    for (int i = 0; i < todo_source_count(); i++) {
        l.s = todo_source_at(i);
        if (!l.s->deadlines_unscoped) continue;
        int rc = l.s->deadlines_unscoped(c, a, from, to, collect_deadline, &l);
        if (rc < 0) return rc;
    }
    for (int i = 0; i < l.n; i++) {
        long left = days_left(l.d[i].due, now);
        if (left < 0) continue;
        struct user_lead *u;
        int nu;
        if (users_of(c, a, &l.d[i], &u, &nu) != DB_OK) return DB_ERR;
        for (int k = 0; k < nu; k++) {
            int lead = lead_for(u[k].leads, left);
            if (lead < 0) continue;
            struct claim cl = {l.src[i], &l.d[i], u[k].id, lead, now, a};
            int rc = db_transaction(c, claim_and_notify, &cl);
            if (rc == DB_OK) (*sent)++;
            else if (rc != DB_UNIQUE) return rc;   /* DB_UNIQUE: reminded already, here or on another node */
        }
    }
    return DB_OK;
}

/* Claims row id's channel (col 'email_state' or 'sms_state', a constant): true when this node won. */
static bool claim_row(db *c, const char *claim_sql, int64_t id)
{
    qb q;
    qb_init(&q, claim_sql);
    qb_int(&q, id);
    return qb_exec(c, &q, NULL) == DB_OK && db_changes(c) == 1;
}

static void set_state(db *c, const char *sql, const char *state, int64_t id)
{
    qb q;
    qb_init(&q, sql);
    qb_text(&q, state), qb_int(&q, id);
    if (qb_exec(c, &q, NULL) != DB_OK) log_msg(LOG_WARN, "reminders: could not record a delivery state");
}

/* Step 2 for one channel. */
static int deliver(db *c, arena *a, bool email, int64_t *sent, int64_t *failed)
{
    if (email && !mail_enabled()) {
        int rc = db_exec(c, "UPDATE notifications SET email_state = 'skipped' WHERE email_state = 'pending'");
        int64_t n = rc == DB_OK ? db_changes(c) : 0;
        if (n) log_info("reminders: %lld e-mails skipped (KEPU_SMTP_URL is not set)", (long long)n);
        return rc;
    }
    db_stmt *s = db_prepare(c, email ? "SELECT n.id FROM notifications n WHERE n.email_state = 'pending' ORDER BY n.id LIMIT 100"
                                     : "SELECT n.id FROM notifications n WHERE n.sms_state = 'pending' ORDER BY n.id LIMIT 100");
    if (!s) return DB_ERR;
    int64_t ids[DELIVER_BATCH];
    int n = 0, rc;
    while ((rc = db_step(s)) == DB_ROW && n < DELIVER_BATCH) ids[n++] = db_col_int(s, 0);
    db_finish(s);
    if (rc < 0) return rc;
    for (int i = 0; i < n; i++) {
        if (!claim_row(c, email ? "UPDATE notifications SET email_state = 'sending' WHERE id = ? AND email_state = 'pending'"
                                : "UPDATE notifications SET sms_state = 'sending' WHERE id = ? AND sms_state = 'pending'",
                       ids[i]))
            continue;
        qb q;
        qb_init(&q, email ? "SELECT u.email, n.title, n.body FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.id = ?"
                          : "SELECT u.phone, n.title, n.body FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.id = ?");
        qb_int(&q, ids[i]);
        db_stmt *r = qb_prepare(&q, c);
        if (!r) return DB_ERR;
        const char *addr = NULL, *title = NULL, *body = NULL;
        if (db_step(r) == DB_ROW) {
            addr = arena_strdup(a, db_col_text(r, 0)), title = arena_strdup(a, db_col_text(r, 1));
            body = arena_strdup(a, db_col_text(r, 2));
        }
        db_finish(r);
        char why[256] = "";
        int ok = !addr || !*addr ? -1 : email ? mail_send(addr, title, body ? body : title, why, sizeof why)
                                              : sms_send(addr, title);
        set_state(c, email ? "UPDATE notifications SET email_state = ? WHERE id = ?"
                           : "UPDATE notifications SET sms_state = ? WHERE id = ?",
                  ok == 0 ? "sent" : "failed", ids[i]);
        if (ok == 0) (*sent)++;
        else {
            (*failed)++;
            log_msg(LOG_WARN, "reminders: %s of notification %lld failed: %s", email ? "e-mail" : "text message",
                    (long long)ids[i], why[0] ? why : "no address or the sender refused");
        }
    }
    return DB_OK;
}

int reminders_tick(db *c)
{
    arena a;
    arena_init(&a);
    int64_t reminded = 0, mails = 0, texts = 0, failed = 0;
    int rc = remind_deadlines(c, &a, &reminded);
    if (rc == DB_OK) rc = deliver(c, &a, true, &mails, &failed);
    if (rc == DB_OK) rc = deliver(c, &a, false, &texts, &failed);
    arena_free(&a);
    if (reminded || mails || texts || failed)
        log_info("reminders: %lld reminders, %lld e-mails and %lld text messages sent, %lld failed", (long long)reminded,
                 (long long)mails, (long long)texts, (long long)failed);
    return rc;
}

static void *worker(void *cls)
{
    long tick = (long)(intptr_t)cls;
    for (;;) {
        sleep((unsigned)tick);
        db *c = db_thread();
        if (!c || reminders_tick(c) != DB_OK) log_msg(LOG_WARN, "reminders: a tick failed; the next one retries");
    }
    return NULL;
}

void reminders_start(void)
{
    long tick = env_long("KEPU_REMINDER_TICK", 60);
    mail_global_init();
    if (tick <= 0) return;
    /* The worker takes no signals: it starts before the server blocks SIGTERM for its sigwait(),
     * and a thread with SIGTERM unblocked would die of it, the whole process with it, instead of
     * the graceful stop (api_test_robustness caught it). The threads it starts (an SMS command)
     * inherit the mask. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    pthread_t t;
    if (pthread_create(&t, NULL, worker, (void *)(intptr_t)tick) == 0) pthread_detach(t);
    else log_msg(LOG_WARN, "reminders: the worker thread could not start");
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}
