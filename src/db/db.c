/* db.c - engine dispatch, per-thread connections, transactions with retry. */
/* syscall(2) for the futex below: a BSD/GNU interface, outside POSIX */
#define _DEFAULT_SOURCE
#include "db/db_impl.h"
#include "core/log.h"
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static char *configured_url;
static pthread_key_t thread_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void close_thread_conn(void *p) { db_close(p); }
static void make_key(void) { pthread_key_create(&thread_key, close_thread_conn); }

void db_configure(const char *url)
{
    free(configured_url);
    configured_url = url ? strdup(url) : NULL;
    pthread_once(&key_once, make_key);
}

static _Thread_local char open_error[256];

void db_set_open_error(const char *msg)
{
    snprintf(open_error, sizeof open_error, "%s", msg ? msg : "unknown error");
    open_error[strcspn(open_error, "\n")] = 0;
}

const char *db_open_error(void) { return open_error; }

void db_url_redacted(const char *url, char *out, size_t len)
{
    const char *scheme = strstr(url, "://"), *at = strchr(url, '@');
    const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
    if (scheme && at && colon && colon < at)
        snprintf(out, len, "%.*s:***%s", (int)(colon - url), url, at);
    else
        snprintf(out, len, "%s", url);
}

bool db_url_is_pg(const char *url)
{
    return !strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11);
}

static const struct db_ops *ops_for(const char *url)
{
    return db_url_is_pg(url) ? &pg_ops : &sqlite_ops;
}

int db_open(const char *url, db **out)
{
    return ops_for(url)->open(url, out);
}

void db_start_background(void)
{
    const struct db_ops *ops = configured_url ? ops_for(configured_url) : NULL;
    if (ops && ops->start_background) ops->start_background(configured_url);
}

db *db_thread(void)
{
    pthread_once(&key_once, make_key);
    db *c = pthread_getspecific(thread_key);
    if (c) return c;
    if (!configured_url || db_open(configured_url, &c) != DB_OK) return NULL;
    pthread_setspecific(thread_key, c);
    return c;
}

void db_close(db *c)
{
    if (!c) return;
    deferred_free(c);
    c->ops->close(c);
}
const char *db_kind(db *c) { return c->ops->kind; }
db_stmt *db_prepare(db *c, const char *sql) { return c->ops->prepare(c, sql); }
void db_bind_int(db_stmt *s, int idx, int64_t v) { s->conn->ops->bind_int(s, idx, v); }
void db_bind_text(db_stmt *s, int idx, const char *v) { s->conn->ops->bind_text(s, idx, v); }
int db_step(db_stmt *s) { return s->conn->ops->step(s); }
int64_t db_col_int(db_stmt *s, int col) { return s->conn->ops->col_int(s, col); }
const char *db_col_text(db_stmt *s, int col) { return s->conn->ops->col_text(s, col); }
bool db_col_null(db_stmt *s, int col) { return s->conn->ops->col_null(s, col); }
void db_finish(db_stmt *s) { if (s) s->conn->ops->finish(s); }
int64_t db_changes(db *c) { return c->ops->changes(c); }
int db_exec(db *c, const char *sql) { return c->ops->exec(c, sql); }
int db_reset_identity(db *c, const char *table)
{
    return c->ops->reset_identity ? c->ops->reset_identity(c, table) : DB_OK;
}

int db_exec_stmt(db_stmt *s)
{
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {}
    return rc == DB_DONE ? DB_OK : rc;
}

int64_t db_query_int(db *c, const char *sql)
{
    db_stmt *s = db_prepare(c, sql);
    int64_t n = s && db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
    db_finish(s);
    return n;
}

/* Transaction control runs on every request: through the statement cache, not re-parsed. */
static int exec_cached(db *c, const char *sql)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERR;
    int rc = db_exec_stmt(s);
    db_finish(s);
    return rc;
}

/* Nested begin/commit only count depth: the outermost pair is the real transaction, so a
 * module function may open its own transaction whether or not its caller has one. */
static pthread_mutex_t writer = PTHREAD_MUTEX_INITIALIZER;

/* The outermost begin runs sql, holding the writer mutex when lock says so. */
static int begin_tx(db *c, const char *sql, bool lock)
{
    if (c->tx_depth++ > 0) return DB_OK;
    if (lock) pthread_mutex_lock(&writer);
    int rc = exec_cached(c, sql);
    if (rc != DB_OK) {
        c->tx_depth = 0;
        if (lock) pthread_mutex_unlock(&writer);
    }
    return rc;
}

