/* resources.h - the course resource library (资源库, issue 18 A): videos, audio, slides,
 * documents, e-books and image sets uploaded by any node, with versions of their file, reviewed
 * by the level above the uploader and then shared down the tree from the approving node.
 *
 * Status: draft -> pending (submit, by the uploader's side) -> approved | rejected (review, by
 * staff of a node strictly above the uploader's; the top node approves its own); rejected ->
 * pending again after a change; any -> withdrawn. A draft or rejected resource never used by a
 * course may be deleted; any other is withdrawn instead.
 *
 * Scope (resource_entity's scope_rule): the normal path scope (the uploader's node and the nodes
 * above it) reads and writes; once approved, every user whose node is under shared_path reads it
 * too, read-only (writes check scope_covers() of the uploader's path: RES_READ_ONLY otherwise).
 *
 * Strings of read records live in the given arena; nothing here is freed by the caller except
 * what a function says. */
#ifndef KEPU_RESOURCES_H
#define KEPU_RESOURCES_H
#include "auth/principal.h"
#include "core/arena.h"
#include "db/db.h"
#include "model/entity.h"
#include <stdbool.h>
#include <stdint.h>

enum {
    RES_NOT_FOUND = -2800,         /* missing or outside the caller's scope */
    RES_ORG_NOT_FOUND = -2801,     /* org_id outside the scope */
    RES_STATE = -2802,             /* the status does not allow this */
    RES_NOT_REVIEWER = -2803,      /* the caller's node is not above the uploader's */
    RES_READ_ONLY = -2804,         /* seen through sharing only: the uploader's side writes */
    RES_IN_USE = -2805,            /* used by a course: withdraw instead of delete */
    RES_BAD_TOPIC = -2806,         /* a topic that is no teaching category */
    RES_BAD_FILE = -2807,          /* a PDF whose text cannot be read */
    RES_VERSION_NOT_FOUND = -2808,
    RES_NO_VERSION = -2809,        /* submit without a file */
    RES_BAD_DECISION = -2810,
    RES_COURSE_NOT_FOUND = -2811,
    RES_BAD_STARS = -2812,
    RES_USE_NOT_FOUND = -2813,
    RES_KIND_MISMATCH = -2814,     /* a video for an audio resource, a PDF for a video... */
    RES_NO_POSTER = -2815,
};

extern const char *const resource_kinds[];     /* video audio slides document ebook images */
extern const char *const resource_statuses[];  /* draft pending approved rejected withdrawn */

typedef struct resource {
    int64_t id, org_id, views, rating_count, rating_sum, reviewed_by, created_by, current_version, uses;
    const char *org_path, *org_name, *title, *summary, *kind, *topics, *audience, *authors, *licence;
    const char *status, *shared_path, *review_comments, *reviewed_at, *rating, *created_at, *updated_at;
    bool premium;
    bool is_public;        /* open to the public: the portal lists it once approved */
    bool writable;       /* a read by id: the caller's normal scope covers the uploader's node */
} resource;

typedef struct resource_version {
    int64_t id, resource_id, version_no, size, text_chars, created_by;
    const char *org_path, *name, *mime, *sha256, *created_at;
    int64_t duration_ms, width, height;   /* a video's or an audio's, from the media probe (0: none) */
    const char *codec, *poster_sha256;    /* poster_sha256: a video's poster frame (PNG) or NULL */
    bool poster;
} resource_version;

extern entity resource_entity, resource_version_entity;
extern const struct error_row resource_errors[];

/* ---- resources.c ---- */
/* The resource as p sees it (shared ones too). */
int resources_get(db *c, const principal *p, arena *a, int64_t id, resource *out);
/* For handlers (resources_api.c): the resource named by the route's first parameter, read as
 * resources_get() does in r's caller's scope; false after replying (400, 404, 503). */
struct request;
bool resource_of_request(struct request *r, resource *out);
/* A draft of in (a resource, its org_id in p's scope, the caller's node when 0), as the generic
 * POST /resources does it (the entity's create hook); *out (a resource) the stored row. */
int resources_create(db *c, const principal *p, arena *a, const void *in, void *out);
/* The resource as p may write it: RES_READ_ONLY when p sees it through sharing only. */
int resources_get_writable(db *c, const principal *p, arena *a, int64_t id, resource *out);
/* Rewrites resources.search_text from its title, summary and the current version's text. Inside
 * the caller's transaction. */
int resources_set_search_text(db *c, int64_t id);

/* ---- resource_flow.c ---- */
int resources_submit(db *c, const principal *p, arena *a, int64_t id, resource *out);
/* decision "approve" or "reject"; comments may be NULL. */
int resources_review(db *c, const principal *p, arena *a, int64_t id, const char *decision, const char *comments,
                     resource *out);
int resources_withdraw(db *c, const principal *p, arena *a, int64_t id, resource *out);

/* ---- resource_search.c ---- */
/* Appends " AND ..." matching text q in a resource's title, summary or current version's text
 * (a trigram index for 3+ characters, a substring match for shorter ones; see resource_search.c). */
void resources_search(db *c, arena *a, const char *q, qb *where);

/* ---- resource_versions.c ---- */
void resource_versions_register_routes(void);
/* A new version of resource id from the file at path (moved into the store on success), named
 * name: a PDF (its text read for search), an image or an Office file, as an upload would be
 * checked; video and audio only through the upload route (its media probe): RES_KIND_MISMATCH.
 * RES_BAD_FILE for a file of no allowed type or an unreadable PDF. *out (may be NULL) the row. */
int resources_add_file(db *c, const principal *p, arena *a, int64_t id, const char *path, const char *name,
                       resource_version *out);

/* ---- resources_demo.c ---- */
struct demo_context;
/* The demo city's library: the city's approved, public resources (PDFs drawn here, so their text
 * is searched), with views; through the module's own writers. 0 on success. */
int demo_step_resources(db *c, const struct demo_context *x);

/* ---- resource_uses.c ---- */
/* The statistics' keyed metric resource_views and its key source (start-up, idempotent). */
void resource_uses_init(void);
void resource_uses_register_routes(void);
/* Counts n views of resource id at the node org_path on day (YYYY-MM-DD): the row's views, the
 * node's day in resource_view_days and the statistics' resource_views. Unscoped: it reads
 * nothing, the caller must have read the resource in its own scope first (a user's, or a screen's
 * node's). Inside the caller's transaction. */
int resources_count_views_unscoped(db *c, int64_t id, const char *org_path, const char *day, int64_t n);

/* ---- resource_text.c ---- */
/* The text of the PDF at path (at most max_pages pages and max_bytes bytes, in a), or NULL when
 * the file cannot be read as a PDF. */
const char *resource_pdf_text(const char *path, int max_pages, size_t max_bytes, arena *a);
/* Joins the lines of a page's text in place: a line break between two non-ASCII characters is
 * dropped (Chinese has no spaces, a PDF breaks its lines anywhere), any other run of line breaks
 * becomes one space (none at the ends). Never lengthens t. */
void resource_text_join_lines(char *t);

void resources_init(void);
void resources_register_routes(void);

/* ---- resources_bench.c ---- */
/* `kepu bench-fill --resources N`: N approved public resources shared from the root, with
 * titles and summaries from a fixed vocabulary (bench/portal.sh's search figure). DB_OK. */
int resources_bench_fill(db *c, int64_t n);

#endif
