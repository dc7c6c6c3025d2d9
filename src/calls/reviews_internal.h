/* reviews_internal.h - what the review files of src/calls/ (package B) share: the call's review
 * configuration read once, the writers behind the routes. Strings live in the given arena. */
#ifndef KEPU_REVIEWS_INTERNAL_H
#define KEPU_REVIEWS_INTERNAL_H
#include "calls/calls_internal.h"

#define REVIEW_MAX_CRITERIA 20
#define REVIEW_ROUND 1               /* one selection round in this slice */

/* A call's review JSON, read. max: points; weight >= 1; tie: the tie criterion's index or -1. */
typedef struct review_cfg {
    int n, per_entry, trim, outlier_points, tie;
    bool blind, trimmed;
    int64_t round_no;            /* REVIEW_ROUND (the selection), or a performance round (H) */
    bool performance;
    const char *keys[REVIEW_MAX_CRITERIA], *labels[REVIEW_MAX_CRITERIA];
    int64_t max[REVIEW_MAX_CRITERIA], weight[REVIEW_MAX_CRITERIA];
} review_cfg;
/* DB_OK, or REVIEW_NO_CRITERIA when the JSON has no valid criteria. round_no: REVIEW_ROUND. */
int review_cfg_read(const char *json, arena *a, review_cfg *out);
/* The configuration of round round_no of call: the selection's (REVIEW_ROUND), or a performance
 * round's (H, reports.c: the call's settings with review.performance_criteria or the default
 * 完成度 40 / 经费 30 / 效果 30). REVIEW_NOT_FOUND for no such round. */
int review_cfg_round(db *c, const call_rec *call, int64_t round_no, arena *a, review_cfg *out);
/* Closes performance round round_no of call (every sheet submitted) and grades the reports it
 * scored and their parents (H, reports.c). */
int reports_close_round(db *c, const principal *p, const call_rec *call, int64_t round_no);

extern const error_row review_errors[];

/* A sheet (call_reviews) as both review entities read it. */
typedef struct review {
    int64_t id, call_id, round_no, entry_id, user_id, total;
    const char *call_title, *entry_title, *blind_code, *reviewer_name, *org_name, *entry_path, *status, *comment;
    const char *submitted_at, *reopened_reason, *reopened_at, *assigned_at;
    bool outlier;
} review;


/* reviewers.c */
/* user_id, or expert_id (H: a member of the expert pool the caller sees; user_id ignored). */
int reviewers_add(db *c, const principal *p, arena *a, int64_t call_id, int64_t user_id, int64_t expert_id, void *out);
/* Auto (per_entry > 0; *assigned gets how many sheets were added) or one by hand (entry_id,
 * user_id; out gets the sheet as managed). */
int reviews_assign_auto(db *c, const principal *p, arena *a, int64_t call_id, int per_entry, int64_t *assigned);
int reviews_assign_one(db *c, const principal *p, arena *a, int64_t call_id, int64_t entry_id, int64_t user_id,
                       void *out);
/* Whether round round_no of the call is closed. */
int reviews_round_closed(db *c, int64_t call_id, int64_t round_no, bool *closed);

/* reviews.c: the sheet. scores: {key: {score, comment?}}; comment may be NULL. */
int reviews_save(db *c, const principal *p, arena *a, int64_t id, json_t *scores, const char *comment, bool submit,
                 void *out);
int reviews_reopen(db *c, const principal *p, arena *a, int64_t id, const char *reason, void *out);
int reviews_close_round(db *c, const principal *p, arena *a, int64_t call_id, int64_t round_no);
/* Recomputes one entry's aggregates and its sheets' outlier flags. */
int reviews_aggregate(db *c, const review_cfg *cfg, int64_t entry_id);

/* ranking.c */
void ranking_register_routes(void);

#endif
