/* sources.h - where the district assessment (考核, issue 16) takes its figures: each module that
 * knows something a district is assessed on declares it as a source in its descriptor
 * (app_modules.h, .assessment_sources): statistics against targets, report completeness and
 * timeliness, tasks done on time, call results and designations, volunteer duty. An indicator of
 * a scheme names a source by key, with an optional parameter (a metric, a form, a title kind),
 * and a weight; the assessment scores every unit from the values the source measures.
 *
 * A source measures every assessed unit at once (one query for all, not one per unit) for a year.
 * It reads across units: the assessment's own scope rule decides who sees the scores (the city
 * all, a district its own), so a source is the system's read and says so in its name.
 *
 * Ownership: sources are static and kept by reference; the strings a measure writes (detail)
 * live in the arena given to it. */
#ifndef KEPU_ASSESSMENT_SOURCES_H
#define KEPU_ASSESSMENT_SOURCES_H
#include "core/arena.h"
#include "db/db.h"
#include <stdint.h>

/* A unit being assessed: a district (or any node the scheme assesses) and its subtree. */
typedef struct assess_unit {
    int64_t org_id;
    const char *path, *name;
} assess_unit;

/* What a source measured for one unit. */
typedef struct assess_measure {
    double value;            /* the raw figure: a ratio 0..1 or a count, as the source's unit says */
    const char *detail;      /* one line on how it came about or where points were lost (NULL: none),
                              * e.g. "12 份报表中 2 份逾期 / 2 of 12 reports late" */
} assess_measure;

enum assess_value_unit {
    ASSESS_RATIO = 1,        /* 0..1: the score is weight x value */
    ASSESS_COUNT,            /* a count: the score is weight x value / the best unit's value */
};

typedef struct assessment_source {
    const char *key;         /* stable: "tasks_on_time" */
    const char *label;       /* "任务按时完成率 / Tasks done on time" */
    enum assess_value_unit unit;
    const char *param_doc;   /* what the indicator's parameter means ("指标 metric key"); NULL: none */
    /* Measures units[0..n) for the calendar year: out[i] for units[i]. param is the indicator's
     * parameter (NULL when none). DB_OK or a code. check_param (NULL: any) says whether
     * a parameter is one the source knows, when a scheme is saved: NULL when good, else the 422
     * message ("中文 / English"). */
    int (*measure_unscoped)(db *c, arena *a, int year, const char *param, const assess_unit *units, int n,
                            assess_measure *out);
    const char *(*check_param)(db *c, arena *a, const char *param);
} assessment_source;

/* At start-up only (the module registry does it); a second call with the same key is ignored. */
void assessment_register_source(const assessment_source *s);
int assessment_source_count(void);
const assessment_source *assessment_source_at(int i);
const assessment_source *assessment_source_find(const char *key);

#endif
