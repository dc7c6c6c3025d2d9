/* resource_search.c - the library's search behind GET /resources?q=: one function over a
 * resource's search_text (its title, summary and current version's text). */
#include "resources/resources.h"
#include "db/query.h"

void resources_search(arena *a, const char *q, qb *where)
{
    qb_sql(where, " AND r.search_text LIKE ? ESCAPE '\\'");
    qb_text(where, qb_like_pattern(a, q));
}
