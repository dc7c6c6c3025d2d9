/* title_hooks.c - issue 15, package J: what a title granted to a person does (results.h,
 * calls_title_granted, called by designations_give for a finalize and a grant by hand alike).
 * A person's title must name a pool person under the holder unit. The excellent_teacher title
 * carries a filed teacher into the city pool (市级师资库) through the teacher chain's own step,
 * which checks, records and audits it as a step by hand would; it replaces the old selection
 * round (teaching/selection.c, kept read-only as history: docs/domain.md). A resource's title
 * (premium_course, issue 18) must name a resource uploaded at or below the holder unit, and sets
 * the resource's premium flag, which a revoke clears again (the flag is kept on the row, not
 * read from the titles, so that the portal's premium-first list walks an index). */
#include "calls/results.h"
#include "teaching/teachers.h"
#include <string.h>

/* Whether the subject id of the pool lies at or below path. */
static int person_under(db *c, const subject_pool *pool, int64_t id, const char *path, bool *ok)
{
    qb q;
    qb_init(&q, pool->row_sql);   /* (org_id, name, status, org_path) */
    qb_int(&q, id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    *ok = rc == DB_ROW && path && !strncmp(db_col_text(s, 3), path, strlen(path));
    db_finish(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* A resource's premium flag: set, or cleared unless another active premium_course title stands. */
static int set_premium(db *c, int64_t resource_id, bool on)
{
    qb q;
    qb_init(&q, on ? "UPDATE resources SET premium = 1 WHERE id = ?"
                   : "UPDATE resources SET premium = 0 WHERE id = ? AND NOT EXISTS (SELECT 1 FROM designations d WHERE "
                     "d.kind = 'premium_course' AND d.subject_kind = 'resource' AND d.subject_id = resources.id AND "
                     "d.status = 'active')");
    qb_int(&q, resource_id);
    return qb_exec(c, &q, NULL);
}

int calls_title_revoked(db *c, const designation *before)
{
    if (!before->subject_kind || strcmp(before->subject_kind, "resource") != 0 || strcmp(before->kind, "premium_course") != 0)
        return DB_OK;
    return set_premium(c, before->subject_id, false);
}

int calls_title_granted(db *c, const principal *p, arena *a, const designation *in)
{
    const char *kind = in->subject_kind;
    /* by hand, a node's title is its holder's own (a subject elsewhere would escape the scope check) */
    if (!kind || !strcmp(kind, "org")) return !in->call_id && in->subject_id && in->subject_id != in->org_id ? DES_SUBJECT : DB_OK;
    const subject_pool *pool = calls_subject_pool(kind);
    if (!pool) return DB_OK;
    bool ok = false;
    int rc = in->subject_id > 0 ? person_under(c, pool, in->subject_id, in->org_path, &ok) : DB_OK;
    if (rc != DB_OK) return rc;
    if (!ok) return DES_SUBJECT;
    if (!strcmp(kind, "resource")) return strcmp(in->kind, "premium_course") ? DB_OK : set_premium(c, in->subject_id, true);
    if (strcmp(kind, "teacher") != 0 || strcmp(in->kind, "excellent_teacher") != 0) return DB_OK;
    const char *why = in->call_id ? arena_printf(a, "优秀教师（征集 %lld）/ excellent teacher (call %lld)", (long long)in->call_id,
                                                 (long long)in->call_id)
                                  : "优秀教师称号 / the excellent_teacher title";
    return teachers_city_pool_by_title(c, p, a, in->subject_id, why);
}
