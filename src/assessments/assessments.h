/* assessments.h - the district assessment (目标管理考核, issue 16 E): a scheme of a year by an
 * assessing unit (the city, the scheme's org) over the units of a type below it (districts by
 * default), with weighted indicators: figures from the modules' sources (sources.h) or items scored
 * by hand with evidence. Scores are computed on read while the scheme is open (scoring.c) and
 * frozen into assessment_results by finalize; the report as Excel and PDF (report.c).
 *
 * Scope: a scheme is visible to its org's scope (which manages it) and, once open, to the units
 * below its org; the scores' rows are those of the units the caller's scope covers: the city sees
 * every unit, a district its own row (with its rank and the number of units, never the others').
 * Only the scheme's org (its scope covering the scheme's path, org_admin) edits, scores by hand,
 * opens and finalizes.
 *
 * Ownership: records and their strings live in the arena given. */
#ifndef KEPU_ASSESSMENTS_H
#define KEPU_ASSESSMENTS_H
#include "auth/principal.h"
#include "core/arena.h"
#include "core/jsonw.h"
#include "db/db.h"
#include "model/entity.h"

enum {
    ASM_NOT_FOUND = -2400,
    ASM_ORG_NOT_FOUND = -2401,
    ASM_STATE = -2402,          /* the status does not allow it (409) */
    ASM_NOT_OWNER = -2403,      /* only the scheme's org (403) */
    ASM_NOT_UNIT = -2404,       /* org_id is not one of the assessed units (422) */
    ASM_NO_INDICATOR = -2405,   /* indicator_id not a manual item of the scheme (422) */
    ASM_SCORE_NOT_FOUND = -2406,
};

#define ASM_MAX_INDICATORS 30

typedef struct asm_indicator {
    int64_t id, no, weight, max_points;
    const char *name, *source, *param, *description;
} asm_indicator;

typedef struct asm_scheme {
    int64_t id, org_id, year, created_by;
    const char *org_path, *org_name, *title, *unit_type, *status, *frozen_at, *created_at, *updated_at;
    const char *indicators;     /* not a column: the body's JSON array on a write */
} asm_scheme;

extern entity assessment_entity, assessment_score_entity;
extern const struct attachment_kind assessment_evidence;

/* The scheme's indicators in order (*out in a, *n of them). */
int asm_indicators(db *c, arena *a, int64_t scheme_id, asm_indicator **out, int *n);
/* Whether p manages the scheme: org_admin or above, its scope covering the scheme's org. */
bool asm_manages(const principal *p, const asm_scheme *s);

/* scoring.c: the scores as p may see them ({scheme, indicators, units, unit_count, frozen}). */
int asm_scores_write(db *c, const principal *p, arena *a, const asm_scheme *s, jw *w);
/* The scores of the units p sees, for the exports: rows in rank order. */
typedef struct asm_unit_row {
    int64_t org_id, total_e2, rank;
    const char *name;
    int64_t *value_e4, *score_e2;   /* per indicator */
    int64_t *score_id;              /* per indicator: a manual item's score row (0: none, or frozen) */
    const char **detail;
} asm_unit_row;
int asm_scores_rows(db *c, const principal *p, arena *a, const asm_scheme *s, asm_indicator **ind, int *ni,
                    asm_unit_row **rows, int *nr, int *unit_count);
/* Freezes the live scores into assessment_results and the scheme to final (one transaction,
 * audited). */
int asm_finalize(db *c, const principal *p, arena *a, const asm_scheme *s, asm_scheme *out);

void assessments_register_routes(void);
/* The demo city's open scheme of this year (assessments_demo.c; demo/demo.h's steps). */
struct demo_context;
int demo_step_assessments(db *c, const struct demo_context *x);
void assessments_init(void);
/* report.c */
struct request;
void asm_handle_xlsx(struct request *r);
void asm_handle_pdf(struct request *r);

#endif
