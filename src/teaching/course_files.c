/* course_files.c - photos and attachments of a held course's record, through the shared
 * attachment handlers (files/attachments.h): POST /courses/:id/files (the raw bytes,
 * X-File-Name), GET /courses/:id/files, GET and DELETE /courses/:id/files/:fid. Each file
 * follows its course's scope. */
#include "teaching/teaching.h"
#include "files/attachments.h"
#include "http/router.h"
#include "orgs/orgs.h"

static int load_course(db *c, const principal *p, arena *a, int64_t id, const char **org_path)
{
    course x;
    int rc = entity_get(c, &course_entity, &p->scope, a, id, &x);
    if (rc == DB_OK) *org_path = x.org_path;
    return rc;
}

static const attachment_kind course_files = {
    .table = "course_files", .owner_table = "courses", .owner_col = "course_id",
    .audit_entity = "course_file", .noun = "每个课程", .max_per_owner = 50,
    .load_owner = load_course, .owner_not_found = TEACH_NOT_FOUND,
};

static void handle_upload(request *r) { attachments_upload(r, &course_files); }
static void handle_list(request *r) { attachments_list(r, &course_files); }
static void handle_download(request *r) { attachments_download(r, &course_files, true); }
static void handle_delete(request *r) { attachments_delete(r, &course_files); }

static const struct route file_routes[] = {
    {"POST", "/api/v1/courses/:id/files", handle_upload, RANK_STAFF, ROUTE_RAW_BODY, .summary = "Attach a photo or file to a course's record (课程照片和附件)"},
    {"GET", "/api/v1/courses/:id/files", handle_list, RANK_MEMBER, 0, .summary = "The files of a course"},
    {"GET", "/api/v1/courses/:id/files/:fid", handle_download, RANK_MEMBER, 0, .summary = "Download a course's file"},
    {"DELETE", "/api/v1/courses/:id/files/:fid", handle_delete, RANK_STAFF, 0, .summary = "Remove a course's file"},
    {0},
};

void course_files_register_routes(void)
{
    router_add_table(file_routes);
}
