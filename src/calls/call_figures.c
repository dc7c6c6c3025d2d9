/* call_figures.c - figures a form pulls from the statistics (calls.h): a registry of named
 * figures of a node or a person, every statistics metric being a node figure of its own; and the
 * snapshot an entry takes on submit. The registry is filled at start, before threads. */
#include "calls/calls.h"
#include "core/period.h"
#include "stats/stats.h"
#include <stdio.h>
#include <string.h>

#define MAX_FIGURES 16

typedef struct figure {
    const char *name, *label;
    call_figure_subject subject;
    call_figure_fn fn;
} figure;
static figure figures[MAX_FIGURES];
static int nfigures;

void calls_register_figure(const char *name, const char *label, call_figure_subject subject, call_figure_fn fn)
{
    for (int i = 0; i < nfigures; i++) if (!strcmp(figures[i].name, name)) return;   /* a second init */
    if (nfigures == MAX_FIGURES) return;
    figures[nfigures++] = (figure){name, label, subject, fn};
}

static int find(const char *name)
{
    for (int i = 0; name && i < nfigures; i++) if (!strcmp(figures[i].name, name)) return i;
    return -1;
}

call_figure_subject calls_figure_subject(const char *name)
{
    int i = find(name);
    if (i >= 0) return figures[i].subject;
    return name && stats_metric_valid(name) ? CALL_FIGURE_NODE : 0;
}

/* The subject of a figure field: the node or person in the field named by "of", else the entrant. */
static int64_t subject_of(json_t *d, json_t *values, int64_t org_id)
{
    const char *of = json_string_value(json_object_get(d, "of"));
    if (!of) return org_id;
    json_t *v = json_object_get(values, of);
    if (json_is_object(v)) v = json_object_get(v, "id");   /* a person of the pool */
    return json_is_integer(v) ? json_integer_value(v) : 0;
}

json_t *calls_compute_figures(db *c, json_t *form, json_t *values, int64_t org_id, int64_t year, const char *today)
{
    json_t *out = json_object();
    size_t i;
    json_t *d;
    json_array_foreach(form, i, d) {
        if (strcmp(json_string_value(json_object_get(d, "type")), "figure") != 0) continue;
        const char *metric = json_string_value(json_object_get(d, "metric"));
        const char *per = json_string_value(json_object_get(d, "period"));
        int64_t y = per && !strcmp(per, "last_year") ? year - 1 : year, subject = subject_of(d, values, org_id), n = 0;
        period p;
        snprintf(p.from, sizeof p.from, "%04lld-01-01", (long long)y);
        snprintf(p.to, sizeof p.to, "%04lld-12-31", (long long)y);
        int k = find(metric), rc = DB_OK;
        /* no subject (an empty node field): the figure is 0 until one is chosen */
        if (subject > 0) rc = k >= 0 ? figures[k].fn(c, subject, p.from, p.to, &n) : stats_query_metric(c, subject, &p, metric, &n);
        if (rc != DB_OK) { json_decref(out); return NULL; }
        json_object_set_new(out, json_string_value(json_object_get(d, "key")), json_integer(n));
    }
    json_object_set_new(out, "as_of", json_stringn(today, 10));
    return out;
}
