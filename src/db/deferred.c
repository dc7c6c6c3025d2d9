/* deferred.c - work a module defers to the end of a write transaction (see db.h): the registry
 * and its hooks, called by db.c at COMMIT, ROLLBACK, a group commit job's savepoint and close. */
#include "db/db_impl.h"
#include <stddef.h>

static const db_deferred *registered[DB_MAX_DEFERRED];
static int nregistered;

int db_deferred_register(const db_deferred *d)
{
    for (int i = 0; i < nregistered; i++)
        if (registered[i] == d) return i;
    if (nregistered == DB_MAX_DEFERRED) return -1;
    registered[nregistered] = d;
    return nregistered++;
}

void **db_deferred_state(db *c, int slot)
{
    return slot >= 0 && slot < DB_MAX_DEFERRED ? &c->deferred[slot] : NULL;
}

bool db_in_transaction(db *c) { return c->tx_depth > 0; }

int db_deferred_flush(db *c)
{
    for (int i = 0; i < nregistered; i++) {
        if (!c->deferred[i]) continue;
        int rc = registered[i]->flush(c, c->deferred[i]);
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

void deferred_mark(db *c)
{
    for (int i = 0; i < nregistered; i++)
        if (c->deferred[i]) registered[i]->mark(c->deferred[i]);
}

void deferred_undo(db *c)
{
    for (int i = 0; i < nregistered; i++)
        if (c->deferred[i]) registered[i]->undo(c->deferred[i]);
}

void deferred_discard(db *c)
{
    for (int i = 0; i < nregistered; i++)
        if (c->deferred[i]) registered[i]->discard(c->deferred[i]);
}

void deferred_free(db *c)
{
    for (int i = 0; i < nregistered; i++)
        if (c->deferred[i]) registered[i]->free_state(c->deferred[i]), c->deferred[i] = NULL;
}
