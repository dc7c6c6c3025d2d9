/* activity_files.c - photos and attachments of activities, through the shared attachment
 * handlers (files/attachments.h): POST /activities/:id/files (the raw bytes, X-File-Name),
 * GET /activities/:id/files, GET /files/:id, DELETE /activities/:id/files/:fid. Each file
 * follows its activity's scope. */
#include "activities/activities.h"
#include "files/attachments.h"
#include "model/entity.h"
#include "http/router.h"
#include "orgs/orgs.h"

static int load_activity(db *c, const principal *p, arena *a, int64_t id, const char **org_path)
{
    activity x;
    int rc = entity_get(c, &activity_entity, &p->scope, a, id, &x);
    if (rc == DB_OK) *org_path = x.org_path;
    return rc;
}

static const attachment_kind activity_files = {
    .table = "activity_files", .owner_table = "activities", .owner_col = "activity_id",
    .audit_entity = "activity_file", .noun = "每个活动", .max_per_owner = 50,
    .load_owner = load_activity, .owner_not_found = ACT_NOT_FOUND,
};

static void handle_upload(request *r) { attachments_upload(r, &activity_files); }
static void handle_list(request *r) { attachments_list(r, &activity_files); }
static void handle_download(request *r) { attachments_download(r, &activity_files, false); }
static void handle_delete(request *r) { attachments_delete(r, &activity_files); }

static const struct route file_routes[] = {
    {"POST", "/api/v1/activities/:id/files", handle_upload, RANK_STAFF, ROUTE_RAW_BODY, .summary = "Attach a photo or file to an activity (活动照片和附件)"},
    {"GET", "/api/v1/activities/:id/files", handle_list, RANK_MEMBER, 0, .summary = "The files of an activity"},
    {"DELETE", "/api/v1/activities/:id/files/:fid", handle_delete, RANK_STAFF, 0, .summary = "Remove a file from an activity"},
    {"GET", "/api/v1/files/:id", handle_download, RANK_MEMBER, 0, .summary = "Download a file"},
    {0},
};

void activity_files_register_routes(void)
{
    router_add_table(file_routes);
    orgs_track_path_column("activity_files", "org_path");
}
