/* resource_versions.c - the files of a resource as versions (see resources.h): POST
 * /resources/:id/versions takes the raw bytes (X-File-Name) like every upload of the project,
 * typed by sniffing; a PDF's text is read for search before the transaction (a PDF that cannot
 * be read is refused); GET lists the versions, newest first (the first is the current one);
 * GET /resources/:id/versions/:vid/file downloads one. Versions are read by whoever reads the
 * resource (shared ones too) and added by its uploader's side only. */
#include "resources/resources.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "files/attachments.h"
#include "files/files.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <stdlib.h>
#include <string.h>

/* A PDF's text kept for search: the first pages and bytes are what a phrase is looked for in. */
enum { PDF_MAX_PAGES = 300 };
#define PDF_MAX_BYTES ((size_t)512 * 1024)

#define V(member) offsetof(resource_version, member)
static const field version_fields[] = {
    {"id", "v.id", FT_ID, V(id), .flags = 0},
    {"resource_id", "v.resource_id", FT_ID, V(resource_id), .flags = 0},
    {"version_no", "v.version_no", FT_INT, V(version_no), .flags = 0, .doc = "1, 2, ...: the highest is the current one"},
    {"org_path", "v.org_path", FT_TEXT, V(org_path), .flags = FF_HIDDEN},
    {"name", "v.name", FT_TEXT, V(name), .flags = 0, .example = "\"安全用电.pdf\""},
    {"mime", "v.mime", FT_TEXT, V(mime), .flags = 0, .doc = "sniffed from the bytes, never the client's"},
    {"size", "v.size", FT_INT, V(size), .flags = 0},
    {"sha256", "v.sha256", FT_TEXT, V(sha256), .flags = 0},
    {"text_chars", "length(v.text)", FT_INT, V(text_chars), .flags = 0, .doc = "characters of text read for search"},
    {"created_by", "v.created_by", FT_INT_NULL, V(created_by), .flags = 0},
    {"created_at", "v.created_at", FT_TIME, V(created_at), .flags = 0},
    {0},
};
#undef V

entity resource_version_entity = {
    .name = "resource_version", .doc = "A version of a resource's file (the newest is the current one)",
    .from = " FROM resource_versions v", .id_column = "v.id", .path_column = "v.org_path",
    .order = " ORDER BY v.version_no DESC", .size = sizeof(resource_version), .fields = version_fields,
    .not_found = RES_VERSION_NOT_FOUND, .errors = resource_errors,
};

struct add_args {
    const principal *p;
    arena *a;
    int64_t id;
    resource_version *v;   /* in: name, mime, size, sha256; out: the stored row */
    const char *text;
};