/* The outermost end runs sql (a COMMIT that fails rolls back), releasing the writer mutex when
 * unlock says so. */
static int end_tx(db *c, const char *sql, bool unlock)
{
    if (c->tx_depth <= 0) return DB_ERR;
    if (c->tx_depth > 1) { c->tx_depth--; return DB_OK; }
    bool commit = !strcmp(sql, "COMMIT");
    /* work deferred to the end (db.h: coalesced roll-up deltas) is written before the COMMIT */
    int rc = commit ? db_deferred_flush(c) : DB_OK;
    c->tx_depth = 0;
    if (rc == DB_OK) rc = exec_cached(c, sql);
    if (rc != DB_OK && commit) exec_cached(c, "ROLLBACK");
    deferred_discard(c);
    if (unlock) pthread_mutex_unlock(&writer);
    return rc;
}

int db_begin(db *c) { return begin_tx(c, c->ops->begin_sql, c->ops->one_writer); }
int db_commit(db *c) { return end_tx(c, "COMMIT", c->ops->one_writer); }
int db_rollback(db *c) { return end_tx(c, "ROLLBACK", c->ops->one_writer); }
int db_read_begin(db *c) { return c->ops->read_tx ? begin_tx(c, "BEGIN", false) : DB_OK; }
void db_read_end(db *c) { if (c->ops->read_tx) end_tx(c, "COMMIT", false); }

void db_writers_pause(void) { pthread_mutex_lock(&writer); }
void db_writers_resume(void) { pthread_mutex_unlock(&writer); }

/* ---- group commit ----
 * SQLite lets one write transaction in at a time, and its commit (writing the changed pages to
 * the WAL) costs as much as the work inside. So concurrent top-level transactions queue here:
 * the thread that finds no leader becomes one and runs every queued transaction (its own among
 * them) on its own connection inside one BEGIN ... COMMIT, each in a SAVEPOINT so that a
 * failing one rolls back alone; then it wakes their threads with their results. Pages that
 * every write touches (roll-ups, the audit log's tail) go to the WAL once per batch. A caller
 * sees exactly what it saw before: its callback's result once the commit is durable, or the
 * error. Callbacks only use the connection they are given, so running on another thread's
 * connection is invisible to them (their thread waits meanwhile). */

#define GROUP_MAX 64   /* transactions a batch takes: bounds the wait of the first */
/* Gathering: a leader that finds fewer than GATHER_TARGET jobs queued while jobs have been
 * arriving less than GATHER_GAP_NS apart (on average) gives way for more (gather()), never
 * longer than GATHER_MAX_NS. Without it, on a busy machine the
 * leader ran almost every job alone (1.3 jobs a batch at 6,000 check-ins/s): the other threads
 * had no CPU to reach the queue while it worked, so every job paid a whole commit (its WAL frames,
 * two pwrite calls each) — the largest cost of a write. A leader that yields gives them that CPU.
 * At low rates the average gap is long and nobody waits. */
#define GATHER_TARGET 12
#define GATHER_GAP_NS 400000L      /* 0.4 ms: 2,500 writes a second */
#define GATHER_MAX_NS 1000000L     /* 1 ms */

/* A job's word: its thread sleeps on it (a futex) while it is JOB_WAIT. JOB_DONE is stored once
 * the job's result is in rc, as the last access to the job (the thread may return and its stack
 * go at once), then the thread is woken; the futex call after that only names the address, and
 * a spurious wake of a later wait there is harmless (waits loop on the word). The leader wakes
 * only the first thread of a finished batch: each woken thread wakes the next (wake_next, set
 * before JOB_DONE), so the batch's wake-ups (a system call and a context switch each, dear on a
 * virtual machine) are not paid one after another in the leader's serial time. JOB_LEAD, stored with
 * group_lock held while the job is still queued (so nobody can have finished it), asks its thread
 * to lead the next batches. Condition variables did the same with the waker holding group_lock:
 * every woken thread then slept again on the lock it wanted (a tenth of the server's time went to
 * those futex calls and the context switches around them). */
enum { JOB_WAIT, JOB_LEAD, JOB_DONE };

typedef struct tx_job {
    int (*cb)(db *c, void *cls);
    void *cls;
    int rc;
    _Atomic uint32_t word;
    struct tx_job *next;
    struct tx_job *wake_next;   /* the job of the same batch this one's thread wakes when done */
} tx_job;

