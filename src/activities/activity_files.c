/* activity_files.c - photos and attachments of activities: a kind of the shared attachments
 * (files/attachments.h), listed in the module's descriptor (app_modules.c), which adds its
 * routes: POST /activities/:id/files (the raw bytes, X-File-Name), GET /activities/:id/files,
 * GET /files/:id, DELETE /activities/:id/files/:fid. Each file follows its activity's scope. */
#include "activities/activities.h"
#include "files/attachments.h"
#include "model/entity.h"

const attachment_kind activity_files = {
    .table = "activity_files", .owner_table = "activities", .owner_col = "activity_id",
    .audit_entity = "activity_file", .noun = "每个活动", .max_per_owner = 50, .owner = &activity_entity,
    .path = "/api/v1/activities/:id/files", .download_path = "/api/v1/files/:id", .what = "an activity",
};
