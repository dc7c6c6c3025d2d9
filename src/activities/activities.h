/* activities.h - the activity register (活动登记): lectures, trainings, publicity events...
 * recorded by any unit in scope, each feeding the statistics roll-ups of its organizer and
 * every ancestor in the same transaction (create, edit and delete keep totals exact).
 * Every function takes the caller's principal; records outside its scope do not exist.
 * Strings of a returned activity live in the given arena. */
#ifndef KEPU_ACTIVITIES_H
#define KEPU_ACTIVITIES_H
#include "auth/principal.h"
#include "core/arena.h"
#include "db/db.h"
#include "core/jsonw.h"
#include "stats/stats.h"

enum {
    ACT_NOT_FOUND = -300,
    ACT_ORG_NOT_FOUND = -301,
    ACT_BAD_KIND = -302,
};

typedef struct activity {
    int64_t id, org_id, created_by;
    const char *org_path, *org_name, *kind, *title, *start_date, *end_date, *place, *audience;
    const char *tags;            /* JSON array text */
    const char *co_organizers, *description, *created_at, *updated_at;
    const char *stream_url, *replay_url;   /* the "科普+" live room's links (NULL: none) */
    bool is_public;              /* shown on the public portal's calendar */
    int64_t stream_viewers;      /* visitors of its live room, counted by the portal */
    stats_values counts;         /* counts.v[M_ACTIVITIES] is always 1 */
} activity;

/* The declared records (model/entity.h): an activity; the kinds and audiences dictionaries. */
extern struct entity activity_entity, activity_kind_entity, activity_audience_entity;

/* The entity's writers (the generic handlers): x and out are activities. */
int activities_create(db *c, const principal *p, arena *a, const void *x, void *out);
int activities_update(db *c, const principal *p, arena *a, int64_t id, const void *x, void *out);
int activities_delete(db *c, const principal *p, arena *a, int64_t id);
/* The entity's input rule after the field table's (activities_api.c): dates in order. */
struct request;
bool activity_input(struct request *r, void *rec, bool creating);

/* Writes the activities matching where (" WHERE ..." with the caller's scope, released; oldest
 * first, at most max_rows) as rows of an Excel sheet of ACTIVITY_EXPORT_COLS columns: 开始日期,
 * 结束日期 (date cells), 活动名称, 活动类型, 主办机构, 活动地点, 受众人群, 标签, 协办单位, 活动简介,
 * then the seven counts from 参与人数 (numbers, column 10 on), then 登记时间 (a date cell). */
#define ACTIVITY_EXPORT_COLS 18
#define ACTIVITY_EXPORT_FIRST_COUNT 10
struct xlsx;
struct qb;
int activities_export(db *c, struct qb *where, int64_t max_rows, struct xlsx *out);

/* Bulk path: count raw records spread over the year across points, streets, districts,
 * societies and bases, without roll-ups (call stats_rebuild() after). 0 on success. */
int activities_bulk_generate(db *c, int64_t count, int year);

/* The dictionaries (dictionaries.c): kinds {"code","name","sort","active"}, audiences
 * {"code","name","sort"}. A kind is added (code unique: DICT_DUPLICATE) or changed
 * (DICT_NOT_FOUND) over HTTP only, audited as entity activity_kind. */
enum { DICT_NOT_FOUND = -310, DICT_DUPLICATE = -311 };
typedef struct activity_kind {
    const char *code, *name;
    int64_t sort;
    bool active;
} activity_kind;
void activity_dictionaries_register_routes(void);
/* The Excel import (activities_import.c): GET /activities/import/template.xlsx, POST /activities/import. */
void activities_import_register_routes(void);
/* Photos and attachments (activities.c): POST /activities/:id/files (the raw bytes, X-File-Name),
 * GET /activities/:id/files, GET /files/:id, DELETE /activities/:id/files/:fid. */
extern const struct attachment_kind activity_files;

/* activities_init(): tells stats how to recompute its figures from activities, and orgs that
 * activities keep path copies. activities_register(): that, plus the routes. */
void activities_init(void);
void activities_register(void);

#endif
