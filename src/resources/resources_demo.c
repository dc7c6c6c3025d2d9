/* resources_demo.c - the demo city's resource library (issue 18 A): six resources of the city,
 * each a PDF drawn here (a title and a few paragraphs, so the library's search finds a phrase in
 * its text), submitted and approved by the city (the top node approves its own), so they are
 * shared with every node; most are open to the public (the portal lists them). Each gets some
 * views at districts over the last weeks. Through the module's own writers (create, the version's
 * checks and text, submit, review, views), so the rows, indexes and audit are those of users. */
#include "resources/resources.h"
#include "demo/demo.h"
#include "docs/pdf_draw.h"
#include "db/query.h"
#include "files/files.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct demo_resource {
    const char *title, *kind, *topics, *audience, *authors, *summary;
    bool is_public;
    const char *paragraphs[3];
} demo_resource;

static const demo_resource library[] = {
    {"家庭安全用电常识", "document", "[\"housing\",\"emergency\"]", "社区居民", "市科协科普部",
     "家中用电的常见隐患与防范：插座、电热器具、电动自行车充电。", true,
     {"电动自行车应在室外指定区域充电，不要在楼道、家中过夜充电。",
      "大功率电器不要共用一个插线板；插线板发热、有焦糊味时应立即断电。",
      "家中应安装漏电保护器，并每月按一次试验按钮，确认其动作可靠。"}},
    {"老年人防诈骗指南", "ebook", "[\"anti_fraud\",\"ageing\"]", "老年人", "市科协 市公安局反诈中心",
     "冒充公检法、保健品推销、养老投资：老年人最常遇到的骗局和应对办法。", true,
     {"公检法机关不会通过电话办案，更不会要求把钱转到所谓的安全账户。",
      "以免费体检、赠送礼品为名推销保健品的讲座，多为诱导高价购买的套路。",
      "遇到可疑电话，先挂断，再与子女商量或拨打 96110 反诈专线咨询。"}},
    {"夏季防溺水安全知识", "slides", "[\"emergency\",\"growth\"]", "中小学生及家长", "市科协 市教委",
     "防溺水“六不”与发现有人落水时的正确做法。", true,
     {"不私自下水游泳，不擅自与他人结伴游泳，不在无家长带领的情况下游泳。",
      "发现有人落水，应大声呼救并拨打 110、120，不要盲目下水施救。",
      "可向落水者抛递救生圈、木板、绳索等漂浮物，实施岸上救援。"}},
    {"垃圾分类小课堂", "slides", "[\"environment\",\"daily_use\"]", "社区居民", "市科协科普部",
     "可回收物、有害垃圾、厨余垃圾、其他垃圾：四分类的投放要点。", true,
     {"废电池、过期药品、废灯管属于有害垃圾，应投放到红色收集容器。",
      "厨余垃圾应沥干水分后投放，塑料袋等包装物不要混入。",
      "纸类、塑料瓶、金属、玻璃等可回收物应保持清洁干燥，压扁后投放。"}},
    {"应急救护基本知识", "document", "[\"emergency\",\"health\"]", "社区居民", "市科协 市红十字会",
     "心肺复苏、海姆立克急救法与止血包扎的要领。", true,
     {"发现有人倒地，先确认环境安全，再拍打双肩、大声呼唤，判断其有无意识。",
      "心肺复苏按压部位在两乳头连线中点，按压深度 5 至 6 厘米，频率每分钟 100 至 120 次。",
      "海姆立克急救法：站在患者背后，一手握拳顶住其上腹部，另一手包住拳头快速向内上方冲击。"}},
    {"科学健身与慢病预防", "ebook", "[\"health\",\"illness\"]", "中老年人", "市科协 市体育局",
     "高血压、糖尿病人群的运动建议与日常饮食注意事项。", false,
     {"成年人每周应进行至少 150 分钟中等强度的有氧运动，如快走、太极拳。",
      "高血压患者运动前后应监测血压，避免憋气和突然用力的动作。",
      "控制食盐摄入，每人每天不超过 5 克；少吃油炸食品，多吃蔬菜水果。"}},
};
#define NLIBRARY (sizeof library / sizeof library[0])

