/* resource_versions.c - the files of a resource as versions (see resources.h): POST
 * /resources/:id/versions takes the raw bytes (X-File-Name) like every upload of the project,
 * typed by sniffing; a PDF's text is read for search before the transaction (a PDF that cannot
 * be read is refused); a video or an audio resource takes only a file of its kind, read by the
 * media probe (FFmpeg) before the transaction, with a poster frame drawn from a video; GET lists the versions, newest first (the first is the current one);
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
#include "media/media.h"
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
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
    {"duration_ms", "v.duration_ms", FT_INT_NULL, V(duration_ms), .flags = 0,
     .doc = "a video's or an audio's length in milliseconds (null: not media, or the container does not tell)"},
    {"width", "v.width", FT_INT_NULL, V(width), .flags = 0, .doc = "a video's picture width"},
    {"height", "v.height", FT_INT_NULL, V(height), .flags = 0},
    {"codec", "v.codec", FT_TEXT, V(codec), .flags = 0, .example = "\"h264\""},
    {"poster_sha256", "v.poster_sha256", FT_TEXT, V(poster_sha256), .flags = FF_HIDDEN},
    {"poster", "CASE WHEN v.poster_sha256 IS NULL THEN 0 ELSE 1 END", FT_BOOL, V(poster), .flags = 0,
     .doc = "a video's poster frame is at .../versions/:vid/poster"},
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
                           {"created_at", .text = now}, {"codec", .text = w->v->codec},
                           {"poster_sha256", .text = w->v->poster_sha256},
                           {"duration_ms", .i = w->v->duration_ms, .is_int = true},
                           {"width", .i = w->v->width, .is_int = true},
                           {"height", .i = w->v->height, .is_int = true}, {0}};
    if (!w->v->codec) more[10].column = NULL;   /* not media: the probe's columns stay NULL */
    int64_t vid = 0;
    if ((rc = entity_store(c, &resource_version_entity, "resource_versions", 0, NULL, more, w->a, &vid)) != DB_OK) return rc;
    if ((rc = resources_set_search_text(c, w->id)) != DB_OK) return rc;
    rc = entity_get_unscoped(c, &resource_version_entity, w->a, vid, w->v);   /* just written */
    if (rc != DB_OK) return rc;
    return entity_audit(c, &resource_version_entity, actor_of(w->p), r.org_path, vid, "create", NULL, w->v);
}

int resources_add_file(db *c, const principal *p, arena *a, int64_t id, const char *path, const char *name,
                       resource_version *out)
{
    resource res;
    int rc = resources_get_writable(c, p, a, id, &res);
    if (rc != DB_OK) return rc;
    if (!strcmp(res.kind, "video") || !strcmp(res.kind, "audio")) return RES_KIND_MISMATCH;
    unsigned char head[ATTACHMENT_HEAD];
    long n = files_read_head(path, head, sizeof head);
    const char *mime = n > 0 ? files_sniff(head, (size_t)n, name) : NULL;
    struct stat st;
    if (!mime || stat(path, &st) != 0 || !files_is_office_package(path, mime)) return RES_BAD_FILE;
    const char *text = "";
    if (!strcmp(mime, "application/pdf") && !(text = resource_pdf_text(path, PDF_MAX_PAGES, PDF_MAX_BYTES, a)))
        return RES_BAD_FILE;
    char sha[65];
    if (files_store(path, sha) != 0) return DB_ERR;
    resource_version v = {.name = name, .mime = mime, .size = (int64_t)st.st_size, .sha256 = sha};
    rc = db_transaction(c, add_cb, &(struct add_args){p, a, id, &v, text});
    if (rc == DB_OK && out) *out = v;   /* re-read into a by add_cb: nothing points at sha */
    return rc;
}

/* A video's poster: the frame a tenth in (at most 5 s), into the file store. The poster is a
 * nicety: a video whose frame cannot be drawn is still taken, without one. */
static void store_poster(request *r, double seconds, resource_version *v)
{
    char png[4096];
    snprintf(png, sizeof png, "%s/poster-XXXXXX", files_spool_dir());
    int fd = mkstemp(png);
    if (fd < 0) return;
    close(fd);
    char sha[65];
    if (media_poster_png(r->upload_path, seconds > 50 ? 5.0 : seconds / 10, png) == DB_OK && files_store(png, sha) == 0)
        v->poster_sha256 = arena_strdup(&r->arena, sha);
    else
        unlink(png);
}

/* A video or an audio resource's file: sniffed, then held to its claim by the media probe, and of
 * the resource's kind (an MP4 or WebM with no picture is audio). False after replying. */
