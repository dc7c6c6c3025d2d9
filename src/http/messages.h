/* messages.h - the catalog of the server's messages, for the UI to translate errors by their
 * message_key (http/reply.h) instead of splitting "中文 / English" texts:
 *     GET /api/v1/messages -> {"messages": {"m1a2b3c4d": {"zh": "…{0}…", "en": "…{0}…"}}}
 * A message's printf conversions become {0}, {1}, … in the order of the whole template, so the
 * error's params fill either language. The catalog is built once from every reply_error() format
 * and MESSAGE() (the kepu_msg linker set), the error tables filed with ERRORS_IN_CATALOG(), and the
 * registered entities' error tables. Public: a static document, no database work. */
#ifndef KEPU_MESSAGES_H
#define KEPU_MESSAGES_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The catalog's "messages" object (borrowed: built once, kept for the process). */
const json_t *messages_catalog(void);
/* Splits a template into its two languages with {n} placeholders; false when it is not
 * exactly "中文 / English" (the catalog leaves such a text out; the unit test lists them). */
bool messages_split(const char *template_text, char *zh, char *en, size_t len);
/* Calls fn for every template in the catalog's sources, duplicates included (unit tests). */
void messages_foreach(void (*fn)(const char *template_text, void *cls), void *cls);
void messages_register_routes(void);

#endif
