/* teacher_chain.c - the certification chain of the teacher pool (see teachers.h): each step
 * checks the teacher's status (TCH_WRONG_STATE) and the caller's standing (an upper level for
 * certify/return, the city for file/city_pool), records itself in teacher_steps and the audit
 * log, and certification issues the appointment letter in the same transaction.
 * Also the teacher's page (profile) and the sections other modules add to it. */
#include "teaching/teacher_internal.h"
#include "teaching/letters.h"
#include "core/timeutil.h"
#include "db/steps.h"
#include "orgs/orgs.h"
#include <string.h>

/* Whether upper is a strict ancestor path of path ("/1/" of "/1/7/"). */
static bool teacher_path_above(const char *upper, const char *path)
{
    size_t n = upper ? strlen(upper) : 0;
    return n && strlen(path) > n && !strncmp(upper, path, n);
}

bool teachers_caller_is_city(const principal *p)
{
    if (p->rank < RANK_ORG_ADMIN || !p->org_path) return false;
    int slashes = 0;
    for (const char *s = p->org_path; *s; s++) slashes += *s == '/';
    return slashes <= 2;      /* "/1/": the root; "/" is the system (demo) principal */
}

int teachers_district_of(db *c, arena *a, const char *org_path, int64_t *org_id, const char **name)
{
    db_stmt *s = db_prepare(c, "SELECT id, name FROM orgs WHERE substr(?, 1, length(path)) = path "
                               "AND (type = 'district' OR depth = 0) ORDER BY depth DESC LIMIT 1");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, org_path);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *org_id = db_col_int(s, 0);
        *name = arena_strdup(a, db_col_text(s, 1));
    }
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? TCH_ORG_NOT_FOUND : rc;
}

int teacher_step_record(db *c, const principal *p, int64_t teacher_id, const char *org_path, const char *action,
                        const char *from, const char *to, const char *reason)
{
    char now[32];
    time_now_rfc3339(now);
    static const db_steps history = {"teacher_steps", "teacher_id", "org_path", "actor_id", "actor_name", "actor_org_id"};
    const db_step_entry st = {teacher_id, org_path, action, from, to, reason, p->user_id, p->username, p->org_id, now};
    return db_steps_add(c, &history, &st);
}

