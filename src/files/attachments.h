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
#include "core/arena.h"
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
    /* The owner's record type (model/entity.h): read within the caller's scope, its "org_path"
     * field is the files' path; its not_found answers 404. */
    const struct entity *owner;
    /* The routes (attachments_add_routes): POST and GET <path>, DELETE <path>/:fid, and GET
     * <path>/:fid, or GET download_path ("/api/v1/files/:id") when it is set. what names the
     * owner in the API document ("an activity"). */
    const char *path, *download_path, *what;
    /* Optional: who may add or delete files, when it is fewer than who reads the owner (a call's
     * documents are read by the units below it and written by its managers only): DB_OK, or the
     * owner's not_found code, which answers 404 as for a missing owner. */
    int (*writable)(db *c, const principal *p, arena *a, int64_t owner_id);
    /* The files are read by whoever sees the owner (its entity's scope rule), not by the files'
     * path: a call's documents are downloaded by the units below the call's owner. */
    bool read_through_owner;
} attachment_kind;

/* Adds the four routes of a kind (at start-up, before threads; a module lists its kinds in its
 * descriptor, app_modules.h). */
void attachments_add_routes(const attachment_kind *k);

/* The checks of an upload that need no database: a name (X-File-Name), some bytes, an allowed
 * type (sniffed; an Office package checked inside). On success *name (in r's arena), *mime (a
 * constant) and *size are set; otherwise the 4xx is replied and false returned. Other modules
 * that store uploads (the resource library's versions) take the same checks. */
bool attachments_read_upload(request *r, const char **name, const char **mime, int64_t *size);
/* Its first half, for an upload typed by other rules (the library's videos): the name (as above)
 * and some bytes, then the file's first bytes in head (*n: how many, -1 when unreadable). */
#define ATTACHMENT_HEAD 16
bool attachments_upload_head(request *r, const char **name, unsigned char head[ATTACHMENT_HEAD], long *n);

/* The audit, reached through a hook so that files/ includes no module: audit_record()'s shape
 * (audit/audit.h); before and after are borrowed. The audit module sets it at start-up
 * (app_modules.c), before threads start; until then an upload or delete is refused (503),
 * never left unaudited. */
typedef int (*attachments_audit_fn)(db *c, actor who, const char *org_path, const char *entity, int64_t entity_id,
                                    const char *action, json_t *before, json_t *after);
void attachments_set_audit_hook(attachments_audit_fn fn);

#endif
