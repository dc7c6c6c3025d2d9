/* teams.c - volunteer teams (科技志愿服务队, see volunteers.h): the nine categories with their
 * naming suffixes, the proposed name (owner org name + suffix, kept unique), read, list, export,
 * create, update and dissolve (a soft delete), and the volunteer_teams counter of the statistics
 * engine. A team's contact phone is stored like every personal number. */
#include "volunteers/volunteers_internal.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/query.h"
#include "model/entity.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <stddef.h>
#include <stdio.h>
#include <string.h>

const char *const team_statuses[] = {"active", "suspended", "dissolved", NULL};

#define T(member) offsetof(volunteer_team, member)
#define MEMBERS_IN(state) "(SELECT COUNT(*) FROM volunteer_members m WHERE m.team_id = t.id AND m.status = '" state "')"
static const field team_fields[] = {
    {"id", "t.id", FT_ID, T(id), .flags = 0},
    {"org_id", "t.org_id", FT_ID, T(org_id), .flags = FF_WRITE | FF_REQUIRED, .doc = "the owner org"},
    {"org_path", "t.org_path", FT_TEXT, T(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, T(org_name), .flags = 0},
    {"category", "t.category", FT_TEXT, T(category), .flags = FF_WRITE | FF_REQUIRED | FF_FILTER, .max = 30,
     .doc = "a code of GET /volunteer-team-categories"},
    {"category_name", "k.name", FT_TEXT, T(category_name), .flags = 0},
    {"name", "t.name", FT_TEXT, T(name), .flags = FF_WRITE | FF_NONEMPTY | FF_SEARCH, .max = 60,
     .doc = "unique; when not given, the proposed name"},
    {"leader", "(SELECT MIN(v.name) FROM volunteer_members m JOIN volunteers v ON v.id = m.volunteer_id "
               "WHERE m.team_id = t.id AND m.status = 'active' AND m.role = 'leader')", FT_TEXT, T(leader), .flags = 0},
    {"contact_name", "t.contact_name", FT_TEXT, T(contact_name), .flags = FF_WRITE, .max = 30},
    {"contact_phone", "t.contact_phone_enc", FT_TEXT, T(contact_phone), .flags = FF_WRITE | FF_ENCRYPTED | FF_MASK_PHONE,
     .check = check_phone},
    {"description", "t.description", FT_TEXT, T(description), .flags = FF_WRITE, .max = 500},
    {"status", "t.status", FT_ENUM, T(status), .flags = FF_WRITE | FF_NONEMPTY | FF_FILTER, .choices = team_statuses},
    {"members", MEMBERS_IN("active"), FT_INT, T(members), .flags = 0, .doc = "active members"},
    {"pending", MEMBERS_IN("pending"), FT_INT, T(pending), .flags = 0, .doc = "applications waiting"},
    {"created_by", "t.created_by", FT_INT_NULL, T(created_by), .flags = 0},
    {"created_at", "t.created_at", FT_TIME, T(created_at), .flags = 0},
    {"updated_at", "t.updated_at", FT_TIME, T(updated_at), .flags = 0},
    {0},
};
#undef T

typedef struct team_category {
    const char *code, *name, *suffix;
    int64_t sort;
} team_category;

#define K(member) offsetof(team_category, member)
static const field category_fields[] = {
    {"code", "k.code", FT_TEXT, K(code), .flags = 0, .example = "\"youth\""},
    {"name", "k.name", FT_TEXT, K(name), .flags = 0},
    {"suffix", "k.suffix", FT_TEXT, K(suffix), .flags = 0, .doc = "the proposed name: owner org name + suffix"},
    {"sort", "k.sort", FT_INT, K(sort), .flags = 0},
    {0},
};
#undef K

entity team_category_entity = {
    .name = "volunteer_team_category",
    .doc = "One of the team categories with its naming suffix (no scope: the same for everyone)",
    .from = " FROM volunteer_team_categories k",
    .id_column = "k.code",
    .size = sizeof(team_category),
    .fields = category_fields,
};

/* The suffix of a category; VOL_BAD_CATEGORY when the category is unknown. */
static int category_suffix(db *c, arena *a, const char *category, const char **suffix)
{
    db_stmt *st = db_prepare(c, "SELECT suffix FROM volunteer_team_categories WHERE code = ?");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, category);
    int rc = db_step(st);
    if (rc == DB_ROW) *suffix = arena_strdup(a, db_col_text(st, 0));
    db_finish(st);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? VOL_BAD_CATEGORY : rc;
}

