/* resources.c - the resource record (see resources.h): its field table and scope rule (the
 * uploader's side by path, everyone under shared_path once approved), create, update and delete,
 * and the search text kept on the row. */
#include "resources/resources.h"
#include "core/errors.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

const char *const resource_kinds[] = {"video", "audio", "slides", "document", "ebook", "images", NULL};
const char *const resource_statuses[] = {"draft", "pending", "approved", "rejected", "withdrawn", NULL};

#define R(member) offsetof(resource, member)
static const field resource_fields[] = {
    {"id", "r.id", FT_ID, R(id), .flags = 0},
    {"org_id", "r.org_id", FT_ID, R(org_id), .flags = FF_CREATE, .doc = "the uploader's node (default: the caller's)"},
    {"org_path", "r.org_path", FT_TEXT, R(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, R(org_name), .flags = 0},
    {"title", "r.title", FT_TEXT, R(title), .flags = FF_WRITE | FF_REQUIRED, .max = 100,
     .example = "\"家庭安全用电科普课件\""},
    {"summary", "r.summary", FT_MULTILINE, R(summary), .flags = FF_WRITE, .max = 2000},
    {"kind", "r.kind", FT_ENUM, R(kind), .flags = FF_WRITE | FF_REQUIRED | FF_FILTER, .choices = resource_kinds,
     .doc = "video 视频, audio 音频, slides 课件, document 文档, ebook 电子书, images 图集"},
    {"topics", "r.topics", FT_TEXT_LIST, R(topics), .flags = FF_WRITE, .max = 16, .item_chars = 32,
     .example = "[\"health\"]", .doc = "codes of the teaching categories (GET /teaching/categories)"},
    {"audience", "r.audience", FT_TEXT, R(audience), .flags = FF_WRITE, .max = 100},
    {"authors", "r.authors", FT_TEXT, R(authors), .flags = FF_WRITE, .max = 200},
    {"licence", "r.licence", FT_TEXT, R(licence), .flags = FF_WRITE, .max = 100, .example = "\"CC BY-NC 4.0\""},
    {"status", "r.status", FT_ENUM, R(status), .flags = FF_FILTER, .choices = resource_statuses},
    {"shared_path", "r.shared_path", FT_TEXT, R(shared_path), .flags = 0,
     .doc = "the approving node's path: every node under it reads the resource"},
    {"review_comments", "r.review_comments", FT_MULTILINE, R(review_comments), .flags = 0},
    {"reviewed_by", "r.reviewed_by", FT_INT_NULL, R(reviewed_by), .flags = 0},
    {"reviewed_at", "r.reviewed_at", FT_TIME, R(reviewed_at), .flags = 0},
    {"views", "r.views", FT_INT, R(views), .flags = 0},
    {"rating_count", "r.rating_count", FT_INT, R(rating_count), .flags = 0},
    {"rating_sum", "r.rating_sum", FT_INT, R(rating_sum), .flags = FF_HIDDEN},
    {"rating", NULL, FT_JSON, R(rating), .flags = FF_NO_SELECT, .doc = "average stars, one decimal (null: none yet)"},
    {"is_public", "r.is_public", FT_BOOL, R(is_public), .flags = FF_WRITE | FF_FILTER,
     .doc = "open to the public: the portal lists it once approved"},
    {"premium", "r.premium", FT_BOOL, R(premium), .flags = FF_FILTER,
     .doc = "holds the title 精品课程 (premium_course), given by a call of the premium_resource template or by hand "
             "(kept by the title's grant and revoke)"},
    {"current_version", "(SELECT MAX(v.version_no) FROM resource_versions v WHERE v.resource_id = r.id)", FT_INT_NULL,
     R(current_version), .flags = 0, .doc = "the newest version's number (null: no file yet)"},
    {"uses", "(SELECT COUNT(*) FROM resource_uses u WHERE u.resource_id = r.id)", FT_INT, R(uses), .flags = 0,
     .doc = "courses linking it (all, whatever the caller sees)"},
    {"writable", NULL, FT_BOOL, R(writable), .flags = FF_NO_SELECT,
     .doc = "a read by id: the caller is on the uploader's side (false in lists)"},
    {"created_by", "r.created_by", FT_INT_NULL, R(created_by), .flags = 0},
    {"created_at", "r.created_at", FT_TIME, R(created_at), .flags = 0},
    {"updated_at", "r.updated_at", FT_TIME, R(updated_at), .flags = 0},
    {0},
};
#undef R

const error_row resource_errors[] = {
    {RES_NOT_FOUND, 404, "not_found", NULL, "资源不存在 / resource not found"},
    {RES_ORG_NOT_FOUND, 404, "not_found", "org_id", "单位不存在或不在权限范围内 / unit not found or outside your scope"},
    {RES_STATE, 409, "resource_state", "status", "资源当前状态不允许此操作 / the resource's status does not allow this"},
    {RES_NOT_REVIEWER, 403, "forbidden", NULL,
     "只有上传单位的上级单位可以审核 / only a node above the uploader's may review"},
    {RES_READ_ONLY, 403, "forbidden", NULL, "共享资源只读，由上传单位维护 / a shared resource is read-only; its uploader maintains it"},
    {RES_IN_USE, 409, "resource_in_use", NULL, "资源已被课程使用或正在审核、已共享，不能删除，请撤回 / the resource is used, pending or shared: withdraw it instead"},
    {RES_BAD_TOPIC, 422, "invalid_field", "topics", "主题应为课程类别的代码 / topics must be teaching category codes"},
    {RES_BAD_FILE, 422, "invalid_field", "file", "PDF 文件无法读取（损坏或加密） / the PDF cannot be read (damaged or encrypted)"},
    {RES_VERSION_NOT_FOUND, 404, "not_found", NULL, "版本不存在 / version not found"},
    {RES_NO_VERSION, 409, "no_file", "file", "请先上传文件再提交审核 / upload a file before submitting"},
    {RES_BAD_DECISION, 422, "invalid_field", "decision", "审核结论应为 approve 或 reject / decision must be approve or reject"},
    {RES_COURSE_NOT_FOUND, 404, "not_found", "course_id", "课程不存在 / course not found"},
    {RES_BAD_STARS, 422, "invalid_field", "stars", "评分应为 1 到 5 星 / stars must be 1 to 5"},
    {RES_USE_NOT_FOUND, 404, "not_found", NULL, "课程未使用该资源 / the course does not use this resource"},
    {RES_KIND_MISMATCH, 415, "unsupported_type", "file",
     "文件与资源类型不符：视频资源上传 MP4/WebM 等视频，音频资源上传 MP3/M4A/WAV 等音频，其他类型上传 PDF、Office 文档或图片 / "
     "the file does not fit the resource's kind: a video resource takes a video, an audio one an audio file, others PDF, Office or images"},
    {RES_NO_POSTER, 404, "not_found", NULL, "该版本没有封面图 / this version has no poster"},
    {0},
};

/* The uploader's side by path; once approved, also every caller whose node is under shared_path
 * (its own paths start with it). A withdrawn resource is shared no more (its shared_path is
 * cleared). */
static void resource_scope(const scope *sc, qb *q)
{
    if (sc->level == SCOPE_ALL) return;
    qb_sql(q, " AND ((1 = 1");
    scope_filter(sc, q, "r.org_path");
    qb_sql(q, ") OR (r.status = 'approved' AND r.shared_path IS NOT NULL AND (1 = 0");
    for (int i = 0; i < sc->n; i++) {
        qb_sql(q, " OR substr(CAST(? AS TEXT), 1, length(r.shared_path)) = r.shared_path");
        qb_text(q, sc->paths[i]);
    }
    qb_sql(q, ")))");
}

/* The average as JSON text with one decimal (FT_JSON); null without ratings. */
static void resource_on_read(void *rec, arena *a)
{
    resource *r = rec;
    r->rating = r->rating_count > 0
                    ? arena_printf(a, "%.1f", (double)r->rating_sum / (double)r->rating_count)
                    : NULL;
}

static int resource_complete(db *c, const scope *sc, arena *a, void *rec)
{
    (void)c, (void)a;
    resource *r = rec;
    if (sc) r->writable = scope_covers(sc, r->org_path);
    return DB_OK;
}

int resources_get(db *c, const principal *p, arena *a, int64_t id, resource *out)
{
    return entity_get(c, &resource_entity, &p->scope, a, id, out);
}

int resources_get_writable(db *c, const principal *p, arena *a, int64_t id, resource *out)
{
    int rc = entity_get(c, &resource_entity, &p->scope, a, id, out);
    if (rc == DB_OK && !scope_covers(&p->scope, out->org_path)) return RES_READ_ONLY;
    return rc;
}

/* Every topic a code of teaching_categories. */
static int topics_ok(db *c, const char *topics)
{
    json_t *j = topics ? json_loads(topics, 0, NULL) : NULL;
    size_t i;
    json_t *it;
    int rc = DB_OK;
    json_array_foreach(j, i, it) {
        qb q;
        int64_t one = 0;
        qb_init(&q, "SELECT 1 FROM teaching_categories WHERE code = ?");
        qb_text(&q, json_string_value(it) ? json_string_value(it) : "");
        int st = qb_exec(c, &q, &one);
        if (st == DB_DONE) { rc = RES_BAD_TOPIC; break; }
        if (st != DB_OK) { rc = st; break; }
    }
    json_decref(j);
    return rc;
}

/* From the row's title and summary and its newest version's text, in one statement. */
int resources_set_search_text(db *c, int64_t id)
{
    qb q;
    qb_init(&q, "UPDATE resources SET search_text = COALESCE(title, '') || ' ' || COALESCE(summary, '') || ' ' || "
                "COALESCE((SELECT v.text FROM resource_versions v WHERE v.resource_id = resources.id "
                "ORDER BY v.version_no DESC LIMIT 1), '') WHERE id = ?");
    qb_int(&q, id);
    return qb_exec(c, &q, NULL);
}

struct write_args {
    const principal *p;
    arena *a;
    int64_t id;
    const resource *in;
    resource *out;
};

static int create_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    org o;
    resource in = *w->in;
    int rc = orgs_get(c, w->p, w->a, in.org_id ? in.org_id : w->p->org_id, &o);
    if (rc == ORGS_NOT_FOUND) return RES_ORG_NOT_FOUND;
    if (rc != DB_OK) return rc;
    in.org_id = o.id;
    if (!in.topics) in.topics = "[]";
    if ((rc = topics_ok(c, in.topics)) != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    int64_t by = w->p->user_id, id = 0;
    entity_value more[] = {{"org_path", .text = o.path}, {"status", .text = "draft"},
                           {"created_by", .i = by, .is_int = by != 0}, {"created_at", .text = now},
                           {"updated_at", .text = now}, {0}};
    rc = entity_store(c, &resource_entity, "resources", 0, &in, more, w->a, &id);
    if (rc == DB_OK) rc = resources_set_search_text(c, id);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &resource_entity, w->a, id, w->out);   /* just written */
    if (rc != DB_OK) return rc;
    return entity_audit(c, &resource_entity, actor_of(w->p), o.path, id, "create", NULL, w->out);
}

