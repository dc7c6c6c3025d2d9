/* literacy.h - literacy surveys (公民科学素质调查, issue 17 C): per year, node and population group,
 * the share of scientifically literate citizens a survey found and the population the row stands
 * for. Each row feeds the ratio metric literacy_rate (stats/ratios.c) as two keyed counters on
 * the day YYYY-12-31 of its year: literacy.num = round(rate x population) literate residents and
 * literacy.den = population (a group's under "literacy.num.<dim>.<value>"), so a node's rate is
 * Σ num / Σ den over its subtree: weighted by population, never an average of rates.
 *
 * No double counting: a row is refused (LIT_OVERLAP) when an ancestor or a descendant of its node
 * already has a row of the same year and group; the roll-up of a node is then simply the sum over
 * the rows in its subtree. Scope: the node's subtree (a district enters its own, the city all).
 * Strings of a returned record live in the given arena. */
#ifndef KEPU_LITERACY_H
#define KEPU_LITERACY_H
#include "auth/principal.h"
#include "core/arena.h"
#include "db/db.h"
#include "demo/demo.h"
#include <stdbool.h>
#include <stdint.h>

enum {
    LIT_NOT_FOUND = -2700,
    LIT_ORG_NOT_FOUND = -2701,
    LIT_DUPLICATE = -2702,       /* the node already has a row of that year and group */
    LIT_OVERLAP = -2703,         /* an ancestor or descendant has one: it would count twice */
    LIT_NO_POPULATION = -2704,   /* an 'all' row without weight_population on a node without population */
};

/* The dimensions of a group and their values (codes; the UI and the import show the labels). */
extern const char *const literacy_dims[];   /* all, age, gender, area, education, occupation; NULL */
typedef struct literacy_group {
    const char *dim, *value, *label;        /* label: "18-29岁", "男", "城镇" ... */
} literacy_group;
extern const literacy_group literacy_groups[];   /* ended by a row whose dim is NULL */
/* The group of dim and value, or NULL (value "" is the one group of dim all). */
const literacy_group *literacy_group_find(const char *dim, const char *value);
const char *literacy_dim_label(const char *dim);   /* "年龄" ...; dim itself when unknown */

typedef struct literacy_survey {
    int64_t id, org_id, year, sample_size, rate_bp, weight_population, created_by;
    const char *org_path, *org_name, *group_dim, *group_value, *source, *note, *created_at, *updated_at;
    const char *literate_rate;   /* "14.37": rate_bp as the API writes it (a JSON number) */
} literacy_survey;

extern struct entity literacy_survey_entity;

/* Creates in (org_id, year, group, literate_rate or rate_bp set) in p's scope, in its own
 * transaction (nested in a caller's, as the import does): LIT_* codes, DB codes. out may be NULL. */
int literacy_create(db *c, const principal *p, arena *a, const literacy_survey *in, literacy_survey *out);
/* What an entry of in would be refused for, without writing: DB_OK, LIT_ORG_NOT_FOUND,
 * LIT_DUPLICATE, LIT_OVERLAP, LIT_NO_POPULATION or a DB code (the import's dry run). On DB_OK,
 * *org_path is the node's path (in a). */
int literacy_entry_problem(db *c, const principal *p, arena *a, const literacy_survey *in, const char **org_path);
/* The rate of a row in ten-thousandths from its text ("14.37"); false unless 0..100.00. */
bool literacy_rate_bp(const char *text, int64_t *bp);

/* The module's statistics (ratio metric, key source, labels); routes; demo; assessment source. */
void literacy_init(void);
void literacy_register_routes(void);
void literacy_import_register_routes(void);
int demo_step_literacy(db *c, const demo_context *x);
extern const struct assessment_source literacy_rate_source;

#endif