/* Whether another team (not id) has this name. */
static int name_taken(db *c, const char *name, int64_t id, bool *taken)
{
    qb q;
    int64_t one;
    qb_init(&q, "SELECT 1 FROM volunteer_teams WHERE name = ? AND id <> ?");
    qb_text(&q, name), qb_int(&q, id);
    int rc = qb_exec(c, &q, &one);
    *taken = rc == DB_OK;
    return rc == DB_DONE ? DB_OK : rc;
}

/* How many bytes the end of name shares with the start of suffix (at least two CJK characters,
 * else 0). UTF-8 is self-synchronising, so a byte match starting at the suffix's first character
 * also starts on a character in name. */
static size_t overlap(const char *name, size_t n, const char *suffix)
{
    size_t s = strlen(suffix);
    for (size_t k = n < s ? n : s; k >= 6; k--)
        if (!memcmp(name + n - k, suffix, k)) return k;
    return 0;
}

/* The owner's name joined to the suffix without saying a part twice: a point "X和平社区科普大学教学点"
 * with the suffix "社区科普大学科技志愿服务队" gives "X和平社区科普大学科技志愿服务队" (DOMAIN.md
 * §2.2's "XX社区科普大学科技志愿服务队"), not "...教学点社区科普大学...". */
static const char *join_owner_suffix(arena *a, const char *owner, const char *suffix)
{
    static const char point[] = "教学点";
    size_t n = strlen(owner), pl = sizeof point - 1, k = overlap(owner, n, suffix);
    if (!k && n > pl && !strcmp(owner + n - pl, point) && (k = overlap(owner, n - pl, suffix)) > 0) n -= pl;
    return arena_printf(a, "%.*s%s", (int)(n - k), owner, suffix);
}

int teams_propose_name(db *c, const principal *p, arena *a, int64_t org_id, const char *category, const char **name)
{
    org o;
    const char *suffix = NULL;   /* set by category_suffix on DB_OK; initialised for -O2 -Werror */
    int rc = orgs_get(c, p, a, org_id, &o);
    if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? VOL_ORG_NOT_FOUND : rc;
    if ((rc = category_suffix(c, a, category, &suffix)) != DB_OK) return rc;
    const char *base = join_owner_suffix(a, o.name, suffix);
    for (int n = 1; n < 100; n++) {
        const char *candidate = n == 1 ? base : arena_printf(a, "%s(%d)", base, n);
        bool taken;
        if ((rc = name_taken(c, candidate, 0, &taken)) != DB_OK) return rc;
        if (!taken) { *name = candidate; return DB_OK; }
    }
    *name = base;
    return DB_OK;
}

static int export_row(const void *rec, db_stmt *s, arena *a, void *out)
{
    const volunteer_team *t = rec;
    (void)s, (void)a;
    char phone[32] = "";
    if (t->contact_phone) mask_phone(t->contact_phone, phone, sizeof phone);
    const char *status = !strcmp(t->status, "active") ? "正常" : !strcmp(t->status, "suspended") ? "暂停" : "已解散";
    const char *cells[] = {t->name, t->category_name, t->org_name, t->leader ? t->leader : "",
                           t->contact_name ? t->contact_name : "", phone, status};
    for (int i = 0; i < 7; i++) xlsx_text(out, i, cells[i]);
    xlsx_int(out, 7, t->members);
    xlsx_int(out, 8, t->pending);
    xlsx_time(out, 9, t->created_at);   /* a date cell: YEAR() works on it */
    xlsx_next_row(out);
    return DB_OK;
}

int teams_export(db *c, qb *where, xlsx *out)
{
    qb_sql(where, " ORDER BY t.org_path, t.id");
    return entity_each(c, &volunteer_team_entity, NULL, where, export_row, out);
}

/* The volunteer_teams counter: a team counts at its owner on the day it was formed, until dissolved. */
static int figures(db *c, const volunteer_team *t, int sign)
{
    if (!strcmp(t->status, "dissolved")) return DB_OK;
    char day[11];
    snprintf(day, sizeof day, "%.10s", t->created_at);
    stats_key k = {"volunteer_teams", 1};
    return stats_add_keys(c, t->org_path, day, &k, 1, sign);
}

struct write_args {
    const principal *p;
    arena *a;
    int64_t id;
    const volunteer_team *in;
    volunteer_team *out;
};