int resources_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    return db_transaction(c, create_cb, &(struct write_args){p, a, 0, in, out});
}

/* A change of the description: while the uploader's side holds it (draft or rejected), and of an
 * approved one (its sharing stays: the reviewers approved the resource, not one wording). */
static int update_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    resource before;
    int rc = resources_get_writable(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (!strcmp(before.status, "pending") || !strcmp(before.status, "withdrawn")) return RES_STATE;
    if ((rc = topics_ok(c, w->in->topics)) != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    entity_value more[] = {{"updated_at", .text = now}, {0}};
    rc = entity_store(c, &resource_entity, "resources", w->id, w->in, more, w->a, NULL);
    if (rc == DB_OK) rc = resources_set_search_text(c, w->id);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &resource_entity, w->a, w->id, w->out);   /* just written */
    if (rc != DB_OK) return rc;
    return entity_audit(c, &resource_entity, actor_of(w->p), before.org_path, w->id, "update", &before, w->out);
}

static int resources_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    return db_transaction(c, update_cb, &(struct write_args){p, a, id, in, out});
}

/* The views of a deleted resource leave the statistics with it: each (node, day) row's count
 * taken back from resource_views, then the rows go (read first: no statement open while
 * writing). */
static int remove_views(db *c, arena *a, int64_t id)
{
    typedef struct { const char *path, *day; int64_t n; } view_row;
    view_row *rows = NULL;
    int n = 0, cap = 0, rc;
    db_stmt *s = db_prepare(c, "SELECT org_path, day, n FROM resource_view_days WHERE resource_id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    while ((rc = db_step(s)) == DB_ROW) {
        if (n == cap) {
            view_row *more = arena_alloc(a, sizeof *more * (size_t)(cap = cap ? cap * 2 : 16));
            if (!more) { db_finish(s); return DB_ERR; }
            if (n) memcpy(more, rows, sizeof *rows * (size_t)n);
            rows = more;
        }
        rows[n++] = (view_row){arena_strdup(a, db_col_text(s, 0)), arena_strdup(a, db_col_text(s, 1)), db_col_int(s, 2)};
    }
    db_finish(s);
    if (rc != DB_DONE) return rc;
    for (int i = 0; i < n; i++) {
        stats_key k = {"resource_views", rows[i].n};
        if ((rc = stats_add_keys(c, rows[i].path, rows[i].day, &k, 1, -1)) != DB_OK) return rc;
    }
    qb q;
    qb_init(&q, "DELETE FROM resource_view_days WHERE resource_id = ?");
    qb_int(&q, id);
    return qb_exec(c, &q, NULL);
}

