/* resources_bench.c - `kepu bench-fill --resources N` (bench/portal.sh): N approved resources
 * shared from the city root and open to the public, with titles and summaries drawn from a
 * vocabulary of science-popularization words (deterministic), written through the triggers that
 * keep both search indexes (so the figures measure what a real library would hold). Direct SQL
 * for speed: a benchmark's fill, no audit, no per-row scope. */
#include "resources/resources.h"
#include "core/sbuf.h"
#include "db/query.h"
#include <stdio.h>
#include <string.h>

static const char *const words[] = {
    "家庭", "急救", "安全", "用电", "防火", "防诈骗", "健康", "饮食", "睡眠", "心理", "垃圾分类", "节能", "低碳",
    "气候", "天文", "地震", "防汛", "食品", "药品", "老年人", "智能手机", "网络", "人工智能", "机器人", "航天",
    "海洋", "森林", "湿地", "鸟类", "昆虫", "中医", "养生", "高血压", "糖尿病", "疫苗", "科学", "实验", "物理",
    "化学", "生物", "数学", "农业", "种植", "养殖", "水稻", "果树", "茶叶"};
#define NWORDS (sizeof words / sizeof words[0])

static uint64_t next(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* n distinct words of the vocabulary, joined by sep. */
static void pick(sbuf *b, uint64_t *seed, int n, const char *sep)
{
    size_t used[8];
    for (int i = 0; i < n; i++) {
        size_t w;
        bool again;
        do {
            w = next(seed) % NWORDS;
            again = false;
            for (int k = 0; k < i; k++) again |= used[k] == w;
        } while (again);
        used[i] = w;
        if (i) sbuf_add(b, sep);
        sbuf_add(b, words[w]);
    }
}

static int one(db *c, uint64_t *seed, int64_t org_id, const char *org_path, const char *root_path)
{
    static const char *const kinds[] = {"video", "audio", "slides", "document", "ebook", "images"};
    static const char *const forms[] = {"课件", "讲座", "视频", "手册"};
    sbuf title, summary, text;
    sbuf_init(&title), sbuf_init(&summary), sbuf_init(&text);
    pick(&title, seed, 3, "");
    sbuf_add(&title, "科普"), sbuf_add(&title, forms[next(seed) % 4]);
    sbuf_add(&summary, "本资源介绍");
    pick(&summary, seed, 5, "、");
    sbuf_add(&summary, "等方面的知识，适合社区居民学习。");
    sbuf_add(&text, title.s), sbuf_add(&text, "\n"), sbuf_add(&text, summary.s);
    qb q;
    qb_init(&q, "INSERT INTO resources (org_id, org_path, title, summary, kind, status, shared_path, is_public, "
                "search_text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'approved', ?, 1, ?, "
                "'2026-12-01T09:00:00+08:00', '2026-12-01T09:00:00+08:00')");
    qb_int(&q, org_id), qb_text(&q, org_path), qb_text(&q, title.s), qb_text(&q, summary.s);
    qb_text(&q, kinds[next(seed) % 6]), qb_text(&q, root_path), qb_text(&q, text.s);
    int rc = qb_exec(c, &q, NULL);
    sbuf_free(&title), sbuf_free(&summary), sbuf_free(&text);
    return rc;
}

typedef struct point { int64_t id; char path[128]; } point;

struct fill { int64_t n; point *points; int npoints; const char *root; };

static int fill_cb(db *c, void *cls)
{
    struct fill *f = cls;
    uint64_t seed = 18;
    int rc = DB_OK;
    for (int64_t i = 0; i < f->n && rc == DB_OK; i++) {
        const point *p = &f->points[next(&seed) % (uint64_t)f->npoints];
        rc = one(c, &seed, p->id, p->path, f->root);
    }
    return rc;
}

int resources_bench_fill(db *c, int64_t n)
{
    static point points[256];
    char root[128] = "";
    qb q;
    qb_init(&q, "SELECT id, path, type FROM orgs WHERE type = 'point' OR parent_id IS NULL ORDER BY id");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int np = 0;
    while (db_step(s) == DB_ROW) {
        if (!strcmp(db_col_text(s, 2), "point") && np < 256) {
            points[np].id = db_col_int(s, 0);
            snprintf(points[np++].path, sizeof points[0].path, "%s", db_col_text(s, 1));
        } else if (strcmp(db_col_text(s, 2), "point") != 0) {
            snprintf(root, sizeof root, "%s", db_col_text(s, 1));
        }
    }
    db_finish(s);
    if (!np || !*root) return DB_ERR;
    struct fill f = {n, points, np, root};
    return db_transaction(c, fill_cb, &f);
}