/* pdf_a4_render's page: the title, then each paragraph. */
static int draw_page(cairo_t *cr, const void *cls)
{
    const demo_resource *r = cls;
    double x = 64, w = PDF_A4_W - 128, y = 90;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    y += pdf_text(cr, r->title, PDF_FONT " Bold", 26, PANGO_ALIGN_CENTER, x, y, w, 1.2, 0) + 30;
    y += pdf_text(cr, r->summary, PDF_FONT, 14, PANGO_ALIGN_LEFT, x, y, w, 1.5, 2) + 18;
    for (int i = 0; i < 3 && r->paragraphs[i]; i++)
        y += pdf_text(cr, r->paragraphs[i], PDF_FONT, 14, PANGO_ALIGN_LEFT, x, y, w, 1.5, 2) + 12;
    return 0;
}

/* The resource's PDF in a spool file (the store takes it): its path in a, or NULL. */
static const char *spool_pdf(arena *a, const demo_resource *r)
{
    char *bytes = NULL;
    size_t len = 0;
    if (pdf_a4_render(r->title, draw_page, r, &bytes, &len) != 0) return NULL;
    char *path = arena_printf(a, "%s/demo-resource-XXXXXX", files_spool_dir());
    int fd = path ? mkstemp(path) : -1;
    bool ok = fd >= 0 && write(fd, bytes, len) == (ssize_t)len;
    if (fd >= 0) close(fd);
    free(bytes);
    if (!ok && fd >= 0) unlink(path);
    return ok ? path : NULL;
}

struct views { int64_t id; const char *path; const char *day; int64_t n; };

static int views_cb(db *c, void *cls)
{
    const struct views *v = cls;
    return resources_count_views_unscoped(c, v->id, v->path, v->day, v->n);
}

/* Views at the first districts on a day of this month (the statistics' resource_views). */
static int add_views(db *c, arena *a, int64_t id, const demo_context *x)
{
    qb q;
    qb_init(&q, "SELECT path FROM orgs WHERE type = 'district' ORDER BY id LIMIT 4");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    const char *paths[4];
    int n = 0;
    while (n < 4 && db_step(s) == DB_ROW) paths[n++] = arena_strdup(a, db_col_text(s, 0));
    db_finish(s);
    int today = atoi(x->today + 8);
    for (int i = 0; i < n; i++) {
        struct views v = {id, paths[i], arena_printf(a, "%.8s%02d", x->today, demo_range(1, today)), demo_range(3, 40)};
        int rc = db_transaction(c, views_cb, &v);
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

static int one(db *c, arena *a, const principal *p, const demo_resource *d, const demo_context *x)
{
    resource in = {.org_id = x->city_id, .title = d->title, .summary = d->summary, .kind = d->kind, .topics = d->topics,
                   .audience = d->audience, .authors = d->authors, .licence = "CC BY-NC 4.0", .is_public = d->is_public};
    resource out;
    int rc = resources_create(c, p, a, &in, &out);
    const char *pdf = rc == DB_OK ? spool_pdf(a, d) : NULL;
    if (rc == DB_OK && !pdf) rc = DB_ERR;
    if (rc == DB_OK) rc = resources_add_file(c, p, a, out.id, pdf, arena_printf(a, "%s.pdf", d->title), NULL);
    if (rc != DB_OK && pdf) unlink(pdf);
    if (rc == DB_OK) rc = resources_submit(c, p, a, out.id, &out);
    if (rc == DB_OK) rc = resources_review(c, p, a, out.id, "approve", "内容准确，同意全市共享。", &out);
    if (rc == DB_OK) rc = add_views(c, a, out.id, x);
    return rc;
}

int demo_step_resources(db *c, const demo_context *x)
{
    arena a;
    arena_init(&a);
    principal p = demo_principal_unscoped();
    p.org_id = x->city_id;
    /* approved at the city: shared from its path (the demo principal's own is the whole tree's) */
    qb q;
    qb_init(&q, "SELECT path FROM orgs WHERE id = ?");
    qb_int(&q, x->city_id);
    db_stmt *s = qb_prepare(&q, c);
    if (s && db_step(s) == DB_ROW) p.org_path = arena_strdup(&a, db_col_text(s, 0));
    db_finish(s);
    int rc = DB_OK;
    for (size_t i = 0; i < NLIBRARY && rc == DB_OK; i++) rc = one(c, &a, &p, &library[i], x);
    arena_free(&a);
    if (rc != DB_OK) fprintf(stderr, "kepu demo: resources failed (%d)\n", rc);
    return rc == DB_OK ? 0 : 1;
}
