/* conn_guard.c - the connection cap and the request-head deadline (see conn_guard.h). */
#include "http/conn_guard.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

struct guarded {
    struct guarded *prev, *next;
    MHD_socket fd;
    atomic_int_fast64_t deadline_ms;   /* 0 while a request's head is in */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct guarded *head;           /* every open connection; under lock */
static int64_t head_timeout_ms;

unsigned conn_cap_for(uint64_t nofile, unsigned threads, unsigned want)
{
    uint64_t reserve = CONN_RESERVE_BASE + (uint64_t)CONN_RESERVE_PER_THREAD * threads;
    uint64_t cap = nofile > reserve ? (nofile - reserve) / 2 : 0;
    if (cap > 1u << 20) cap = 1u << 20;   /* RLIM_INFINITY and the like */
    if (cap < 16) cap = 16;
    if (want > 0 && want < cap) cap = want;
    return (unsigned)cap;
}

uint64_t conn_raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024;
    if (rl.rlim_cur < rl.rlim_max) {
        struct rlimit want = {rl.rlim_max, rl.rlim_max};
        if (setrlimit(RLIMIT_NOFILE, &want) == 0) rl.rlim_cur = rl.rlim_max;
    }
    return (uint64_t)rl.rlim_cur;
}

void conn_guard_init(unsigned head_timeout_s) { head_timeout_ms = (int64_t)head_timeout_s * 1000; }

/* Deadlines are on the monotonic clock: a change of the wall clock must not cut connections. */
static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t next_deadline(void)
{
    return head_timeout_ms > 0 ? mono_ms() + head_timeout_ms : 0;
}

void conn_guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                       enum MHD_ConnectionNotificationCode toe)
{
    (void)cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        struct guarded *g = calloc(1, sizeof *g);
        if (!g || !ci) { free(g); return; }   /* unguarded: MHD's idle timeout still applies */
        g->fd = ci->connect_fd;
        atomic_store(&g->deadline_ms, next_deadline());
        pthread_mutex_lock(&lock);
        g->next = head;
        if (head) head->prev = g;
        head = g;
        pthread_mutex_unlock(&lock);
        *socket_context = g;
        return;
    }
    struct guarded *g = *socket_context;
    if (!g) return;
    pthread_mutex_lock(&lock);
    if (g->prev) g->prev->next = g->next;
    else head = g->next;
    if (g->next) g->next->prev = g->prev;
    pthread_mutex_unlock(&lock);
    free(g);
    *socket_context = NULL;
}

static struct guarded *guarded_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

void conn_guard_head_done(struct MHD_Connection *conn)
{
    struct guarded *g = guarded_of(conn);
    if (g) atomic_store(&g->deadline_ms, 0);
}

void conn_guard_answer_done(struct MHD_Connection *conn)
{
    struct guarded *g = guarded_of(conn);
    if (g) atomic_store(&g->deadline_ms, next_deadline());
}

unsigned conn_guard_sweep(void)
{
    if (head_timeout_ms <= 0) return 0;
    int64_t now = mono_ms();
    unsigned cut = 0;
    pthread_mutex_lock(&lock);
    for (struct guarded *g = head; g; g = g->next) {
        int64_t d = atomic_load(&g->deadline_ms);
        if (d == 0 || d > now) continue;
        /* The descriptor stays MHD's: shutdown() only ends the stream, MHD's worker sees the
         * end and closes the connection itself (and tells us, under this lock, first). */
        shutdown(g->fd, SHUT_RDWR);
        atomic_store(&g->deadline_ms, 0);
        cut++;
    }
    pthread_mutex_unlock(&lock);
    return cut;
}