/* The unit whose last "propose" step brought the teacher to proposed (0: the system). */
static int proposer_org(db *c, int64_t teacher_id, int64_t *org_id)
{
    db_stmt *s = db_prepare(c, "SELECT actor_org_id FROM teacher_steps WHERE teacher_id = ? AND action = 'propose' "
                               "ORDER BY id DESC LIMIT 1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, teacher_id);
    int rc = db_step(s);
    *org_id = rc == DB_ROW && !db_col_null(s, 0) ? db_col_int(s, 0) : 0;
    db_finish(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* Certify and return: an org_admin of a district (or the city) strictly above the teacher's
 * unit, and not the unit that proposed the teacher. Admins (and the system) always may. */
static int check_upper(db *c, const principal *p, arena *a, const teacher *t)
{
    int64_t proposer;
    int rc = proposer_org(c, t->id, &proposer);
    if (rc != DB_OK) return rc;
    if (proposer && p->org_id == proposer) return TCH_NOT_UPPER;
    if (p->rank >= RANK_ADMIN) return DB_OK;
    if (p->rank < RANK_ORG_ADMIN || !teacher_path_above(p->org_path, t->org_path)) return TCH_NOT_UPPER;
    org own;
    rc = orgs_get(c, p, a, p->org_id, &own);
    if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? TCH_NOT_UPPER : rc;
    return !strcmp(own.type, "district") || own.parent_id == 0 ? DB_OK : TCH_NOT_UPPER;
}

struct step_args {
    const principal *p;
    arena *a;
    int64_t id;
    const char *action, *reason;
    int term_years;
    teacher *out;
};

static const struct {
    const char *action, *from1, *from2, *to;
} steps[] = {
    {"propose", "draft", "returned", "proposed"},
    {"certify", "proposed", NULL, "certified"},
    {"return", "proposed", NULL, "returned"},
    {"file", "certified", NULL, "filed"},
    {"city_pool", "filed", NULL, "city_pool"},
};

static int issue_letter(db *c, const struct step_args *x, const teacher *t)
{
    int64_t issuer = x->p->org_id;
    const char *issuer_name = NULL;
    int rc = DB_OK;
    if (issuer) {
        org o;
        rc = orgs_get(c, x->p, x->a, issuer, &o);
        issuer_name = o.name;
    } else {
        rc = teachers_district_of(c, x->a, t->org_path, &issuer, &issuer_name);   /* the system acts */
    }
    if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? TCH_NOT_UPPER : rc;
    letter l;
    return letters_issue(c, x->p, x->a, t->id, t->org_path, t->name, issuer, issuer_name, x->term_years, &l);
}

static int step_cb(db *c, void *cls)
{
    struct step_args *x = cls;
    teacher before;
    int rc = entity_get(c, &teacher_entity, &x->p->scope, x->a, x->id, &before);
    if (rc != DB_OK) return rc;
    size_t k = 0;
    while (k < sizeof steps / sizeof *steps && strcmp(steps[k].action, x->action)) k++;
    if (k == sizeof steps / sizeof *steps) return TCH_WRONG_STATE;
    if (strcmp(before.status, steps[k].from1) && (!steps[k].from2 || strcmp(before.status, steps[k].from2)))
        return TCH_WRONG_STATE;
    if (!strcmp(x->action, "certify") || !strcmp(x->action, "return")) rc = check_upper(c, x->p, x->a, &before);
    else if (!strcmp(x->action, "file") || !strcmp(x->action, "city_pool"))
        rc = teachers_caller_is_city(x->p) ? DB_OK : TCH_NOT_CITY;
    if (rc != DB_OK) return rc;
    rc = teacher_set_status(c, x->id, steps[k].to, !strcmp(x->action, "city_pool") ? "city" : NULL);
    if (rc == DB_OK && !strcmp(x->action, "certify")) rc = issue_letter(c, x, &before);
    if (rc == DB_OK)
        rc = teacher_step_record(c, x->p, x->id, before.org_path, x->action, before.status, steps[k].to, x->reason);
    /* unscoped: the row this transaction read within the scope and just changed */
    if (rc == DB_OK) rc = entity_get_unscoped(c, &teacher_entity, x->a, x->id, x->out);
    if (rc == DB_OK) rc = entity_audit(c, &teacher_entity, actor_of(x->p), x->out->org_path, x->id, x->action, &before, x->out);
    return rc;
}

int teachers_step(db *c, const principal *p, arena *a, int64_t id, const char *action, const char *reason,
                  int term_years, teacher *out)
{
    struct step_args x = {p, a, id, action, reason, term_years > 0 ? term_years : 3, out};
    return db_transaction(c, step_cb, &x);
}

/* ---- the teacher's page ---- */

#define MAX_SECTIONS 8
static struct { const char *name; teacher_section_fn fn; } sections[MAX_SECTIONS];
static int nsections;

void teachers_register_section(const char *name, teacher_section_fn fn)
{
    for (int i = 0; i < nsections; i++)
        if (!strcmp(sections[i].name, name)) { sections[i].fn = fn; return; }
    if (nsections < MAX_SECTIONS) sections[nsections].name = name, sections[nsections++].fn = fn;
}

static int write_steps(db *c, int64_t teacher_id, jw *w)
{
    db_stmt *s = db_prepare(c, "SELECT st.id, st.action, st.from_status, st.to_status, st.reason, st.actor_name, "
                               "st.actor_org_id, o.name, st.at FROM teacher_steps st "
                               "LEFT JOIN orgs o ON o.id = st.actor_org_id WHERE st.teacher_id = ? ORDER BY st.id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, teacher_id);
    int rc;
    jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) {
        jw_obj(w);
        jw_key(w, "id"), jw_int(w, db_col_int(s, 0));
        jw_key(w, "action"), jw_str(w, db_col_text(s, 1));
        jw_key(w, "from_status"), jw_str(w, db_col_text(s, 2));
        jw_key(w, "to_status"), jw_str(w, db_col_text(s, 3));
        jw_key(w, "reason"), jw_str(w, db_col_text(s, 4));
        jw_key(w, "actor"), jw_str(w, db_col_text(s, 5));
        jw_key(w, "actor_org_id"), jw_int_or_null(w, db_col_null(s, 6) ? 0 : db_col_int(s, 6));
        jw_key(w, "actor_org_name"), jw_str(w, db_col_text(s, 7));
        jw_key(w, "at"), jw_str(w, db_col_text(s, 8));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

int teachers_profile(db *c, const principal *p, arena *a, int64_t id, jw *w)
{
    teacher t;
    int rc = entity_get(c, &teacher_entity, &p->scope, a, id, &t);
    if (rc != DB_OK) return rc;
    jw_obj(w);
    jw_key(w, "teacher"), entity_write(w, &teacher_entity, &t);
    jw_key(w, "steps");
    if ((rc = write_steps(c, id, w)) != DB_OK) return rc;
    jw_key(w, "letters");
    if ((rc = letters_of_teacher(c, a, id, w)) != DB_OK) return rc;
    jw_key(w, "selections");
    if ((rc = teacher_selections_of(c, id, w)) != DB_OK) return rc;
    jw_key(w, "sections");
    jw_obj(w);
    for (int i = 0; i < nsections && rc == DB_OK; i++) {
        jw_key(w, sections[i].name);
        rc = sections[i].fn(c, p, a, &t, w);
    }
    jw_obj_end(w);
    jw_obj_end(w);
    return rc;
}
