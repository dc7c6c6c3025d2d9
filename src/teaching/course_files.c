/* course_files.c - photos and attachments of a held course's record, exactly as course_files.c
 * does for activities: POST /courses/:id/files (the raw bytes, X-File-Name), GET
 * /courses/:id/files, GET and DELETE /courses/:id/files/:fid. The bytes live in the file store
 * (files/files.h); each row copies its course's org path, so reads and deletes are scoped like
 * the course itself. */
#include "teaching/teaching.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "files/files.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include "orgs/orgs.h"
#include <stdlib.h>
#include <string.h>

#define MAX_FILES_PER_COURSE 50

typedef struct course_file {
    int64_t id, course_id, size, created_by;
    const char *org_path, *name, *mime, *sha256, *created_at;
} course_file;

#define FILE_COLS "f.id, f.course_id, f.org_path, f.name, f.mime, f.size, f.sha256, f.created_by, f.created_at"

static void read_file_row(db_stmt *s, arena *a, course_file *f)
{
    f->id = db_col_int(s, 0);
    f->course_id = db_col_int(s, 1);
    f->org_path = arena_strdup(a, db_col_text(s, 2));
    f->name = arena_strdup(a, db_col_text(s, 3));
    f->mime = arena_strdup(a, db_col_text(s, 4));
    f->size = db_col_int(s, 5);
    f->sha256 = arena_strdup(a, db_col_text(s, 6));
    f->created_by = db_col_null(s, 7) ? 0 : db_col_int(s, 7);
    f->created_at = arena_strdup(a, db_col_text(s, 8));
}

static void file_write(jw *w, const course_file *f)
{
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, f->id);
    jw_key(w, "course_id"), jw_int(w, f->course_id);
    jw_key(w, "name"), jw_str(w, f->name);
    jw_key(w, "mime"), jw_str(w, f->mime);
    jw_key(w, "size"), jw_int(w, f->size);
    jw_key(w, "sha256"), jw_str(w, f->sha256);
    jw_key(w, "created_by"), jw_int_or_null(w, f->created_by);
    jw_key(w, "created_at"), jw_str(w, f->created_at);
    jw_obj_end(w);
}

static json_t *file_json(const course_file *f)
{
    jw w;
    jw_init(&w);
    file_write(&w, f);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}

/* One file in the caller's scope (course_id 0: any course). */
static int get_file(db *c, const principal *p, arena *a, int64_t course_id, int64_t id, course_file *out)
{
    qb q;
    qb_init(&q, "SELECT " FILE_COLS " FROM course_files f JOIN courses x ON x.id = f.course_id WHERE f.id = ?");
    qb_int(&q, id);
    if (course_id) qb_sql(&q, " AND f.course_id = ?"), qb_int(&q, course_id);
    scope_filter_owned(&p->scope, &q, "x.org_path", "x.created_by");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) read_file_row(s, a, out);
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? TEACH_NOT_FOUND : rc;
}

struct attach_args {
    const principal *p;
    arena *a;
    const course *x;
    course_file *f;     /* in: name, mime, size, sha256; out: the stored row */
};

static int attach_cb(db *c, void *cls)
{
    struct attach_args *w = cls;
    db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM course_files WHERE course_id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, w->x->id);
    int rc = db_step(s);
    int64_t n = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    if (n >= MAX_FILES_PER_COURSE) return TEACH_TOO_MANY_FILES;
    char now[40];
    time_now_rfc3339(now);
    s = db_prepare(c, "INSERT INTO course_files (course_id, org_path, name, mime, size, sha256, created_by, created_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, w->x->id);
    db_bind_text(s, 2, w->x->org_path);
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
    rc = get_file(c, w->p, w->a, w->x->id, id, w->f);
    json_t *after = rc == DB_OK ? file_json(w->f) : NULL;
    if (rc == DB_OK) rc = audit_record(c, w->p, w->x->org_path, "course_file", id, "create", NULL, after);
    json_decref(after);
    return rc;
}

static void reply_file_error(request *r, int rc)
{
    if (rc == TEACH_NOT_FOUND) reply_not_found(r);
    else if (rc == TEACH_TOO_MANY_FILES)
        reply_error(r, 409, "too_many_files", NULL, "每个课程最多 %d 个附件 / at most %d files per course",
                    MAX_FILES_PER_COURSE, MAX_FILES_PER_COURSE);
    else reply_db_error(r);
}

