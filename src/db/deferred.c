/* deferred.c - work a module defers to the end of a write transaction (see db.h): the registry
 * and its hooks, called by db.c at COMMIT, ROLLBACK, a group commit job's savepoint and close. */
#include "db/db_impl.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>

/* Written under registry, read without it (every deltas_add and audit row asks): an entry is
 * stored before the count that shows it. */
static const db_deferred *_Atomic registered[DB_MAX_DEFERRED];
static _Atomic int nregistered;
static pthread_mutex_t registry = PTHREAD_MUTEX_INITIALIZER;

static int find(const db_deferred *d)
{
    int n = atomic_load(&nregistered);
    for (int i = 0; i < n; i++)
        if (atomic_load(&registered[i]) == d) return i;
    return -1;
}

/* d's slot, registering it the first time; -1 when all are taken. */
static int slot_of(const db_deferred *d)
{
    int i = find(d);
    if (i >= 0) return i;
    pthread_mutex_lock(&registry);
    if ((i = find(d)) < 0 && nregistered < DB_MAX_DEFERRED) {
        i = atomic_load(&nregistered);
        atomic_store(&registered[i], d);
        atomic_store(&nregistered, i + 1);
    }
    pthread_mutex_unlock(&registry);
    return i;
}

void *db_deferred_state(db *c, const db_deferred *d, size_t size)
{
    int slot = slot_of(d);
    if (slot < 0) return NULL;
    if (!c->deferred[slot]) c->deferred[slot] = calloc(1, size);
    return c->deferred[slot];
}

bool db_in_transaction(db *c) { return c->tx_depth > 0; }

int db_deferred_flush(db *c)
{
    /* a slot holds state only once its module registered: every slot is looked at (a loop bound
     * read from nregistered made GCC -O3 warn of an overflow of registered[]) */
    for (int i = 0; i < DB_MAX_DEFERRED; i++) {
        if (!c->deferred[i]) continue;
        int rc = atomic_load(&registered[i])->flush(c, c->deferred[i]);
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

void deferred_mark(db *c)
{
    for (int i = 0; i < DB_MAX_DEFERRED; i++)
        if (c->deferred[i]) atomic_load(&registered[i])->mark(c->deferred[i]);
}

void deferred_undo(db *c)
{
    for (int i = 0; i < DB_MAX_DEFERRED; i++)
        if (c->deferred[i]) atomic_load(&registered[i])->undo(c->deferred[i]);
}

void deferred_discard(db *c)
{
    for (int i = 0; i < DB_MAX_DEFERRED; i++)
        if (c->deferred[i]) atomic_load(&registered[i])->discard(c->deferred[i]);
}

void deferred_free(db *c)
{
    for (int i = 0; i < DB_MAX_DEFERRED; i++)
        if (c->deferred[i]) atomic_load(&registered[i])->free_state(c->deferred[i]), c->deferred[i] = NULL;
}
