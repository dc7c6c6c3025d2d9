/* ratios.c - ratio metrics (issue 17 C): a metric answered as numerator / denominator of two keyed
 * counters, each rolled up like any other (stats_add_keys), so a node's value is the weighted
 * roll-up of its subtree — Σ num / Σ den — and never an average of its children's ratios. The
 * literacy rate is one: num = literate residents, den = residents, scale 100 (a percent).
 * A registered name also answers "<name>.<suffix>" (suffix of [a-z0-9_.]) from the counters
 * "<num_key>.<suffix>" / "<den_key>.<suffix>": the groups of a survey (literacy_rate.gender.female).
 * Values travel as hundredths of the unit (1437 = 14.37%), STATS_RATIO_NONE when the denominator
 * is 0 (a node with no population has no rate: null, not 0). See stats.h. */
#include "stats/stats.h"
#include <stdio.h>
#include <string.h>

#define MAX_RATIOS 8
static struct {
    const char *name, *num, *den;
    int64_t scale;
} ratios[MAX_RATIOS];
static int nratios;

void stats_register_ratio_metric(const char *name, const char *num_key, const char *den_key, int64_t scale)
{
    for (int i = 0; i < nratios; i++)
        if (!strcmp(ratios[i].name, name)) return;
    if (nratios < MAX_RATIOS) {
        ratios[nratios].name = name, ratios[nratios].num = num_key, ratios[nratios].den = den_key;
        ratios[nratios++].scale = scale;
    }
}

const char *stats_ratio_metric_name(int i) { return i >= 0 && i < nratios ? ratios[i].name : NULL; }

/* A group suffix: 1..64 of [a-z0-9_.], not starting or ending with a dot. */
static bool suffix_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64 || s[0] == '.' || s[n - 1] == '.') return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '.')) return false;
    return true;
}

/* The registered ratio name is, or is the prefix of (with its suffix in *suffix, "" when none). */
static int find_ratio(const char *name, const char **suffix)
{
    for (int i = 0; i < nratios; i++) {
        size_t n = strlen(ratios[i].name);
        if (strncmp(name, ratios[i].name, n) != 0) continue;
        if (!name[n]) { *suffix = ""; return i; }
        if (name[n] == '.' && suffix_ok(name + n + 1)) { *suffix = name + n + 1; return i; }
    }
    return -1;
}

bool stats_ratio_metric(const char *name)
{
    const char *suffix;
    return find_ratio(name, &suffix) >= 0;
}

bool stats_ratio_keys(const char *name, char *num, char *den, size_t size, int64_t *scale)
{
    const char *suffix;
    int i = find_ratio(name, &suffix);
    if (i < 0) return false;
    const char *dot = *suffix ? "." : "";
    int a = snprintf(num, size, "%s%s%s", ratios[i].num, dot, suffix);
    int b = snprintf(den, size, "%s%s%s", ratios[i].den, dot, suffix);
    *scale = ratios[i].scale;
    return a > 0 && (size_t)a < size && b > 0 && (size_t)b < size;
}

int64_t stats_ratio_e2(int64_t num, int64_t den, int64_t scale)
{
    if (den <= 0) return STATS_RATIO_NONE;
    /* rounded half up (negative deltas never leave a negative total); num and den are counts of
     * people, far below 2^63 / (scale x 200) */
    return (num * scale * 100 * 2 + den) / (2 * den);
}

void stats_ratio_format(int64_t e2, char out[32])
{
    if (e2 == STATS_RATIO_NONE) { snprintf(out, 32, "null"); return; }
    const char *sign = e2 < 0 ? "-" : "";
    int64_t a = e2 < 0 ? -e2 : e2;
    snprintf(out, 32, "%s%lld.%02lld", sign, (long long)(a / 100), (long long)(a % 100));
}

void stats_ratio_write(jw *w, int64_t e2)
{
    char text[32];
    stats_ratio_format(e2, text);
    jw_raw(w, text);
}

int stats_query_ratio(db *c, int64_t org_id, const period *p, const char *name, int64_t *e2)
{
    char num[96], den[96];
    int64_t scale, v[2];
    if (!stats_ratio_keys(name, num, den, sizeof num, &scale)) return DB_ERR;
    const char *keys[2] = {num, den};
    int rc = stats_query_keys(c, org_id, p, keys, 2, v);
    if (rc == DB_OK) *e2 = stats_ratio_e2(v[0], v[1], scale);
    return rc;
}

bool stats_ratio_parse_text(const char *text, int64_t *e2)
{
    int64_t whole = 0, frac = 0;
    int digits = 0, decimals = 0;
    const char *s = text;
    for (; *s >= '0' && *s <= '9'; s++, digits++) {
        if (digits >= 15) return false;   /* far beyond any rate or goal: no overflow */
        whole = whole * 10 + (*s - '0');
    }
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++, decimals++) {
            if (decimals >= 2) return false;   /* hundredths at most: 14.375 is refused, not rounded */
            frac = frac * 10 + (*s - '0');
        }
        if (decimals == 0) return false;
    }
    if (*s || digits == 0) return false;
    *e2 = whole * 100 + (decimals == 1 ? frac * 10 : frac);
    return true;
}

bool stats_ratio_from_json(json_t *v, int64_t *e2)
{
    if (json_is_string(v)) return stats_ratio_parse_text(json_string_value(v), e2);
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        if (i < 0 || i > 1000000000000LL) return false;
        *e2 = (int64_t)i * 100;
        return true;
    }
    if (!json_is_real(v)) return false;
    double x = json_real_value(v) * 100;
    if (!(x >= 0 && x < 1e14)) return false;
    int64_t r = (int64_t)(x + 0.5);
    /* 14.37 is 1436.9999... in binary: near a hundredth is one; 14.375 is not */
    if (x - (double)r > 1e-6 || (double)r - x > 1e-6) return false;
    *e2 = r;
    return true;
}
