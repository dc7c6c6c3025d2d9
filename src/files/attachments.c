/* attachments.c - upload, list, download and delete of a record's files (see attachments.h).
 * SQL texts are built from the kind's table and column names, constants of the modules. */
#include "files/attachments.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "files/files.h"
#include "http/body.h"
#include "core/jsonw.h"
#include "http/reply.h"
#include "http/router.h"
#include "model/entity.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TOO_MANY_FILES = -390, FILE_NOT_FOUND = -391 };

typedef struct attachment {
    int64_t id, owner_id, size, created_by;
    const char *org_path, *name, *mime, *sha256, *created_at;
} attachment;

static attachments_audit_fn audit_hook;

/* The columns every kind's table shares, and the owner's key read as f.owner_id (kind_entity)
 * and written under its own name (k->owner_col). A file follows its owner's scope. */
#define A(member) offsetof(attachment, member)
static const field attachment_fields[] = {
    {"id", "f.id", FT_ID, A(id), .flags = FF_HIDDEN},   /* written first, before the owner's key */
    {"owner_id", "f.owner_id", FT_ID, A(owner_id), .flags = FF_HIDDEN},
    {"org_path", "f.org_path", FT_TEXT, A(org_path), .flags = FF_HIDDEN},
    {"name", "f.name", FT_TEXT, A(name), .flags = 0, .example = "\"现场照片.jpg\""},
    {"mime", "f.mime", FT_TEXT, A(mime), .flags = 0, .doc = "sniffed from the bytes, never the client's"},
    {"size", "f.size", FT_INT, A(size), .flags = 0},
    {"sha256", "f.sha256", FT_TEXT, A(sha256), .flags = 0},
    {"created_by", "f.created_by", FT_INT_NULL, A(created_by), .flags = 0},
    {"created_at", "f.created_at", FT_TIME, A(created_at), .flags = 0},
    {0},
};
#undef A

static entity attachment_entity = {
    .name = "attachment", .doc = "A photo or file of a record", .id_column = "f.id",
    .path_column = "x.org_path", .owner_column = "x.created_by", .order = " ORDER BY f.id",
    .size = sizeof(attachment), .fields = attachment_fields, .not_found = FILE_NOT_FOUND,
};

/* At start-up, before threads: the entity's select list is built here too. */
void attachments_set_audit_hook(attachments_audit_fn fn)
{
    entity_prepare(&attachment_entity);
    audit_hook = fn;
}

/* The entity for one kind: its table, with the owner's key as f.owner_id, joined to its owner
 * (whose scope the files follow). A copy in the caller's frame; from lives in a. */
static entity kind_entity(const attachment_kind *k, arena *a)
{
    entity e = attachment_entity;
    e.from = arena_printf(a, " FROM (SELECT *, %s AS owner_id FROM %s) f JOIN %s x ON x.id = f.owner_id", k->owner_col,
                          k->table, k->owner_table);
    return e;
}

/* A file as JSON, its owner's key under the kind's name (an entity_row_fn: e is unused). */
static void write_row(jw *w, const entity *e, const void *rec, void *kind)
{
    const attachment *f = rec;
    (void)e;
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, f->id);
    jw_key(w, ((const attachment_kind *)kind)->owner_col), jw_int(w, f->owner_id);
    entity_write_fields(w, &attachment_entity, f);
    jw_obj_end(w);
}

/* One file in the caller's scope, which is its owner's (owner_id 0: any owner). */
static int get_file(db *c, const principal *p, arena *a, const attachment_kind *k, int64_t owner_id, int64_t id,
                    attachment *out)
{
    entity e = kind_entity(k, a);
    qb q;
    qb_init(&q, " AND f.id = ?");
    qb_int(&q, id);
    if (owner_id) qb_sql(&q, " AND f.owner_id = ?"), qb_int(&q, owner_id);
    return entity_get_where(c, &e, &p->scope, a, &q, out);
}

