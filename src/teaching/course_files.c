/* course_files.c - photos and attachments of a held course's record: a kind of the shared
 * attachments (files/attachments.h), listed in the module's descriptor (app_modules.c), which
 * adds its routes: POST /courses/:id/files (the raw bytes, X-File-Name), GET /courses/:id/files,
 * GET and DELETE /courses/:id/files/:fid. Each file follows its course's scope. */
#include "teaching/teaching.h"
#include "files/attachments.h"
#include "model/entity.h"

const attachment_kind course_files = {
    .table = "course_files", .owner_table = "courses", .owner_col = "course_id",
    .audit_entity = "course_file", .noun = "每个课程", .max_per_owner = 50, .owner = &course_entity,
    .path = "/api/v1/courses/:id/files", .what = "a course",
};
