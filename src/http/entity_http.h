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
/* Replies rec as JSON with status. */
void entity_reply(request *r, const entity *e, int status, const void *rec);

/* GET <path>/:id: the record as the caller's scope sees it (404 otherwise). */
void entity_handle_get(request *r);
/* GET <path>: a page of the records the caller's scope sees, newest first (the entity's order);
 * ?org_id= narrows to a subtree (404 when outside the scope), ?q= matches FF_SEARCH fields,
 * ?<field>= matches an FF_FILTER field exactly (an enum's value checked, a bool's true|false),
 * page and page_size. */
void entity_handle_list(request *r);
/* The list's filters from the query, appended to where (which entity_list_where() started);
 * for a module's own list handler that adds rules of its own. false after a 422. */
bool entity_query_filters(request *r, const entity *e, qb *where);

#endif
