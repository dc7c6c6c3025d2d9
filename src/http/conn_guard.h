/* conn_guard.h - connection limits libmicrohttpd does not have on its own.
 *
 * The cap: how many connections the server may hold, from the descriptor limit (the soft
 * RLIMIT_NOFILE is raised to the hard one first), so that a flood of idle connections can never
 * take the descriptors that database connections, uploads and served files need.
 * The head deadline: MHD's connection timeout counts inactivity, so a client sending one header
 * line every few seconds held a connection forever. Here every connection must deliver a whole
 * request head within head_timeout seconds of opening, or of its previous answer; a periodic
 * sweep shuts down the connections that did not.
 *
 * Ownership: the guard allocates one record per connection on MHD's STARTED notice and frees
 * it on the CLOSED notice, before MHD closes the socket (so the sweep never touches a
 * descriptor that may have been reused). */
#ifndef KEPU_CONN_GUARD_H
#define KEPU_CONN_GUARD_H
#include <microhttpd.h>
#include <stdint.h>

/* Descriptors kept back from connections: the base covers MHD's own (listen socket, an epoll
 * and an event descriptor per thread), logs and the odd file; each thread adds its database
 * connection (up to three files for SQLite in WAL mode) and one more. */
#define CONN_RESERVE_BASE 64u
#define CONN_RESERVE_PER_THREAD 4u

/* The connection cap for a descriptor limit: the limit less the reserve, halved because a
 * connection may hold a second descriptor (an upload being spooled, a file being sent); at least
 * 16. want > 0 lowers the result (KEPU_MAX_CONNECTIONS), never raises it. Pure. */
unsigned conn_cap_for(uint64_t nofile, unsigned threads, unsigned want);
/* Raises the soft descriptor limit to the hard one (best effort) and returns the soft limit
 * now in force. */
uint64_t conn_raise_nofile(void);

/* Head deadline in seconds (0: none). Call before the daemon starts. */
void conn_guard_init(unsigned head_timeout_s);
/* MHD_OPTION_NOTIFY_CONNECTION callback: tracks connections as they open and close. */
void conn_guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                       enum MHD_ConnectionNotificationCode toe);
/* The head of a request on conn is complete: no deadline until its answer is sent. */
void conn_guard_head_done(struct MHD_Connection *conn);
/* The answer on conn is sent: the next request's head has head_timeout seconds from now. */
void conn_guard_answer_done(struct MHD_Connection *conn);
/* Shuts down every connection whose head is overdue (MHD then closes it); returns how many.
 * Call about twice a second from one thread. */
unsigned conn_guard_sweep(void);

#endif