/* Audits a file's create (the row after) or delete (the row before); never an unaudited change. */
static int audit(db *c, const principal *p, const char *path, const attachment_kind *k, const char *action,
                 const attachment *f)
{
    if (!audit_hook) return DB_ERR;
    json_t *j = entity_json(&attachment_entity, f);   /* the row's members (the log sorts them) */
    json_object_set_new(j, "id", json_integer(f->id));
    json_object_set_new(j, k->owner_col, json_integer(f->owner_id));
    bool create = !strcmp(action, "create");
    int rc = audit_hook(c, actor_of(p), path, k->audit_entity, f->id, action, create ? NULL : j, create ? j : NULL);
    json_decref(j);
    return rc;
}

/* The owner id as the caller's scope sees it, and its org path (the files' path). */
static int load_owner(db *c, const principal *p, arena *a, const attachment_kind *k, int64_t id, const char **path)
{
    void *rec = arena_alloc(a, k->owner->size);
    int rc = rec ? entity_get(c, k->owner, &p->scope, a, id, rec) : DB_ERR;
    if (rc == DB_OK) *path = *(const char **)((const char *)rec + entity_field(k->owner, "org_path")->offset);
    return rc;
}

/* A file to download: by the files' path, or, for a kind read through its owner, any file of an
 * owner the caller's scope reads (the owner id is in the route: the kind has no download_path). */
static int get_file_to_read(db *c, const principal *p, arena *a, const attachment_kind *k, int64_t owner_id, int64_t id,
                            attachment *out)
{
    if (!k->read_through_owner) return get_file(c, p, a, k, owner_id, id, out);
    const char *owner_path;
    int rc = load_owner(c, p, a, k, owner_id, &owner_path);
    if (rc != DB_OK) return rc;
    entity e = kind_entity(k, a);
    qb q;
    qb_init(&q, " AND f.id = ? AND f.owner_id = ?");
    qb_int(&q, id), qb_int(&q, owner_id);
    /* the owner was just read within the caller's scope: its files follow it */
    return entity_get_where_unscoped(c, &e, a, &q, out);
}

static void reply_attach_error(request *r, const attachment_kind *k, int rc)
{
    if (rc == FILE_NOT_FOUND || rc == k->owner->not_found) reply_not_found(r);
    else if (rc == TOO_MANY_FILES)
        reply_error(r, 409, "too_many_files", NULL, "%s最多 %d 个附件 / at most %d files each",
                    k->noun, k->max_per_owner, k->max_per_owner);
    else reply_db_error(r);
}

struct attach_args {
    const principal *p;
    arena *a;
    const attachment_kind *k;
    int64_t owner_id;
    const char *owner_path;
    attachment *f;        /* in: name, mime, size, sha256; out: the stored row */
};

static int attach_cb(db *c, void *cls)
{
    struct attach_args *w = cls;
    const attachment_kind *k = w->k;
    int64_t n = 0;
    qb q;
    qb_init(&q, arena_printf(w->a, "SELECT COUNT(*) FROM %s WHERE %s = ?", k->table, k->owner_col));
    qb_int(&q, w->owner_id);
    int rc = qb_exec(c, &q, &n);
    if (rc != DB_OK) return rc < 0 ? rc : DB_ERR;
    if (n >= k->max_per_owner) return TOO_MANY_FILES;
    char now[40];
    time_now_rfc3339(now);
    entity_value more[] = {{k->owner_col, .i = w->owner_id, .is_int = true}, {"org_path", .text = w->owner_path},
                           {"name", .text = w->f->name}, {"mime", .text = w->f->mime},
                           {"size", .i = w->f->size, .is_int = true}, {"sha256", .text = w->f->sha256},
                           {"created_by", .i = w->p->user_id, .is_int = true}, {"created_at", .text = now}, {0}};
    int64_t id = 0;
    if ((rc = entity_store(c, &attachment_entity, k->table, 0, NULL, more, w->a, &id)) != DB_OK) return rc;
    rc = get_file(c, w->p, w->a, k, w->owner_id, id, w->f);
    return rc == DB_OK ? audit(c, w->p, w->owner_path, k, "create", w->f) : rc;
}