static bool read_media(request *r, const resource *res, const unsigned char *head, long n, resource_version *v)
{
    const char *mime = n > 0 ? media_sniff(head, (size_t)n) : NULL;
    if (!mime) { entity_reply_error(r, &resource_entity, RES_KIND_MISMATCH); return false; }
    media_info info;
    int rc = media_probe(r->upload_path, mime, &r->arena, &info);
    const char *twin = media_audio_twin(mime);
    if (rc == MEDIA_MISMATCH && twin && (rc = media_probe(r->upload_path, twin, &r->arena, &info)) == DB_OK)
        mime = twin;
    if (rc != DB_OK) { reply_error_row(r, media_errors, rc); return false; }
    if (strcmp(info.kind, res->kind) != 0) { entity_reply_error(r, &resource_entity, RES_KIND_MISMATCH); return false; }
    v->mime = mime;
    v->size = (int64_t)r->upload_size;
    v->codec = info.codec ? info.codec : "";
    v->duration_ms = (int64_t)(info.seconds * 1000 + 0.5);
    v->width = info.width, v->height = info.height;
    if (!strcmp(info.kind, "video")) store_poster(r, info.seconds, v);
    return true;
}

/* The file's checks by the resource's kind: media for video and audio, the attachments' types
 * (PDF, Office, images) for the rest, a PDF's text read for search. False after replying. */
static bool read_version(request *r, const resource *res, resource_version *v, const char **text)
{
    bool media = !strcmp(res->kind, "video") || !strcmp(res->kind, "audio");
    if (media) {
        unsigned char head[ATTACHMENT_HEAD];
        long n;
        return attachments_upload_head(r, &v->name, head, &n) && read_media(r, res, head, n, v);
    }
    if (!attachments_read_upload(r, &v->name, &v->mime, &v->size)) return false;
    if (!strcmp(v->mime, "application/pdf")) {
        /* outside the transaction: reading a PDF may take a while */
        *text = resource_pdf_text(r->upload_path, PDF_MAX_PAGES, PDF_MAX_BYTES, &r->arena);
        if (!*text) { entity_reply_error(r, &resource_entity, RES_BAD_FILE); return false; }
    }
    return true;
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
    if (!read_version(r, &res, &v, &w.text)) return;
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
    resource res;
    if (!resource_of_request(r, &res)) return;
    qb where;
    qb_init(&where, " WHERE v.resource_id = ?");   /* the versions of a resource read in the caller's scope */
    qb_int(&where, res.id);
    jw w;
    jw_list_open(&w);
    int rc = entity_list_all(db_thread(), &resource_version_entity, &where, NULL, &r->arena, &w, NULL, NULL);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

/* The version named by the route's second parameter, of the resource read in the caller's
 * scope (shared ones too); false after replying. */
static bool version_of_request(request *r, resource_version *v)
{
    resource res;
    int64_t vid;
    if (!resource_of_request(r, &res) || !param_id(r, 1, &vid)) return false;
    qb q;
    qb_init(&q, " AND v.id = ? AND v.resource_id = ?");
    qb_int(&q, vid), qb_int(&q, res.id);
    /* a version of the resource just read within the caller's scope */
    int rc = entity_get_where_unscoped(db_thread(), &resource_version_entity, &r->arena, &q, v);
    if (rc != DB_OK) { entity_reply_error(r, &resource_version_entity, rc); return false; }
    return true;
}

/* False after replying 404 when the store lost the bytes. */
static bool reply_stored(request *r, const char *sha256, const char *mime)
{
    size_t size;
    int fd = files_open(sha256, &size);
    if (fd < 0) {
        reply_error(r, 404, "file_missing", NULL, "文件内容已不在存储中 / the file's bytes are missing from the store");
        return false;
    }
    reply_fd(r, 200, fd, size, mime);
    return true;
}

static void handle_download(request *r)
{
    resource_version v;
    if (!version_of_request(r, &v)) return;
    if (reply_stored(r, v.sha256, v.mime)) reply_header(r, "Content-Disposition", files_disposition(&r->arena, v.name));
}

static void handle_poster(request *r)
{
    resource_version v;
    if (!version_of_request(r, &v)) return;
    if (!v.poster_sha256) { entity_reply_error(r, &resource_entity, RES_NO_POSTER); return; }
    (void)reply_stored(r, v.poster_sha256, "image/png");
}

static const struct route version_routes[] = {
    {"POST", "/api/v1/resources/:id/versions", handle_upload, RANK_STAFF, ROUTE_RAW_BODY | ROUTE_LARGE_UPLOAD,
     .summary = "Upload a new version of a resource's file (raw bytes, X-File-Name)", .entity = &resource_version_entity},
    {"GET", "/api/v1/resources/:id/versions", handle_list, RANK_MEMBER, 0,
     .summary = "A resource's versions, newest (current) first", .entity = &resource_version_entity},
    {"GET", "/api/v1/resources/:id/versions/:vid/file", handle_download, RANK_MEMBER, 0,
     .summary = "Download a version's file (answers Range: a video seeks without the whole file)"},
    {"GET", "/api/v1/resources/:id/versions/:vid/poster", handle_poster, RANK_MEMBER, 0,
     .summary = "A video version's poster frame (PNG)"},
    {0},
};

void resource_versions_register_routes(void)
{
    router_add_table(version_routes);
}