/* Only a draft or rejected resource no course ever used; its versions, ratings and views go with
 * it (the bytes stay in the store and the audit keeps the record). */
static int remove_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    resource before;
    int rc = resources_get_writable(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if ((strcmp(before.status, "draft") && strcmp(before.status, "rejected")) || before.uses > 0) return RES_IN_USE;
    if ((rc = remove_views(c, w->a, w->id)) != DB_OK) return rc;
    static const char *const sqls[] = {"DELETE FROM resource_versions WHERE resource_id = ?",
                                       "DELETE FROM resource_ratings WHERE resource_id = ?",
                                       "DELETE FROM resources WHERE id = ?"};
    for (size_t i = 0; i < sizeof sqls / sizeof *sqls; i++) {
        qb q;
        qb_init(&q, sqls[i]);
        qb_int(&q, w->id);
        if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    }
    return entity_audit(c, &resource_entity, actor_of(w->p), before.org_path, w->id, "delete", &before, NULL);
}

static int resources_remove(db *c, const principal *p, arena *a, int64_t id)
{
    return db_transaction(c, remove_cb, &(struct write_args){p, a, id, NULL, NULL});
}

entity resource_entity = {
    .name = "resource", .doc = "A resource of the library (资源库): shared down the tree once the level above approves it",
    .from = " FROM resources r JOIN orgs o ON o.id = r.org_id", .id_column = "r.id", .path_column = "r.org_path",
    /* a search's total counts thousands of matches: through the narrow index resources_count
     * (migration 047), no row read */
    .count_from = " FROM resources r", .count_index = "resources_count",
    .scope_rule = resource_scope, .order = " ORDER BY r.id DESC", .size = sizeof(resource), .fields = resource_fields,
    .not_found = RES_NOT_FOUND, .org_not_found = RES_ORG_NOT_FOUND, .errors = resource_errors,
    .complete = resource_complete, .on_read = resource_on_read, .create = resources_create,
    .update = resources_update, .remove = resources_remove,
};
