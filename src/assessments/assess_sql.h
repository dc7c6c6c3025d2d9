/* assess_sql.h - what the figure sources (sources.h) share to measure all units in one query:
 * the units as the rows of orgs u (u.id IN the units' ids), each source joining its records on
 * "the record's path within u's subtree" and grouping by u.id; the rows read back per unit.
 *
 * A query binds at most ASSESS_CHUNK unit ids (the query builder's limit leaves room for the
 * source's own values): more units are measured ASSESS_CHUNK at a time, one query each.
 *
 * Ownership: nothing allocated beyond the arena handed in; the qb is released as qb_prepare(). */
#ifndef KEPU_ASSESS_SQL_H
#define KEPU_ASSESS_SQL_H
#include "assessments/sources.h"
#include "db/query.h"

#define ASSESS_CHUNK 40

/* Appends " u.id IN (?, ...)" for units[0..n) (n <= ASSESS_CHUNK). */
void assess_units_in(qb *q, const assess_unit *units, int n);
/* The condition "path column col lies in the subtree of u" (col a constant of the caller). */
#define ASSESS_UNDER(col) " substr(" col ", 1, length(u.path)) = u.path "
/* The unit of units[0..n) with this id (-1: none). */
int assess_unit_index(const assess_unit *units, int n, int64_t org_id);
/* Runs a query whose rows are (u.id, a count) and sets out[i].value to the count of units[i]
 * (0 when no row). q is released. DB_OK or a DB code. */
int assess_read_counts(db *c, qb *q, const assess_unit *units, int n, assess_measure *out);
/* The same count source for any number of units: build(q, year, param) starts the query up to
 * "WHERE", after which " u.id IN (...)" and then the tail (a constant: " GROUP BY u.id") follow. */
typedef void (*assess_build_fn)(qb *q, int year, const char *param);
int assess_count_all(db *c, int year, const char *param, const assess_unit *units, int n, assess_build_fn build,
                     const char *tail, assess_measure *out);

/* x rounded half away from zero to a whole number (no libm in the link). */
static inline int64_t asm_round(double x) { return (int64_t)(x >= 0 ? x + 0.5 : x - 0.5); }

#endif