static void job_sleep(tx_job *j)
{
    while (atomic_load(&j->word) == JOB_WAIT)
        syscall(SYS_futex, &j->word, FUTEX_WAIT_PRIVATE, JOB_WAIT, NULL, NULL, 0);
}

static void job_signal(tx_job *j, uint32_t word)
{
    atomic_store(&j->word, word);
    syscall(SYS_futex, &j->word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static pthread_mutex_t group_lock = PTHREAD_MUTEX_INITIALIZER;
static tx_job *group_head, *group_tail;
static bool group_leader;
static int group_len;                 /* jobs queued */
static int64_t last_arrival_ns, gap_ns = GATHER_GAP_NS * 100;   /* average gap, starts "idle" */

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000L + t.tv_nsec;
}

/* Queues j (group_lock held), keeping the average gap between arrivals. */
static void enqueue(tx_job *j)
{
    if (group_tail) group_tail->next = j; else group_head = j;
    group_tail = j;
    group_len++;
    int64_t now = now_ns(), gap = now - last_arrival_ns;
    if (gap < 0 || gap > 10 * GATHER_MAX_NS) gap = 10 * GATHER_MAX_NS;
    last_arrival_ns = now;
    gap_ns += (gap - gap_ns) / 8;
}

/* The new leader's wait for a fuller batch (group_lock held; see GATHER_TARGET): it gives its
 * CPU away (sched_yield) for as long as each turn brings a new job, so a thread that was about to
 * queue gets there; a turn that brings none ends the wait, and so do the target and
 * GATHER_MAX_NS. A timed sleep instead left the CPU idle in a closed loop of clients (all of them
 * already waiting in the batch) and cut the rate though each check-in cost less. */
static void gather(void)
{
    if (group_len >= GATHER_TARGET || gap_ns >= GATHER_GAP_NS) return;
    int64_t end = now_ns() + GATHER_MAX_NS;
    for (int before = group_len; group_len < GATHER_TARGET && now_ns() < end; before = group_len) {
        pthread_mutex_unlock(&group_lock);
        sched_yield();
        pthread_mutex_lock(&group_lock);
        if (group_len == before) break;
    }
}

/* Up to GROUP_MAX queued jobs, oldest first (group_lock held). */
static tx_job *take_batch(void)
{
    tx_job *first = group_head, *last = group_head;
    int n = 1;
    for (; n < GROUP_MAX && last->next; n++) last = last->next;
    group_len -= n;
    group_head = last->next;
    if (!group_head) group_tail = NULL;
    last->next = NULL;
    return first;
}

static void fail_batch(tx_job *batch, tx_job *upto, int rc)
{
    for (tx_job *j = batch; j != upto; j = j->next) j->rc = rc;
}

/* One job of a batch of several, inside its savepoint. false when the engine ended the whole
 * transaction (then nothing of the batch is written). */
static bool run_in_savepoint(db *c, tx_job *j)
{
    if ((j->rc = exec_cached(c, "SAVEPOINT kepu_tx")) != DB_OK) return c->ops->in_tx(c);
    deferred_mark(c);   /* its deferred writes go or stay with its savepoint */
    j->rc = j->cb(c, j->cls);
    if (!c->ops->in_tx(c)) return false;
    if (j->rc < 0) deferred_undo(c);
    if (j->rc < 0 && exec_cached(c, "ROLLBACK TO kepu_tx") != DB_OK) return false;
    return exec_cached(c, "RELEASE kepu_tx") == DB_OK;
}

static void run_batch(db *c, tx_job *batch)
{
    int rc = db_begin(c);
    if (rc != DB_OK) { fail_batch(batch, NULL, rc); return; }
    if (!batch->next) {   /* alone: no savepoint needed, a failure rolls back the transaction */
        batch->rc = batch->cb(c, batch->cls);
        if (batch->rc < 0) { db_rollback(c); return; }
    } else {
        for (tx_job *j = batch; j; j = j->next) {
            if (run_in_savepoint(c, j)) continue;
            /* The engine rolled everything back (I/O error, out of memory): the jobs run so far
             * lost their work and try again; the failing one reports its error. */
            int own = j->rc < 0 ? j->rc : DB_ERR;
            fail_batch(batch, NULL, DB_BUSY);
            j->rc = own;
            c->tx_depth = 1;
            db_rollback(c);
            return;
        }
    }
    if ((rc = db_commit(c)) != DB_OK)
        for (tx_job *j = batch; j; j = j->next)
            if (j->rc >= 0) j->rc = rc;
}

/* The connection batches run on: one for the process, so its page cache stays warm (SQLite drops
 * a connection's whole cache when another connection has written). Used by one leader at a
 * time; opened on first use; NULL if it cannot be opened (the leader's own is used then). */
static db *group_conn;

static db *batch_connection(db *own)
{
    if (!group_conn && configured_url && db_open(configured_url, &group_conn) != DB_OK) group_conn = NULL;
    return group_conn ? group_conn : own;
}

/* A leader runs batch after batch while jobs are queued, up to LEAD_MAX_BATCHES (its own
 * request waits for them, so they are few): handing the lead on made the next batch wait for
 * another thread to be scheduled, and on a busy machine that was a fifth of the writer's time. */
#define LEAD_MAX_BATCHES 8

/* Hands a finished batch's results over: self (the leader's own job, if in it) is done without
 * a wake-up; the others are chained by wake_next and only the first is woken (see JOB_DONE).
 * Nothing of the batch is touched after that signal. */
static void finish_batch(tx_job *batch, tx_job *self)
{
    tx_job *first = NULL, **link = &first;
    for (tx_job *j = batch; j; j = j->next) {
        if (j == self) continue;
        *link = j;
        link = &j->wake_next;
    }
    *link = NULL;
    for (tx_job *j = batch; j; j = j->next)
        if (j == self) atomic_store(&self->word, JOB_DONE);
    if (first) job_signal(first, JOB_DONE);
}

/* Leads (group_lock held on entry and on return). */
static void lead(db *own, tx_job *self)
{
    group_leader = true;
    for (int round = 0; round < LEAD_MAX_BATCHES && group_head; round++) {
        gather();
        tx_job *batch = take_batch();
        pthread_mutex_unlock(&group_lock);
        run_batch(batch_connection(own), batch);
        finish_batch(batch, self);
        pthread_mutex_lock(&group_lock);
    }
    group_leader = false;
    /* the oldest waiting job leads the next batches */
    if (group_head) job_signal(group_head, JOB_LEAD);
}

static int group_transaction(db *c, int (*cb)(db *c, void *cls), void *cls)
{
    tx_job me = {.cb = cb, .cls = cls, .rc = DB_ERR, .word = JOB_WAIT};
    pthread_mutex_lock(&group_lock);
    enqueue(&me);
    for (;;) {
        if (!group_leader) lead(c, &me);
        if (atomic_load(&me.word) == JOB_DONE) break;
        pthread_mutex_unlock(&group_lock);
        job_sleep(&me);
        if (atomic_load(&me.word) == JOB_DONE) goto done;   /* the usual wake: no lock needed */
        pthread_mutex_lock(&group_lock);
        /* asked to lead: waits again unless finished meanwhile (then the word is JOB_DONE) */
        uint32_t asked = JOB_LEAD;
        if (!atomic_compare_exchange_strong(&me.word, &asked, JOB_WAIT)) break;
    }
    pthread_mutex_unlock(&group_lock);
done:
    /* the next thread of the batch: its result is in, it sleeps until this wakes it */
    if (me.wake_next) job_signal(me.wake_next, JOB_DONE);
    return me.rc;
}

int db_transaction(db *c, int (*cb)(db *c, void *cls), void *cls)
{
    /* Only the server's per-thread connections group: a command may hold connections to other
     * databases (migrate-data), and its own connection is the only writer anyway. */
    bool grouped = c->ops->one_writer && c->ops->in_tx && c->tx_depth == 0 && configured_url &&
                   c == pthread_getspecific(thread_key);
    for (int attempt = 0; attempt < 8; attempt++) {
        int rc;
        if (grouped) {
            rc = group_transaction(c, cb, cls);
        } else if ((rc = db_begin(c)) == DB_OK) {
            rc = cb(c, cls);
            if (rc >= 0) {
                int crc = db_commit(c);
                if (crc == DB_OK) return rc;
                rc = crc;
            } else {
                db_rollback(c);
            }
        }
        /* Only the outermost transaction may retry; inner failures propagate to it. */
        if (rc != DB_BUSY || c->tx_depth > 0) return rc;
        struct timespec ts = {0, (long)(1 + rand() % 20) * 1000000L * (attempt + 1)};
        nanosleep(&ts, NULL);
    }
    log_warn("transaction gave up after retries");
    return DB_BUSY;
}
