/* assess_sql.c - the shared query parts of the assessment's figure sources (assess_sql.h). */
#include "assessments/assess_sql.h"
#include <string.h>

void assess_units_in(qb *q, const assess_unit *units, int n)
{
    qb_sql(q, " u.id IN (");
    for (int i = 0; i < n; i++) {
        qb_sql(q, i ? ", ?" : "?");
        qb_int(q, units[i].org_id);
    }
    if (!n) qb_sql(q, "NULL");
    qb_sql(q, ")");
}

int assess_unit_index(const assess_unit *units, int n, int64_t org_id)
{
    for (int i = 0; i < n; i++)
        if (units[i].org_id == org_id) return i;
    return -1;
}

int assess_read_counts(db *c, qb *q, const assess_unit *units, int n, assess_measure *out)
{
    db_stmt *s = qb_prepare(q, c);
    if (!s) return DB_ERR;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int i = assess_unit_index(units, n, db_col_int(s, 0));
        if (i >= 0) out[i].value = (double)db_col_int(s, 1);
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

int assess_count_all(db *c, int year, const char *param, const assess_unit *units, int n, assess_build_fn build,
                     const char *tail, assess_measure *out)
{
    for (int i = 0; i < n; i++) out[i].value = 0, out[i].detail = NULL;
    for (int at = 0; at < n; at += ASSESS_CHUNK) {
        int k = n - at < ASSESS_CHUNK ? n - at : ASSESS_CHUNK;
        qb q;
        build(&q, year, param);
        assess_units_in(&q, units + at, k);
        qb_sql(&q, tail);
        int rc = assess_read_counts(c, &q, units + at, k, out + at);
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}