bool attachments_upload_head(request *r, const char **name, unsigned char head[ATTACHMENT_HEAD], long *n)
{
    *name = files_clean_name(&r->arena, req_header(r, "X-File-Name"));
    if (!*name) {
        reply_error(r, 422, "invalid_field", "name",
                    "请在 X-File-Name 头中给出文件名（1–200 字节，不含斜杠和控制字符） / X-File-Name must name the file");
        return false;
    }
    if (!r->upload_path || r->upload_size == 0) {
        reply_error(r, 422, "required", "file", "文件内容为空 / the file is empty");
        return false;
    }
    *n = files_read_head(r->upload_path, head, ATTACHMENT_HEAD);
    return true;
}

bool attachments_read_upload(request *r, const char **name, const char **mime, int64_t *size)
{
    unsigned char head[ATTACHMENT_HEAD];
    long n;
    if (!attachments_upload_head(r, name, head, &n)) return false;
    *mime = n > 0 ? files_sniff(head, (size_t)n, *name) : NULL;
    if (!*mime) {
        reply_error(r, 415, "unsupported_type", "file",
                    "只能上传 JPEG、PNG、GIF、WebP 图片，PDF 或 Word/Excel/PowerPoint（docx/xlsx/pptx）文件 / "
                    "only JPEG, PNG, GIF, WebP, PDF, docx, xlsx or pptx files");
        return false;
    }
    if (!files_is_office_package(r->upload_path, *mime)) {
        reply_error(r, 422, "invalid_field", "file",
                    "文件不是有效的 Office 文档（docx/xlsx/pptx 须含 [Content_Types].xml 及正文部分） / "
                    "the file is not a valid docx, xlsx or pptx document");
        return false;
    }
    *size = (int64_t)r->upload_size;
    return true;
}

static void handle_upload(request *r)
{
    const attachment_kind *k = r->route->cls;
    struct attach_args w = {r->principal, &r->arena, k, 0, NULL, NULL};
    attachment f = {0};
    char sha[65];
    if (!param_id(r, 0, &w.owner_id)) return;
    db *c = db_thread();
    int rc = c ? load_owner(c, r->principal, &r->arena, k, w.owner_id, &w.owner_path) : DB_ERR;
    if (rc == DB_OK && k->writable) rc = k->writable(c, r->principal, &r->arena, w.owner_id);
    if (rc != DB_OK) { reply_attach_error(r, k, rc); return; }
    if (!attachments_read_upload(r, &f.name, &f.mime, &f.size)) return;
    if (files_store(r->upload_path, sha) != 0) { reply_db_error(r); return; }
    free(r->upload_path);      /* the store took the file */
    r->upload_path = NULL;
    f.sha256 = sha;
    w.f = &f;
    rc = db_transaction(c, attach_cb, &w);
    if (rc != DB_OK) { reply_attach_error(r, k, rc); return; }
    jw out;
    jw_init(&out);
    write_row(&out, NULL, &f, (void *)k);
    reply_jw(r, 201, &out);
}

