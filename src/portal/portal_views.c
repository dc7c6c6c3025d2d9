/* portal_views.c - the portal's counting without a write per page view: views (per node and
 * Shanghai day, the statistics' keyed metric portal_views, label 门户浏览量) and live-room viewers
 * (activities.stream_viewers) are summed in a small table in memory and written together, in one
 * transaction, by the request that finds the batch due: KEPU_PORTAL_VIEWS_FLUSH seconds (default
 * 10; 0 writes at every view) after its first entry, or when it is full. What a node holds when it
 * stops or dies (at most those seconds' worth) is lost: counts of visits, not records anyone keeps.
 * The raw table portal_view_days is the source `kepu stats verify` recomputes the metric from. */
#include "portal/portal.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH_MAX 256

static const char view_source[] = "SELECT org_path, day, 'portal_views' AS key, n FROM portal_view_days";

typedef struct pending {
    char *path;         /* malloc'd org path; NULL for a live viewer */
    int64_t activity;   /* the live room's activity (path NULL) */
    char day[11];
    int64_t n;
} pending;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pending batch[BATCH_MAX];
static int nbatch;
static time_t first_at;   /* when the oldest entry came */

static int flush_seconds(void)
{
    const char *e = getenv("KEPU_PORTAL_VIEWS_FLUSH");
    return e && *e ? atoi(e) : 10;
}

static void today(char day[11])
{
    char now[40];
    time_now_rfc3339(now);
    memcpy(day, now, 10), day[10] = 0;
}

/* Adds n to the entry (path or activity, day), under the lock; false when the batch is full. */
static bool add_locked(const char *path, int64_t activity, const char *day, int64_t n)
{
    for (int i = 0; i < nbatch; i++) {
        pending *p = &batch[i];
        bool same = path ? p->path && !strcmp(p->path, path) : !p->path && p->activity == activity;
        if (same && !strcmp(p->day, day)) { p->n += n; return true; }
    }
    if (nbatch == BATCH_MAX) return false;
    pending *p = &batch[nbatch];
    p->path = path ? strdup(path) : NULL;
    if (path && !p->path) return false;
    p->activity = activity, p->n = n;
    memcpy(p->day, day, 11);
    if (nbatch++ == 0) first_at = time(NULL);
    return true;
}

static void add(const char *path, int64_t activity)
{
    char day[11];
    today(day);
    pthread_mutex_lock(&lock);
    /* a full batch drops the view rather than block: the flush that empties it is due already */
    if (!add_locked(path, activity, day, 1)) log_warn("portal views: the batch is full, a view was not counted");
    pthread_mutex_unlock(&lock);
}

void portal_view(const char *org_path) { add(org_path, 0); }
void portal_live_viewer(int64_t activity_id) { add(NULL, activity_id); }

struct flush_args {
    pending *rows;
    int n;
};

static int write_one(db *c, const pending *p)
{
    qb q;
    int rc;
    if (!p->path) {
        qb_init(&q, "UPDATE activities SET stream_viewers = stream_viewers + ? WHERE id = ?");
        qb_int(&q, p->n), qb_int(&q, p->activity);
        return qb_exec(c, &q, NULL);
    }
    qb_init(&q, "INSERT INTO portal_view_days (org_path, day, n) VALUES (?, ?, ?) "
                "ON CONFLICT (org_path, day) DO UPDATE SET n = portal_view_days.n + excluded.n");
    qb_text(&q, p->path), qb_text(&q, p->day), qb_int(&q, p->n);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    stats_key k = {"portal_views", p->n};
    return stats_add_keys(c, p->path, p->day, &k, 1, 1);
}

static int flush_cb(db *c, void *cls)
{
    struct flush_args *f = cls;
    for (int i = 0; i < f->n; i++) {
        int rc = write_one(c, &f->rows[i]);
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

int portal_views_flush(db *c, bool force)
{
    static pending rows[BATCH_MAX];   /* guarded by writing: only one flush takes the batch at a time */
    static pthread_mutex_t writing = PTHREAD_MUTEX_INITIALIZER;
    if (pthread_mutex_trylock(&writing) != 0) return DB_OK;   /* another request is writing it */
    pthread_mutex_lock(&lock);
    int n = nbatch;
    bool due = n && (force || n >= BATCH_MAX / 2 || time(NULL) - first_at >= flush_seconds());
    if (due) memcpy(rows, batch, sizeof *rows * (size_t)n), nbatch = 0;
    pthread_mutex_unlock(&lock);
    int rc = DB_OK;
    if (due) {
        struct flush_args f = {rows, n};
        rc = db_transaction(c, flush_cb, &f);
        pthread_mutex_lock(&lock);
        for (int i = 0; i < n; i++) {
            /* a failed write puts its counts back for the next try */
            if (rc != DB_OK && !add_locked(rows[i].path, rows[i].activity, rows[i].day, rows[i].n))
                log_warn("portal views: %lld views were not counted", (long long)rows[i].n);
            free(rows[i].path);
        }
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_unlock(&writing);
    return rc;
}

const char *portal_root_path(db *c, arena *a)
{
    db_stmt *s = db_prepare(c, "SELECT path FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1");
    if (!s) return NULL;
    const char *path = db_step(s) == DB_ROW ? arena_strdup(a, db_col_text(s, 0)) : NULL;
    db_finish(s);
    return path;
}

void portal_init(void)
{
    stats_register_keyed_metric("portal_views");
    stats_register_metric_label("portal_views", "门户浏览量");
    stats_register_key_source(view_source);
    orgs_track_path_column("course_enrolments", "org_path");
    orgs_track_path_column("portal_view_days", "org_path");
}