/* The checks that need no database: a name, some bytes, an allowed type. */
static bool read_upload(request *r, course_file *f)
{
    f->name = files_clean_name(&r->arena, req_header(r, "X-File-Name"));
    if (!f->name) {
        reply_error(r, 422, "invalid_field", "name",
                    "请在 X-File-Name 头中给出文件名（1–200 字节，不含 / 和控制字符） / X-File-Name must name the file");
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
    f->size = (int64_t)r->upload_size;
    return true;
}

static void handle_upload(request *r)
{
    int64_t id;
    course x;
    course_file f = {0};
    char sha[65];
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? courses_get(c, r->principal, &r->arena, id, &x) : DB_ERR;
    if (rc != DB_OK) { reply_file_error(r, rc); return; }
    if (!read_upload(r, &f)) return;
    if (files_store(r->upload_path, sha) != 0) { reply_db_error(r); return; }
    free(r->upload_path);      /* the store took the file */
    r->upload_path = NULL;
    f.sha256 = sha;
    struct attach_args w = {r->principal, &r->arena, &x, &f};
    rc = db_transaction(c, attach_cb, &w);
    if (rc != DB_OK) { reply_file_error(r, rc); return; }
    jw out;
    jw_init(&out);
    file_write(&out, &f);
    reply_jw(r, 201, &out);
}

static void handle_list(request *r)
{
    int64_t id;
    course x;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? courses_get(c, r->principal, &r->arena, id, &x) : DB_ERR;
    if (rc != DB_OK) { reply_file_error(r, rc); return; }
    db_stmt *s = db_prepare(c, "SELECT " FILE_COLS " FROM course_files f WHERE f.course_id = ? ORDER BY f.id");
    if (!s) { reply_db_error(r); return; }
    db_bind_int(s, 1, id);
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    while ((rc = db_step(s)) == DB_ROW) {
        course_file f;
        read_file_row(s, &r->arena, &f);
        file_write(&w, &f);
    }
    db_finish(s);
    if (rc != DB_DONE) { jw_free(&w); reply_db_error(r); return; }
    jw_arr_end(&w);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static void handle_download(request *r)
{
    int64_t course_id, id;
    course_file f;
    size_t size;
    if (!param_id(r, 0, &course_id) || !param_id(r, 1, &id)) return;
    db *c = db_thread();
    int rc = c ? get_file(c, r->principal, &r->arena, course_id, id, &f) : DB_ERR;
    if (rc != DB_OK) { reply_file_error(r, rc); return; }
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
    int64_t course_id, id;
};

static int detach_cb(db *c, void *cls)
{
    struct detach_args *w = cls;
    course_file f;
    int rc = get_file(c, w->p, w->a, w->course_id, w->id, &f);
    if (rc != DB_OK) return rc;
    db_stmt *s = db_prepare(c, "DELETE FROM course_files WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, w->id);
    rc = db_exec_stmt(s);
    db_finish(s);
    /* the bytes stay in the store: the audit entry keeps their digest, so nothing is lost */
    json_t *before = file_json(&f);
    if (rc == DB_OK) rc = audit_record(c, w->p, f.org_path, "course_file", w->id, "delete", before, NULL);
    json_decref(before);
    return rc;
}

static void handle_delete(request *r)
{
    struct detach_args w = {r->principal, &r->arena, 0, 0};
    if (!param_id(r, 0, &w.course_id) || !param_id(r, 1, &w.id)) return;
    db *c = db_thread();
    int rc = c ? db_transaction(c, detach_cb, &w) : DB_ERR;
    if (rc != DB_OK) { reply_file_error(r, rc); return; }
    reply_empty(r, 204);
}

static const struct route file_routes[] = {
    {"POST", "/api/v1/courses/:id/files", handle_upload, RANK_STAFF, ROUTE_RAW_BODY},
    {"GET", "/api/v1/courses/:id/files", handle_list, RANK_MEMBER, 0},
    {"GET", "/api/v1/courses/:id/files/:fid", handle_download, RANK_MEMBER, 0},
    {"DELETE", "/api/v1/courses/:id/files/:fid", handle_delete, RANK_STAFF, 0},
    {NULL, NULL, NULL, 0, 0},
};

void course_files_register_routes(void)
{
    router_add_table(file_routes);
}