static int store(db *c, struct write_args *w, const org *o)
{
    volunteer_team t = *w->in;
    char now[40];
    const char *suffix = NULL;   /* set by category_suffix on DB_OK; initialised for -O2 -Werror */
    bool taken;
    int rc = category_suffix(c, w->a, t.category, &suffix);
    if (rc == DB_OK) rc = name_taken(c, t.name, w->id, &taken);
    if (rc != DB_OK) return rc;
    if (taken) return VOL_DUPLICATE_NAME;
    time_now_rfc3339(now);
    t.org_id = o->id;
    t.status = t.status ? t.status : "active";
    const char *blind = t.contact_phone ? pii_blind(w->a, "phone", t.contact_phone) : NULL;
    entity_value more[] = {{"org_path", .text = o->path}, {"contact_phone_blind", .text = blind},
                           {"updated_at", .text = now}, /* on create only: */ {w->id ? NULL : "created_at", .text = now},
                           {"created_by", .i = w->p->user_id, .is_int = w->p->user_id != 0}, {0}};
    int64_t id = w->id;
    rc = entity_store(c, &volunteer_team_entity, "volunteer_teams", w->id, &t, more, w->a, &id);
    if (rc == DB_UNIQUE) return VOL_DUPLICATE_NAME;
    if (rc != DB_OK) return rc;
    return entity_get_unscoped(c, &volunteer_team_entity, w->a, id, w->out);   /* the row just written */
}

static int write_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    volunteer_team before;
    org o;
    int rc = w->id ? entity_get(c, &volunteer_team_entity, &w->p->scope, w->a, w->id, &before) : DB_OK;
    if (rc != DB_OK) return rc;
    /* no input: the dissolution, a soft delete (status dissolved), once */
    if (!w->in && !strcmp(before.status, "dissolved")) return VOL_BAD_STATE;
    if (!w->in) rc = vol_set_status(c, &volunteer_team_entity, "volunteer_teams", w->a, w->id, "dissolved", w->out);
    else if ((rc = orgs_get(c, w->p, w->a, w->in->org_id, &o)) == DB_OK) rc = store(c, w, &o);
    if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? VOL_ORG_NOT_FOUND : rc;
    if (w->id && (rc = figures(c, &before, -1)) != DB_OK) return rc;
    if ((rc = figures(c, w->out, +1)) != DB_OK) return rc;
    return vol_audit(c, w->p, &volunteer_team_entity, w->out->org_path, w->out->id,
                     !w->in ? "delete" : w->id ? "update" : "create", w->id ? &before : NULL, w->out);
}

int teams_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    volunteer_team t = *(const volunteer_team *)in;
    /* no name given: the platform's proposal (owner name + the category's suffix) */
    int rc = t.name ? DB_OK : teams_propose_name(c, p, a, t.org_id, t.category, &t.name);
    struct write_args w = {p, a, 0, &t, out};
    return rc == DB_OK ? db_transaction(c, write_cb, &w) : rc;
}

static int teams_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    struct write_args w = {p, a, id, in, out};
    return db_transaction(c, write_cb, &w);
}

static int teams_dissolve(db *c, const principal *p, arena *a, int64_t id)
{
    volunteer_team out;
    struct write_args w = {p, a, id, NULL, &out};
    return db_transaction(c, write_cb, &w);
}

entity volunteer_team_entity = {
    .name = "volunteer_team",
    .doc = "A volunteer team (科技志愿服务队); the contact phone masked",
    .from = " FROM volunteer_teams t JOIN orgs o ON o.id = t.org_id JOIN volunteer_team_categories k ON k.code = t.category",
    .id_column = "t.id",
    .path_column = "t.org_path",
    .owner_column = "t.created_by",   /* scope self: its own teams */
    .order = " ORDER BY t.id DESC",
    .size = sizeof(volunteer_team),
    .fields = team_fields,
    .not_found = VOL_NOT_FOUND,
    .org_not_found = VOL_ORG_NOT_FOUND,
    .errors = vol_errors,
    .create = teams_create,
    .update = teams_update,
    .remove = teams_dissolve,
};

/* What the public registration page shows of a team: a projection of volunteer_team_entity. */
static const field public_team_fields[] = {
    {"id", "t.id", FT_ID, offsetof(volunteer_team, id), .flags = 0},
    {"name", "t.name", FT_TEXT, offsetof(volunteer_team, name), .flags = 0},
    {"category", "t.category", FT_TEXT, offsetof(volunteer_team, category), .flags = 0},
    {0},
};

static entity public_team_entity = {
    .name = "public_volunteer_team",
    .from = " FROM volunteer_teams t",
    .id_column = "t.id",
    .size = sizeof(volunteer_team),
    .fields = public_team_fields,
};

int teams_public_unscoped(db *c, arena *a, const char *org_path, jw *w)
{
    qb q;
    qb_init(&q, " WHERE t.status = 'active'");
    qb_subtree(&q, a, "t.org_path", org_path);
    qb_sql(&q, " ORDER BY t.org_path, t.id LIMIT 200");
    return entity_list_all(c, &public_team_entity, &q, "", NULL, w, NULL, NULL);
}
