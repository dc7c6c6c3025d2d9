/* limiter.h - the one attempt limiter of the server: how many tries a key (a client address, an
 * account, a phone, an ID number, a check-in session) gets in a window.
 *
 * Every count is exact for its key: keys are never folded into shared slots, so two addresses
 * that hash alike never reset each other. A key is stored as a keyed hash (the PII index key
 * when one is loaded), never in clear: a phone or ID number used as a key is not kept readable.
 *
 * Two stores, chosen once at start (limiter_configure):
 *  - memory (SQLite, one node): a bounded table; when full, the key touched longest ago is
 *    evicted. Memory stays bounded (KEPU_LIMITER_ENTRIES, default 100,000, ~10 MB).
 *  - database (PostgreSQL, several nodes): the table rate_limits, one upserted row per key, so
 *    N nodes share one count instead of granting an address N times the limit.
 *
 * Windows are fixed: the first attempt opens a window of rule->window seconds; the count starts
 * over when it has passed. In the database store the count is written outside the caller's
 * transaction: call these functions before db_transaction(), never inside one (a rolled-back
 * refusal must still count).
 *
 * Nothing here allocates memory that the caller frees. */
#ifndef KEPU_LIMITER_H
#define KEPU_LIMITER_H
#include <stdbool.h>
#include <stdint.h>

typedef struct limit_rule {
    const char *name;   /* namespace of the keys, e.g. "login.ip"; part of the hashed key */
    int max;            /* attempts allowed in one window */
    int window;         /* seconds */
    const char *env;    /* environment variable that overrides max, or NULL */
} limit_rule;

typedef struct limit_state {
    int count;              /* attempts in the current window, this one included */
    int64_t window_start;   /* unix seconds */
    int64_t last_at;        /* the latest attempt before this call (0: none) */
} limit_state;

enum {
    LIMIT_OK = 0,       /* within the limit */
    LIMIT_OVER = 1,     /* over it: refuse (429) */
    LIMIT_ERROR = -1,   /* the store could not be read (database store): refuse (503) */
};

typedef enum { LIMITER_MEMORY, LIMITER_DATABASE } limiter_store;

/* Chooses the store; the memory store is the default before any call. */
void limiter_configure(limiter_store store);
/* The effective maximum: rule->env when set to a positive number, else rule->max. */
int limit_max(const limit_rule *rule);

/* Counts one attempt of key; LIMIT_OK while the count is within limit_max(). state (may be
 * NULL) receives the count after this attempt. */
int limit_take(const limit_rule *rule, const char *key, limit_state *state);
/* Reads without counting: LIMIT_OVER when the key has used up its window already. */
int limit_peek(const limit_rule *rule, const char *key, limit_state *state);
/* Forgets the key's count (a successful login clears its account's failures). */
void limit_clear(const limit_rule *rule, const char *key);

/* Seconds until the key's window ends (0 when it has none): a Retry-After value. */
int limit_retry_after(const limit_rule *rule, const limit_state *state);

/* limit_take() for a public handler: true within the limit; otherwise replies itself (429
 * too_many_attempts with `message` and Retry-After, or 503 when the store failed) and returns
 * false. */
struct request;
bool limit_take_or_reply(struct request *r, const limit_rule *rule, const char *key, const char *message);

/* Tests: a clock of their own (NULL restores time()), and the memory table emptied. */
void limiter_set_clock(int64_t (*now)(void));
void limiter_reset_memory(void);
/* Tests: entries held in the memory store. */
int limiter_memory_entries(void);

#endif
