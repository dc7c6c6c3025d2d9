/* teacher_chain.c - the certification chain of the teacher pool (see teachers.h): each step
 * checks the teacher's status (TCH_WRONG_STATE) and the caller's standing (an upper level for
 * certify/return, the city for file/city_pool), records itself in teacher_steps and the audit
 * log, and certification issues the appointment letter in the same transaction.
 * Also the teacher's page (profile) and the sections other modules add to it. */
#include "teaching/teacher_internal.h"
#include "core/timeutil.h"
#include "db/steps.h"
#include "orgs/orgs.h"
#include <stddef.h>
#include <string.h>

bool teachers_caller_is_city(const principal *p)
{
    if (p->rank < RANK_ORG_ADMIN || !p->org_path) return false;
    int slashes = 0;
    for (const char *s = p->org_path; *s; s++) slashes += *s == '/';
    return slashes <= 2;      /* "/1/": the root; "/" is the system (demo) principal */
}

int teachers_district_admin(db *c, const principal *p, arena *a, const char *path, bool strict, int refused)
{
    if (p->rank >= RANK_ADMIN) return DB_OK;
    size_t n = p->org_path ? strlen(p->org_path) : 0;
    bool above = n && !strncmp(p->org_path, path, n) && (!strict || strlen(path) > n);
    if (p->rank < RANK_ORG_ADMIN || !above) return refused;
    org own;
    int rc = orgs_get(c, p, a, p->org_id, &own);
    if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? refused : rc;
    return !strcmp(own.type, "district") || own.parent_id == 0 ? DB_OK : refused;
}

int teachers_district_of(db *c, arena *a, const char *org_path, org *out)
{
    qb q;
    qb_init(&q, " AND substr(?, 1, length(o.path)) = o.path AND (o.type = 'district' OR o.depth = 0) "
                "ORDER BY o.depth DESC LIMIT 1");
    qb_text(&q, org_path);
    /* unscoped: the unit above a teacher the caller has read within its scope */
    int rc = entity_get_where_unscoped(c, &org_entity, a, &q, out);
    return rc == ORGS_NOT_FOUND ? TCH_ORG_NOT_FOUND : rc;
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
    qb q;
    qb_init(&q, "SELECT actor_org_id FROM teacher_steps WHERE teacher_id = ? AND action = 'propose' "
                "ORDER BY id DESC LIMIT 1");
    qb_int(&q, teacher_id);
    *org_id = 0;   /* a NULL actor_org_id reads as 0 too */
    int rc = qb_exec(c, &q, org_id);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Certify and return: an org_admin of a district (or the city) strictly above the teacher's
 * unit, and not the unit that proposed the teacher. Admins (and the system) always may. */
static int check_upper(db *c, const principal *p, arena *a, const teacher *t)
{
    int64_t proposer;
    int rc = proposer_org(c, t->id, &proposer);
    if (rc != DB_OK) return rc;
    if (proposer && p->org_id == proposer) return TCH_NOT_UPPER;
    return teachers_district_admin(c, p, a, t->org_path, true, TCH_NOT_UPPER);
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
    org o;
    int rc = x->p->org_id ? orgs_get(c, x->p, x->a, x->p->org_id, &o)
                          : teachers_district_of(c, x->a, t->org_path, &o);   /* the system acts */
    if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? TCH_NOT_UPPER : rc;
    letter l;
    return letters_issue(c, x->p, x->a, t->id, t->org_path, t->name, o.id, o.name, x->term_years, &l);
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

int teachers_city_pool_by_title(db *c, const principal *p, arena *a, int64_t id, const char *reason)
{
    teacher t;
    /* unscoped: the grant checked the holder unit above the teacher; teachers_step reads it again in p's scope */
    int rc = entity_get_unscoped(c, &teacher_entity, a, id, &t);
    if (rc != DB_OK) return rc;
    if (strcmp(t.status, "filed") != 0 || !teachers_caller_is_city(p)) return DB_OK;
    return teachers_step(c, p, a, id, "city_pool", reason, 0, &t);
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

/* A step of the chain as the teacher's page shows it. */
typedef struct teacher_step {
    int64_t id, actor_org_id;
    const char *action, *from_status, *to_status, *reason, *actor, *actor_org_name, *at;
} teacher_step;

#define S(member) offsetof(teacher_step, member)
static const field step_fields[] = {
    {"id", "st.id", FT_ID, S(id), .flags = 0},
    {"action", "st.action", FT_TEXT, S(action), .flags = 0},
    {"from_status", "st.from_status", FT_TEXT, S(from_status), .flags = 0},
    {"to_status", "st.to_status", FT_TEXT, S(to_status), .flags = 0},
    {"reason", "st.reason", FT_TEXT, S(reason), .flags = 0},
    {"actor", "st.actor_name", FT_TEXT, S(actor), .flags = 0},
    {"actor_org_id", "st.actor_org_id", FT_INT_NULL, S(actor_org_id), .flags = 0},
    {"actor_org_name", "o.name", FT_TEXT, S(actor_org_name), .flags = 0},
    {"at", "st.at", FT_TIME, S(at), .flags = 0},
    {0},
};
#undef S

entity teacher_step_entity = {
    .name = "teacher_step", .doc = "A step of a teacher's certification chain (its page's timeline)",
    .from = " FROM teacher_steps st LEFT JOIN orgs o ON o.id = st.actor_org_id", .id_column = "st.id",
    .path_column = "st.org_path", .order = " ORDER BY st.id", .size = sizeof(teacher_step), .fields = step_fields,
    .not_found = TCH_NOT_FOUND,
};

/* key: the JSON array of the records of e whose column is the teacher's id, in e's order. No scope:
 * they follow the teacher, which the caller read within its scope. */
static int of_teacher(db *c, arena *a, const char *key, const entity *e, const char *column, int64_t id, jw *w)
{
    qb q;
    qb_init(&q, " WHERE ");
    qb_sql(&q, column);
    qb_sql(&q, " = ?");
    qb_int(&q, id);
    jw_key(w, key);
    return entity_list_all(c, e, &q, NULL, a, w, NULL, NULL);
}

static int profile_write(db *c, const principal *p, arena *a, const void *rec, jw *w)
{
    const teacher *t = rec;
    int rc;
    jw_obj(w);
    jw_key(w, "teacher"), entity_write(w, &teacher_entity, t);
    if ((rc = of_teacher(c, a, "steps", &teacher_step_entity, "st.teacher_id", t->id, w)) != DB_OK ||
        (rc = of_teacher(c, a, "letters", &letter_entity, "teacher_id", t->id, w)) != DB_OK ||
        (rc = of_teacher(c, a, "selections", &selection_entity, "s.teacher_id", t->id, w)) != DB_OK)
        return rc;
    jw_key(w, "sections");
    jw_obj(w);
    for (int i = 0; i < nsections && rc == DB_OK; i++) {
        jw_key(w, sections[i].name);
        rc = sections[i].fn(c, p, a, t, w);
    }
    jw_obj_end(w);
    jw_obj_end(w);
    return rc;
}

const entity_writer teacher_profile_writer = {&teacher_entity, profile_write};
