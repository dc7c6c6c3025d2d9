/* attachments.c - upload, list, download and delete of a record's files (see attachments.h).
 * SQL texts are built from the kind's table and column names, constants of the modules. */
#include "files/attachments.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "files/files.h"
#include "http/body.h"
#include "core/jsonw.h"
#include "http/reply.h"
#include <stdlib.h>
#include <string.h>

enum { TOO_MANY_FILES = -390, FILE_NOT_FOUND = -391 };

typedef struct attachment {
    int64_t id, owner_id, size, created_by;
    const char *org_path, *name, *mime, *sha256, *created_at;
} attachment;

static const char *cols(arena *a, const attachment_kind *k)
{
    return arena_printf(a, "f.id, f.%s, f.org_path, f.name, f.mime, f.size, f.sha256, f.created_by, f.created_at",
                        k->owner_col);
}

static void read_row(db_stmt *s, arena *a, void *row)
{
    attachment *f = row;
    f->id = db_col_int(s, 0);
    f->owner_id = db_col_int(s, 1);
    f->org_path = arena_strdup(a, db_col_text(s, 2));
    f->name = arena_strdup(a, db_col_text(s, 3));
    f->mime = arena_strdup(a, db_col_text(s, 4));
    f->size = db_col_int(s, 5);
    f->sha256 = arena_strdup(a, db_col_text(s, 6));
    f->created_by = db_col_null(s, 7) ? 0 : db_col_int(s, 7);
    f->created_at = arena_strdup(a, db_col_text(s, 8));
}

static void write_row(jw *w, const attachment_kind *k, const attachment *f)
{
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, f->id);
    jw_key(w, k->owner_col), jw_int(w, f->owner_id);
    jw_key(w, "name"), jw_str(w, f->name);
    jw_key(w, "mime"), jw_str(w, f->mime);
    jw_key(w, "size"), jw_int(w, f->size);
    jw_key(w, "sha256"), jw_str(w, f->sha256);
    jw_key(w, "created_by"), jw_int_or_null(w, f->created_by);
    jw_key(w, "created_at"), jw_str(w, f->created_at);
    jw_obj_end(w);
}

static json_t *row_json(const attachment_kind *k, const attachment *f)
{
    jw w;
    jw_init(&w);
    write_row(&w, k, f);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}

/* One file in the caller's scope, which is its owner's (owner_id 0: any owner). */
static int get_file(db *c, const principal *p, arena *a, const attachment_kind *k, int64_t owner_id, int64_t id,
                    attachment *out)
{
    qb q;
    qb_init(&q, arena_printf(a, "SELECT %s FROM %s f JOIN %s x ON x.id = f.%s WHERE f.id = ?", cols(a, k), k->table,
                             k->owner_table, k->owner_col));
    qb_int(&q, id);
    if (owner_id) qb_sql(&q, arena_printf(a, " AND f.%s = ?", k->owner_col)), qb_int(&q, owner_id);
    scope_filter_owned(&p->scope, &q, "x.org_path", "x.created_by");
    return qb_get_one(c, &q, a, read_row, out, FILE_NOT_FOUND);
}

