/* labels.c - the Chinese names exports give metrics (see stats.h "Metric labels"). stats knows
 * its own eight; modules register theirs (keyed counters by name, kind and audience keys through
 * the activity dictionaries' labeler), so stats still includes no module. */
#include "stats/stats.h"
#include <string.h>

#define MAX_LABELS 32

static struct {
    const char *name, *label;
} labels[MAX_LABELS];
static int nlabels;
static stats_key_labeler key_labeler;

/* the dashboard's names with their units (web/src/i18n/modules/dashboard.js) */
static const char *const own_labels[STATS_NMETRICS] = {"活动场次", "参与人次", "发放资料（份）", "视频作品（个）",
                                                       "浏览量", "志愿者人次", "志愿服务时长（小时）", "科普经费（元）"};

void stats_register_metric_label(const char *name, const char *label)
{
    for (int i = 0; i < nlabels; i++)
        if (!strcmp(labels[i].name, name)) { labels[i].label = label; return; }
    if (nlabels < MAX_LABELS) labels[nlabels].name = name, labels[nlabels++].label = label;
}

void stats_set_key_labeler(stats_key_labeler fn) { key_labeler = fn; }

const char *stats_metric_label(db *c, arena *a, const char *name)
{
    int m = stats_metric_index(name);
    if (m >= 0) return own_labels[m];
    for (int i = 0; i < nlabels; i++)
        if (!strcmp(labels[i].name, name)) return labels[i].label;
    const char *label = key_labeler ? key_labeler(c, a, name) : NULL;
    return label ? label : name;
}
