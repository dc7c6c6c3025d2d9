/* literacy_score.c - the national method of scoring a citizen's science literacy, as the
 * self-assessment uses it (see contests.h and docs/domain.md). Pure: no I/O, no state. */
#include "contests/contests.h"
#include <string.h>

/* 中国公民科学素质调查: 科学知识 40, 科学方法 20, 科学精神与思想 20 + 应用科学的能力 20 (our
 * "science and society" dimension carries both). */
static const int weights[3] = {40, 20, 40};

int literacy_dimension(const char *category)
{
    static const char *const dims[3] = {"lit_knowledge", "lit_method", "lit_society"};
    for (int i = 0; category && i < 3; i++)
        if (!strcmp(category, dims[i])) return i;
    return -1;
}

/* a / b as a whole percentage, rounded half up; 0 when b is 0. */
static int percent(int64_t a, int64_t b)
{
    return b > 0 ? (int)((a * 200 + b) / (2 * b)) : 0;
}

literacy_result literacy_national(const literacy_input *in)
{
    literacy_result r = {0};
    int64_t weight_sum = 0, num = 0;   /* the total in weight x share, over the dimensions present */
    for (int i = 0; i < 3; i++) {
        int64_t got = in->got[i] < 0 ? 0 : in->got[i], max = in->max[i] < 0 ? 0 : in->max[i];
        if (got > max) got = max;
        r.dimensions[i] = percent(got, max);
        if (max == 0) continue;
        weight_sum += weights[i];
        num += weights[i] * got * 10000 / max;   /* in ten-thousandths of the weight */
    }
    /* num / weight_sum is the weighted share in ten-thousandths: scaled to 100 points */
    r.total_score = weight_sum ? (int)((num * 100 / weight_sum + 5000) / 10000) : 0;
    r.level = r.total_score >= 85 ? "advanced" : r.total_score >= 70 ? "literate" : r.total_score >= 55 ? "basic" : "low";
    r.literate = r.total_score >= 70;
    return r;
}