static void reply_attach_error(request *r, const attachment_kind *k, int rc)
{
    if (rc == FILE_NOT_FOUND || rc == k->owner_not_found) reply_not_found(r);
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
    db_stmt *s = db_prepare(c, arena_printf(w->a, "SELECT COUNT(*) FROM %s WHERE %s = ?", k->table, k->owner_col));
    if (!s) return DB_ERR;
    db_bind_int(s, 1, w->owner_id);
    int rc = db_step(s);
    int64_t n = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    if (n >= k->max_per_owner) return TOO_MANY_FILES;
    char now[40];
    time_now_rfc3339(now);
    s = db_prepare(c, arena_printf(w->a, "INSERT INTO %s (%s, org_path, name, mime, size, sha256, created_by, created_at) "
                                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", k->table, k->owner_col));
    if (!s) return DB_ERR;
    db_bind_int(s, 1, w->owner_id);
    db_bind_text(s, 2, w->owner_path);
    db_bind_text(s, 3, w->f->name);
    db_bind_text(s, 4, w->f->mime);
    db_bind_int(s, 5, w->f->size);
    db_bind_text(s, 6, w->f->sha256);
    db_bind_int(s, 7, w->p->user_id);
    db_bind_text(s, 8, now);
    rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    rc = get_file(c, w->p, w->a, k, w->owner_id, id, w->f);
    json_t *after = rc == DB_OK ? row_json(k, w->f) : NULL;
    if (rc == DB_OK) rc = audit_record(c, actor_of(w->p), w->owner_path, k->audit_entity, id, "create", NULL, after);
    json_decref(after);
    return rc;
}

/* The checks that need no database: a name, some bytes, an allowed type. */
static bool read_upload(request *r, attachment *f)
{
    f->name = files_clean_name(&r->arena, req_header(r, "X-File-Name"));
    if (!f->name) {
        reply_error(r, 422, "invalid_field", "name",
                    "请在 X-File-Name 头中给出文件名（1–200 字节，不含斜杠和控制字符） / X-File-Name must name the file");
        return false;
    }
    if (!r->upload_path || r->upload_size == 0) {
        reply_error(r, 422, "required", "file", "文件内容为空 / the file is empty");
        return false;
    }
    unsigned char head[16];
    long n = files_read_head(r->upload_path, head, sizeof head);
    f->mime = n > 0 ? files_sniff(head, (size_t)n, f->name) : NULL;
    if (!f->mime) {
        reply_error(r, 415, "unsupported_type", "file",
                    "只能上传 JPEG、PNG、GIF、WebP 图片，PDF 或 Word/Excel/PowerPoint（docx/xlsx/pptx）文件 / "
                    "only JPEG, PNG, GIF, WebP, PDF, docx, xlsx or pptx files");
        return false;
    }
    if (!files_is_office_package(r->upload_path, f->mime)) {
        reply_error(r, 422, "invalid_field", "file",
                    "文件不是有效的 Office 文档（docx/xlsx/pptx 须含 [Content_Types].xml 及正文部分） / "
                    "the file is not a valid docx, xlsx or pptx document");
        return false;
    }
    f->size = (int64_t)r->upload_size;
    return true;
}

void attachments_upload(request *r, const attachment_kind *k)
{
    struct attach_args w = {r->principal, &r->arena, k, 0, NULL, NULL};
    attachment f = {0};
    char sha[65];
    if (!param_id(r, 0, &w.owner_id)) return;
    db *c = db_thread();
    int rc = c ? k->load_owner(c, r->principal, &r->arena, w.owner_id, &w.owner_path) : DB_ERR;
    if (rc != DB_OK) { reply_attach_error(r, k, rc); return; }
    if (!read_upload(r, &f)) return;
    if (files_store(r->upload_path, sha) != 0) { reply_db_error(r); return; }
    free(r->upload_path);      /* the store took the file */
    r->upload_path = NULL;
    f.sha256 = sha;
    w.f = &f;
    rc = db_transaction(c, attach_cb, &w);
    if (rc != DB_OK) { reply_attach_error(r, k, rc); return; }
    jw out;
    jw_init(&out);
    write_row(&out, k, &f);
    reply_jw(r, 201, &out);
}

void attachments_list(request *r, const attachment_kind *k)
{
    int64_t id;
    const char *owner_path;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? k->load_owner(c, r->principal, &r->arena, id, &owner_path) : DB_ERR;
    if (rc != DB_OK) { reply_attach_error(r, k, rc); return; }
    db_stmt *s = db_prepare(c, arena_printf(&r->arena, "SELECT %s FROM %s f WHERE f.%s = ? ORDER BY f.id", cols(&r->arena, k),
                                            k->table, k->owner_col));
    if (!s) { reply_db_error(r); return; }
    db_bind_int(s, 1, id);
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    while ((rc = db_step(s)) == DB_ROW) {
        attachment f;
        read_row(s, &r->arena, &f);
        write_row(&w, k, &f);
    }
    db_finish(s);
    if (rc != DB_DONE) { jw_free(&w); reply_db_error(r); return; }
    jw_arr_end(&w);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

void attachments_download(request *r, const attachment_kind *k, bool owner_in_path)
{
    int64_t owner_id = 0, id;
    attachment f;
    size_t size;
    if (owner_in_path ? !param_id(r, 0, &owner_id) || !param_id(r, 1, &id) : !param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? get_file(c, r->principal, &r->arena, k, owner_id, id, &f) : DB_ERR;
    if (rc != DB_OK) { reply_attach_error(r, k, rc); return; }
    int fd = files_open(f.sha256, &size);
    if (fd < 0) {
        reply_error(r, 404, "file_missing", NULL, "文件内容已不在存储中 / the file's bytes are missing from the store");
        return;
    }
    reply_fd(r, 200, fd, size, f.mime);
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
    if (rc != DB_OK) return rc;
    db_stmt *s = db_prepare(c, arena_printf(w->a, "DELETE FROM %s WHERE id = ?", w->k->table));
    if (!s) return DB_ERR;
    db_bind_int(s, 1, w->id);
    rc = db_exec_stmt(s);
    db_finish(s);
    /* the bytes stay in the store: the audit entry keeps their digest, so nothing is lost */
    json_t *before = row_json(w->k, &f);
    if (rc == DB_OK) rc = audit_record(c, actor_of(w->p), f.org_path, w->k->audit_entity, w->id, "delete", before, NULL);
    json_decref(before);
    return rc;
}

void attachments_delete(request *r, const attachment_kind *k)
{
    struct detach_args w = {r->principal, &r->arena, k, 0, 0};
    if (!param_id(r, 0, &w.owner_id) || !param_id(r, 1, &w.id)) return;
    db *c = db_thread();
    int rc = c ? db_transaction(c, detach_cb, &w) : DB_ERR;
    if (rc != DB_OK) { reply_attach_error(r, k, rc); return; }
    reply_empty(r, 204);
}
