/* attachments.h - photos and attachments of a record (an activity, a held course ...): the
 * handlers behind POST /<records>/:id/files (raw bytes, X-File-Name), GET /<records>/:id/files,
 * downloads and DELETE, shared by every module that keeps files with its records.
 *
 * A module describes its kind once: the table of its attachment rows (columns id, <owner_col>,
 * org_path, name, mime, size, sha256, created_by, created_at), the owner table (with org_path and
 * created_by, whose scope the files follow), the audit entity, and how to load an owner in the
 * caller's scope. Its route table then calls the functions below; they reply themselves. The bytes
 * live in the file store (files/files.h), typed by sniffing, never by the client. */
#ifndef KEPU_ATTACHMENTS_H
#define KEPU_ATTACHMENTS_H
#include "auth/principal.h"
#include "db/db.h"
#include "http/request.h"
#include <jansson.h>

typedef struct attachment_kind {
    const char *table;          /* "activity_files" */
    const char *owner_table;    /* "activities" */
    const char *owner_col;      /* "activity_id": also the owner's key in the JSON answer */
    const char *audit_entity;   /* "activity_file" */
    const char *noun;           /* "每个活动": the Chinese half of the too-many-files message */
    int max_per_owner;
    /* The owner in the caller's scope: DB_OK with its org path (arena string), owner_not_found,
     * or a DB code. */
    int (*load_owner)(db *c, const principal *p, arena *a, int64_t id, const char **org_path);
    int owner_not_found;
} attachment_kind;

/* The audit, reached through a hook so that files/ includes no module: audit_record()'s shape
 * (audit/audit.h); before and after are borrowed. The audit module sets it at start-up
 * (app_modules.c), before threads start; until then an upload or delete is refused (503),
 * never left unaudited. */
typedef int (*attachments_audit_fn)(db *c, actor who, const char *org_path, const char *entity, int64_t entity_id,
                                    const char *action, json_t *before, json_t *after);
void attachments_set_audit_hook(attachments_audit_fn fn);

/* Path parameter 0 is the owner's id; for download and delete, parameter 1 is the file's id,
 * or parameter 0 when owner_in_path is false (GET /files/:id). */
void attachments_upload(request *r, const attachment_kind *k);
void attachments_list(request *r, const attachment_kind *k);
void attachments_download(request *r, const attachment_kind *k, bool owner_in_path);
void attachments_delete(request *r, const attachment_kind *k);

#endif
