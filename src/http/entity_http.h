/* entity_http.h - the HTTP side of declared record types (model/entity.h): reading a body into a
 * record by its field table, with docs/api.md's 422s, and the generic handlers a route row names
 * for the routine reads:
 *
 *     {"GET", "/api/v1/teachers/:id", entity_handle_get, RANK_MEMBER, 0, .summary = "One teacher",
 *      .entity = &teacher_entity},
 *
 * Both generic handlers answer the module's errors from its entity's error table. */
#ifndef KEPU_ENTITY_HTTP_H
#define KEPU_ENTITY_HTTP_H
#include "http/request.h"
#include "model/entity.h"
#include <stdbool.h>

/* Applies the body onto rec (zeros for a create, the stored record for an update): only fields
 * writable for this mode are accepted (a read-only one is read_only_field, another unknown_field),
 * each checked by its type, limits and check(); required ones must be there on create. Replies
 * and returns false on bad input; strings point into the request. */
bool entity_read_body(request *r, const entity *e, void *rec, bool creating);

/* Answers rc from e's error table; e->not_found missing from it is a plain 404. */
void entity_reply_error(request *r, const entity *e, int rc);
/* Replies rec as JSON with status (by e->write when the entity has one). */
void entity_reply(request *r, const entity *e, int status, const void *rec);
/* The end of a write handler: rc's error from e's table, else rec with status (rec NULL: an
 * empty answer, e.g. 204). */
void entity_reply_result(request *r, const entity *e, int rc, int status, const void *rec);

/* GET <path>/:id: the record as the caller's scope sees it (404 otherwise). */
void entity_handle_get(request *r);
/* GET <path>/:id answered by a module's writer of the record (the route's cls, an entity_writer):
 * the record of writer->e as the caller's scope sees it, then the JSON the writer makes of it
 * (a teacher's page, a course's attendance); errors from writer->e's table. */
typedef struct entity_writer {
    const entity *e;
    int (*write)(db *c, const principal *p, arena *a, const void *rec, jw *w);
} entity_writer;
void entity_handle_write(request *r);
/* GET <path>: a page of the records the caller's scope sees, newest first (the entity's order);
 * ?org_id= narrows to a subtree (404 when outside the scope), ?q= matches FF_SEARCH fields,
 * ?<field>= matches an FF_FILTER field exactly (an enum's value checked, an int's range when
 * min < max; a bool is true, false, 1 or 0), page and page_size. */
void entity_handle_list(request *r);
/* POST <path>: the body by the field table and e->input, e->create, 201 with the record. */
void entity_handle_create(request *r);
/* PATCH <path>/:id: the stored record as the scope sees it, the body applied onto it (field
 * table, e->input), e->update, 200 with the record. */
void entity_handle_update(request *r);
/* DELETE <path>/:id: e->remove, 204. */
void entity_handle_delete(request *r);
/* The list's filters from the query, appended to where (which entity_list_where() started);
 * for a module's own list handler that adds rules of its own. false after a 422. */
bool entity_query_filters(request *r, const entity *e, qb *where);
/* The generic list's where from the request, for a module's own list or export: the scope,
 * ?org_id='s subtree (e->org_not_found outside the scope) and entity_query_filters(). Replies and
 * returns false on an error (where is then released); c may be NULL (no connection: 503). */
bool entity_request_where(request *r, db *c, const entity *e, qb *where);

/* A module's own list handler in two steps: entity_list_begin() reads what entity_handle_list
 * reads (?org_id=, 404 when outside the scope; ?q= and FF_FILTER members; page, page_size) and
 * starts where (" WHERE ..."), replying and returning false on bad input (c NULL: 503); the
 * module appends its own rules, then entity_reply_list() answers one page in order (NULL: the
 * entity's). */
struct page;
bool entity_list_begin(request *r, db *c, const entity *e, qb *where, struct page *pg);
void entity_reply_list(request *r, db *c, const entity *e, qb *where, const char *order, const struct page *pg);

#endif