static int add_cb(db *c, void *cls)
{
    struct add_args *w = cls;
    resource r;
    int rc = resources_get_writable(c, w->p, w->a, w->id, &r);   /* again, in the transaction */
    if (rc != DB_OK) return rc;
    if (!strcmp(r.status, "pending") || !strcmp(r.status, "withdrawn")) return RES_STATE;
    char now[40];
    time_now_rfc3339(now);
    /* the row first: on PostgreSQL its lock orders two uploads of one resource, so each takes
     * the next number (SQLite's writes are serial anyway) */
    qb q;
    qb_init(&q, "UPDATE resources SET updated_at = ? WHERE id = ?");
    qb_text(&q, now), qb_int(&q, w->id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    int64_t last = 0;
    qb_init(&q, "SELECT COALESCE(MAX(version_no), 0) FROM resource_versions WHERE resource_id = ?");
    qb_int(&q, w->id);
    if ((rc = qb_exec(c, &q, &last)) != DB_OK) return rc;
    entity_value more[] = {{"resource_id", .i = w->id, .is_int = true},
                           {"version_no", .i = last + 1, .is_int = true}, {"org_path", .text = r.org_path},
                           {"name", .text = w->v->name}, {"mime", .text = w->v->mime},
                           {"size", .i = w->v->size, .is_int = true}, {"sha256", .text = w->v->sha256},
                           {"text", .text = w->text}, {"created_by", .i = w->p->user_id, .is_int = true},
                           {"created_at", .text = now}, {0}};
    int64_t vid = 0;
    if ((rc = entity_store(c, &resource_version_entity, "resource_versions", 0, NULL, more, w->a, &vid)) != DB_OK) return rc;
    if ((rc = resources_set_search_text(c, w->id)) != DB_OK) return rc;
    rc = entity_get_unscoped(c, &resource_version_entity, w->a, vid, w->v);   /* just written */
    if (rc != DB_OK) return rc;
    return entity_audit(c, &resource_version_entity, actor_of(w->p), r.org_path, vid, "create", NULL, w->v);
}

static void handle_upload(request *r)
{
    resource res;
    resource_version v = {0};
    char sha[65];
    struct add_args w = {r->principal, &r->arena, 0, &v, ""};
    if (!param_id(r, 0, &w.id)) return;
    db *c = db_thread();
    int rc = c ? resources_get_writable(c, r->principal, &r->arena, w.id, &res) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &resource_entity, rc); return; }
    if (!attachments_read_upload(r, &v.name, &v.mime, &v.size)) return;
    if (!strcmp(v.mime, "application/pdf")) {
        /* outside the transaction: reading a PDF may take a while */
        w.text = resource_pdf_text(r->upload_path, PDF_MAX_PAGES, PDF_MAX_BYTES, &r->arena);
        if (!w.text) { entity_reply_error(r, &resource_entity, RES_BAD_FILE); return; }
    }
    if (files_store(r->upload_path, sha) != 0) { reply_db_error(r); return; }
    free(r->upload_path);      /* the store took the file */
    r->upload_path = NULL;
    v.sha256 = sha;
    rc = db_transaction(c, add_cb, &w);
    if (rc != DB_OK) { entity_reply_error(r, &resource_entity, rc); return; }
    entity_reply(r, &resource_version_entity, 201, &v);
}

static void handle_list(request *r)
{
    int64_t id;
    resource res;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? resources_get(c, r->principal, &r->arena, id, &res) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &resource_entity, rc); return; }
    qb where;
    qb_init(&where, " WHERE v.resource_id = ?");   /* the versions of a resource read in the caller's scope */
    qb_int(&where, id);
    jw w;
    jw_list_open(&w);
    rc = entity_list_all(c, &resource_version_entity, &where, NULL, &r->arena, &w, NULL, NULL);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static void handle_download(request *r)
{
    int64_t id, vid;
    resource res;
    resource_version v;
    size_t size;
    if (!param_id(r, 0, &id) || !param_id(r, 1, &vid)) return;
    db *c = db_thread();
    int rc = c ? resources_get(c, r->principal, &r->arena, id, &res) : DB_ERR;
    if (rc == DB_OK) {
        qb q;
        qb_init(&q, " AND v.id = ? AND v.resource_id = ?");
        qb_int(&q, vid), qb_int(&q, id);
        /* a version of the resource just read within the caller's scope (shared ones too) */
        rc = entity_get_where_unscoped(c, &resource_version_entity, &r->arena, &q, &v);
    }
    if (rc != DB_OK) { entity_reply_error(r, rc == RES_VERSION_NOT_FOUND ? &resource_version_entity : &resource_entity, rc); return; }
    int fd = files_open(v.sha256, &size);
    if (fd < 0) {
        reply_error(r, 404, "file_missing", NULL, "文件内容已不在存储中 / the file's bytes are missing from the store");
        return;
    }
    reply_fd(r, 200, fd, size, v.mime);
    reply_header(r, "Content-Disposition", files_disposition(&r->arena, v.name));
}

static const struct route version_routes[] = {
    {"POST", "/api/v1/resources/:id/versions", handle_upload, RANK_STAFF, ROUTE_RAW_BODY,
     .summary = "Upload a new version of a resource's file (raw bytes, X-File-Name)", .entity = &resource_version_entity},
    {"GET", "/api/v1/resources/:id/versions", handle_list, RANK_MEMBER, 0,
     .summary = "A resource's versions, newest (current) first", .entity = &resource_version_entity},
    {"GET", "/api/v1/resources/:id/versions/:vid/file", handle_download, RANK_MEMBER, 0,
     .summary = "Download a version's file"},
    {0},
};

void resource_versions_register_routes(void)
{
    router_add_table(version_routes);
}