static void handle_list(request *r)
{
    const attachment_kind *k = r->route->cls;
    int64_t id;
    const char *owner_path;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? load_owner(c, r->principal, &r->arena, k, id, &owner_path) : DB_ERR;
    if (rc != DB_OK) { reply_attach_error(r, k, rc); return; }
    entity e = kind_entity(k, &r->arena);
    qb where;
    qb_init(&where, "");
    jw w;
    jw_list_open(&w);
    /* the files of an owner read within the caller's scope (load_owner above) */
    if (k->read_through_owner) qb_sql(&where, " WHERE 1 = 1");
    else rc = entity_list_where(c, &e, &r->principal->scope, &r->arena, 0, &where);
    if (rc == DB_OK) qb_sql(&where, " AND f.owner_id = ?"), qb_int(&where, id);
    if (rc == DB_OK) rc = entity_list_all(c, &e, &where, NULL, &r->arena, &w, write_row, (void *)k);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static void handle_download(request *r)
{
    const attachment_kind *k = r->route->cls;
    bool owner_in_path = !k->download_path;
    int64_t owner_id = 0, id;
    attachment f;
    size_t size;
    if (owner_in_path ? !param_id(r, 0, &owner_id) || !param_id(r, 1, &id) : !param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? get_file_to_read(c, r->principal, &r->arena, k, owner_id, id, &f) : DB_ERR;
    if (rc != DB_OK) { reply_attach_error(r, k, rc); return; }
    int fd = files_open(f.sha256, &size);
    if (fd < 0) {
        reply_error(r, 404, "file_missing", NULL, "文件内容已不在存储中 / the file's bytes are missing from the store");
        return;
    }
    /* the bytes are named by their digest: it is a strong validator for If-Range */
    reply_file(r, fd, size, &(file_meta){.type = f.mime, .etag = arena_printf(&r->arena, "\"%s\"", f.sha256)});
    reply_header(r, "Content-Disposition", files_disposition(&r->arena, f.name));
}

struct detach_args {
    const principal *p;
    arena *a;
    const attachment_kind *k;
    int64_t owner_id, id;
};

static int detach_cb(db *c, void *cls)
{
    struct detach_args *w = cls;
    attachment f;
    int rc = get_file(c, w->p, w->a, w->k, w->owner_id, w->id, &f);
    if (rc == DB_OK && w->k->writable) rc = w->k->writable(c, w->p, w->a, w->owner_id);
    if (rc != DB_OK) return rc;
    qb q;
    qb_init(&q, arena_printf(w->a, "DELETE FROM %s WHERE id = ?", w->k->table));
    qb_int(&q, w->id);
    rc = qb_exec(c, &q, NULL);
    /* the bytes stay in the store: the audit entry keeps their digest, so nothing is lost */
    return rc == DB_OK ? audit(c, w->p, f.org_path, w->k, "delete", &f) : rc;
}

static void handle_delete(request *r)
{
    const attachment_kind *k = r->route->cls;
    struct detach_args w = {r->principal, &r->arena, k, 0, 0};
    if (!param_id(r, 0, &w.owner_id) || !param_id(r, 1, &w.id)) return;
    db *c = db_thread();
    int rc = c ? db_transaction(c, detach_cb, &w) : DB_ERR;
    if (rc != DB_OK) { reply_attach_error(r, k, rc); return; }
    reply_empty(r, 204);
}

/* Route tables of the kinds, built at start-up: four routes and the end of each. */
#define MAX_KINDS 8
static struct route kind_routes[MAX_KINDS][5];
static char kind_text[MAX_KINDS][4][160];
static int nkinds;

void attachments_add_routes(const attachment_kind *k)
{
    /* a second registration of a kind (the routes registered afresh) reuses its table */
    for (int i = 0; i < nkinds; i++)
        if (kind_routes[i][0].cls == k) {
            router_add_table(kind_routes[i]);
            return;
        }
    if (nkinds == MAX_KINDS) {
        log_error("more than %d attachment kinds: raise MAX_KINDS", MAX_KINDS);
        exit(1);
    }
    struct route *t = kind_routes[nkinds];
    char (*text)[160] = kind_text[nkinds++];
    snprintf(text[0], 160, "%s/:fid", k->path);
    snprintf(text[1], 160, "Attach a photo or file to %s", k->what);
    snprintf(text[2], 160, "The files of %s", k->what);
    snprintf(text[3], 160, "Remove a file from %s", k->what);
    t[0] = (struct route){"POST", k->path, handle_upload, RANK_STAFF, ROUTE_RAW_BODY, .summary = text[1], .cls = k};
    t[1] = (struct route){"GET", k->path, handle_list, RANK_MEMBER, 0, .summary = text[2], .cls = k};
    t[2] = (struct route){"DELETE", text[0], handle_delete, RANK_STAFF, 0, .summary = text[3], .cls = k};
    t[3] = (struct route){"GET", k->download_path ? k->download_path : text[0], handle_download, RANK_MEMBER, 0,
                          .summary = "Download a file", .cls = k};
    router_add_table(t);
}
