/* entity.h - record types declared once, as tables (in the spirit of Redis's command table):
 * each field's column, JSON name, type, writability, limits and personal-data handling, and the
 * type's scope rule. Shared code derives from the table what every module used to write by hand:
 * the row reader, the JSON writer (with masks), the scoped get-by-id, the scoped list with its
 * subtree filter, the body reader (http/entity_http.h) and the API document's schemas.
 *
 * A module declares a C struct for its record and an entity describing it:
 *
 *     static const field teacher_fields[] = {
 *         {"id", "t.id", FT_ID, offsetof(teacher, id), 0},
 *         {"name", "t.name", FT_TEXT, offsetof(teacher, name), FF_WRITE | FF_REQUIRED, .max = 50},
 *         ...
 *         {0},
 *     };
 *     entity teacher_entity = {
 *         .name = "teacher", .from = " FROM teachers t JOIN orgs o ON o.id = t.org_id",
 *         .id_column = "t.id", .path_column = "t.org_path", .owner_column = "t.created_by",
 *         .order = " ORDER BY t.id DESC", .size = sizeof(teacher), .fields = teacher_fields,
 *         .not_found = TCH_NOT_FOUND, .org_not_found = TCH_ORG_NOT_FOUND,
 *     };
 *
 * Scope by construction: entity_get() and entity_list_where() are the only ways to read a record
 * by id or a list of them, and both take the caller's scope (never NULL). A read without one is
 * entity_get_unscoped(), whose every caller says why in a comment.
 *
 * Ownership: strings of a read record live in the given arena; entities and their field tables
 * are static and never freed. entity_prepare() must run once per entity before threads start
 * (the module registry does it). */
#ifndef KEPU_ENTITY_H
#define KEPU_ENTITY_H
#include "auth/principal.h"
#include "core/arena.h"
#include "core/errors.h"
#include "core/jsonw.h"
#include "db/db.h"
#include "db/query.h"
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct request;

/* How a field is stored in the C struct, the database and JSON. */
enum field_type {
    FT_ID = 1,     /* int64_t, an id that is always present */
    FT_INT,        /* int64_t */
    FT_INT_NULL,   /* int64_t, SQL NULL read as 0 and 0 written as JSON null (an optional reference) */
    FT_INT32,      /* int, e.g. a depth or a count */
    FT_BOOL,       /* bool, stored as 0/1 */
    FT_TEXT,       /* const char *, one line; JSON string or null */
    FT_MULTILINE,  /* const char *, a pasted paragraph (tab, CR, LF allowed) */
    FT_DAY,        /* const char *, YYYY-MM-DD */
    FT_TIME,       /* const char *, a timestamp (RFC 3339, Asia/Shanghai) written by the server */
    FT_ENUM,       /* const char *, one of field.choices */
    FT_TEXT_LIST,  /* const char *, a JSON array of short texts kept as its text */
    FT_JSON,       /* const char *, JSON text of our own, written as is (null when NULL) */
};

enum field_flag {
    FF_CREATE = 1 << 0,     /* a client may set it on create */
    FF_UPDATE = 1 << 1,     /* a client may change it on update */
    FF_WRITE = FF_CREATE | FF_UPDATE,
    FF_REQUIRED = 1 << 2,   /* required on create */
    FF_HIDDEN = 1 << 3,     /* read into the struct, never written to JSON (a blind index, a hash) */
    FF_ENCRYPTED = 1 << 4,  /* stored with pii_encrypt, read with pii_decrypt (core/pii.h) */
    FF_MASK_ID = 1 << 5,    /* JSON shows mask_id_number() of it */
    FF_MASK_PHONE = 1 << 6, /* JSON shows mask_phone() of it */
    FF_FILTER = 1 << 7,     /* the generic list accepts ?<name>=value (exact match; enum checked) */
    FF_SEARCH = 1 << 8,     /* the generic list's ?q= matches it as a substring */
    FF_NO_SELECT = 1 << 9,  /* not a column: the module fills it (JSON and schema still list it) */
    FF_OMIT_NULL = 1 << 10, /* left out of the JSON when NULL (a member only some answers carry) */
    FF_BODY_OWN = 1 << 11,  /* writable (with FF_CREATE/FF_UPDATE), but a structured value the module
                             * reads from the body itself: entity_read_body() accepts and skips it */
    FF_NONEMPTY = 1 << 12,  /* optional, but never cleared: a null leaves it as it is and a text must
                             * be 1..max characters (what FF_REQUIRED asks, without requiring it) */
};

typedef struct field {
    const char *name;            /* the JSON name (and by convention the struct member) */
    const char *column;          /* the select expression, e.g. "t.name" or "o.name" */
    enum field_type type;
    size_t offset;               /* offsetof(record, member) */
    unsigned flags;              /* enum field_flag */
    int64_t min, max;            /* text: max characters (0: no limit); ints: range when min < max */
    const char *const *choices;  /* FT_ENUM, FT_TEXT_LIST (each item; NULL: any): NULL-terminated */
    /* A text's own rule after its type's: NULL when good, else the 422 message ("中文 / English").
     * It may rewrite *value (an ID number's x upper-cased). */
    const char *(*check)(arena *a, const char **value);
    int item_chars;              /* FT_TEXT_LIST: characters per item (max is the item count) */
    /* A structured member (FT_JSON) a client writes: checks the body's JSON value v and sets *out
     * to the text to store (in a), or returns the 422 message ("中文 / English"). */
    const char *(*check_json)(arena *a, json_t *v, const char **out);
    const char *example;         /* for the API document; JSON text ("\"张三\"", "3") */
    const char *doc;             /* one line for the API document */
} field;

typedef struct entity {
    const char *name;            /* "teacher": the audit's entity and the API schema's name */
    const char *from;            /* " FROM teachers t JOIN orgs o ON o.id = t.org_id" */
    const char *count_from;      /* optional: the FROM of a list's total when the joins only add
                                  * columns (" FROM resources r"): counting many matches then
                                  * reads no joined row. The where must not name a joined table. */
    const char *count_index;     /* optional, SQLite only: the index that total reads (INDEXED BY):
                                  * one covering every column a list's where names, so counting
                                  * thousands of matches reads no row. Without statistics SQLite
                                  * would look each match up by rowid in the table instead. */
    const char *id_column;       /* "t.id" */
    /* The scope rule, once: the org path column the scope filters on, and for records that have
     * an owner, the user column a 'self' scope sees (else 'self' sees its own org's records).
     * A rule that is neither (a record visible through another's path) sets scope_rule. */
    const char *path_column;
    const char *owner_column;
    void (*scope_rule)(const scope *sc, qb *q);
    const char *order;           /* the list's default " ORDER BY ..." */
    size_t size;                 /* sizeof the record */
    const field *fields;         /* ended by a row whose name is NULL */
    int not_found, org_not_found;/* the module's codes: no such record; org_id out of scope */
    const struct error_row *errors; /* the module's error table (core/errors.h) */
    /* Optional: completes every record read (by id, entity_get_where(), a list, entity_each): its
     * FF_NO_SELECT fields, those of another module, computed ones. A read by id may be refused with
     * not_found for a scope rule SQL cannot say; sc is NULL for an unscoped read and for lists.
     * DB_OK or a code (a list then fails). */
    int (*complete)(db *c, const scope *sc, arena *a, void *rec);
    /* Optional: completes the n records of a list's page together (one query for all, e.g. a
     * user's memberships) before they are written, and a record read by id (n = 1); recs is an
     * array of n records of e->size. */
    int (*complete_page)(db *c, arena *a, void *recs, int n);
    const char *doc;             /* one line for the API document */
    /* The module's writers, for the generic create/update/delete handlers (http/entity_http.h);
     * each runs its own transaction, audit and rules. NULL: the module has its own handler. */
    int (*create)(db *c, const principal *p, arena *a, const void *in, void *out);
    int (*update)(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out);
    int (*remove)(db *c, const principal *p, arena *a, int64_t id);
    /* The module's input rules after the field table's (defaults, one field against another);
     * replies and returns false on bad input. NULL: none. */
    bool (*input)(struct request *r, void *rec, bool creating);
    /* Optional: called on each record entity_read_row() reads, for values derived from the row
     * (a letter valid in the table but past its term reads as expired). */
    void (*on_read)(void *rec, arena *a);
    /* Optional: writes the answer of a read by id or a write of the generic handlers (entity_reply)
     * in place of entity_write, for one that carries more than the record (a plan's items and
     * steps). DB_OK or a code of the entity's table. */
    int (*write)(db *c, arena *a, const void *rec, jw *w);
    /* Filled by entity_prepare(). */
    const char *cols;            /* the select list */
    int nfields;
    int ncols;                   /* columns in cols: the first extra column's index (entity_each) */
} entity;

/* Builds e's select list; once per entity, before threads start. Idempotent. */
void entity_prepare(entity *e);
/* e's select list, for a module's own query of e's rows (read with entity_read_row). */
const char *entity_cols(const entity *e);
const field *entity_field(const entity *e, const char *name);

/* Reads the current row (selected with e->cols first) into out, zeroing it first. */
void entity_read_row(const entity *e, db_stmt *s, arena *a, void *out);

/* Writes rec as a JSON object; entity_write_fields writes its members without the braces, for
 * a module adding members of its own. Masked fields show their mask; hidden ones nothing. */
void entity_write(jw *w, const entity *e, const void *rec);
void entity_write_fields(jw *w, const entity *e, const void *rec);
/* The same without masks: only for a person's own record shown to that person (GET /me). */
void entity_write_fields_unmasked(jw *w, const entity *e, const void *rec);
/* The same as a jansson value (the audit's before/after); a new reference. */
json_t *entity_json(const entity *e, const void *rec);

/* Audits a change of a record of e (entity e->name, the record id under org_path): before and
 * after (either NULL) in their JSON form, numbers masked. DB_OK or a DB code. */
int entity_audit(db *c, const entity *e, actor who, const char *org_path, int64_t id, const char *action,
                 const void *before, const void *after);

/* Appends the entity's scope rule for sc to q (" AND ..."). */
void entity_scope_filter(const entity *e, const scope *sc, qb *q);

/* The record id as sc sees it: DB_OK, e->not_found (missing or outside the scope) or a DB code. */
int entity_get(db *c, const entity *e, const scope *sc, arena *a, int64_t id, void *out);
/* The record id whatever the scope. Each caller says in a comment why no scope applies (a row the
 * caller's own transaction just wrote, a public flow that proved a key, the system). */
int entity_get_unscoped(db *c, const entity *e, arena *a, int64_t id, void *out);
/* The one row of e matching q's " AND ..." conditions within sc (q is released). */
int entity_get_where(db *c, const entity *e, const scope *sc, arena *a, qb *conds, void *out);
/* The same whatever the scope; each caller says why, as for entity_get_unscoped() (a public flow
 * that proved a key or code). conds may end with an " ORDER BY ... LIMIT 1" (the newest of several). */
int entity_get_where_unscoped(db *c, const entity *e, arena *a, qb *conds, void *out);

/* The path of org org_id if sc sees it: DB_OK, not_found, or a DB code. For a list filtered to
 * a subtree, and for writes that place a record under an org. */
int entity_org_path(db *c, const scope *sc, arena *a, int64_t org_id, int not_found, const char **path);

/* A list: entity_list_where() starts where with " WHERE" the scope rule and, for org_id > 0,
 * the subtree under that org (e->org_not_found when sc does not see it; where is then released);
 * the module appends its own filters (" AND ..."), then entity_list_page() writes one page of
 * items (a JSON array, each record by row_fn, or entity_write when NULL) and the total. */
int entity_list_where(db *c, const entity *e, const scope *sc, arena *a, int64_t org_id, qb *where);
typedef void (*entity_row_fn)(jw *w, const entity *e, const void *rec, void *cls);
int entity_list_page(db *c, const entity *e, qb *where, const char *order, int64_t limit, int64_t offset,
                     arena *a, jw *items, int64_t *total, entity_row_fn row_fn, void *cls);

/* A column a module stores beside a record's writable fields (its org path, times, author). */
typedef struct entity_value {
    const char *column;          /* a column of the table, a constant of the module; NULL ends a list */
    const char *text;            /* bound as text (NULL: SQL NULL) unless is_int */
    int64_t i;
    bool is_int;
} entity_value;

/* Stores rec in table: an INSERT when id is 0, else an UPDATE of row id, of the fields writable
 * in that mode (FF_CREATE / FF_UPDATE; each under its column without the alias, "x.title" ->
 * "title"; FF_ENCRYPTED ones with pii_encrypt, in a) and then the columns of more. *new_id
 * (may be NULL) gets the row's id. rec NULL: the columns of more alone; FF_NO_SELECT fields (no
 * column) are never stored. DB_OK, e->not_found (no row id), or a DB code (DB_UNIQUE). */
int entity_store(db *c, const entity *e, const char *table, int64_t id, const void *rec, const entity_value *more,
                 arena *a, int64_t *new_id);
/* Every row where (" WHERE ... ORDER BY ...", released) selects from e, in order, for an export or
 * a short unpaged list: each read into a record whose strings live in a per-row arena (freed after
 * fn, which may use it too) and handed to fn with the statement. extra (NULL: none) is selected
 * after e's columns: fn reads it from column e->ncols on. fn returns DB_OK to go on; anything
 * else stops and is returned. */
typedef int (*entity_each_fn)(const void *rec, db_stmt *s, arena *row, void *cls);
int entity_each(db *c, const entity *e, const char *extra, qb *where, entity_each_fn fn, void *cls);
/* Every row of e matching where (" WHERE ..." with its values, released), in order (the entity's
 * when NULL, "" when where has its own; it may end with a LIMIT), each written by row_fn or
 * entity_write, as a JSON array: for the short unpaged lists; with items NULL, row_fn only
 * collects. a holds the records' strings (NULL: an arena of each row's own). No scope is added:
 * where carries it (entity_list_where, entity_scope_filter), or the rows are the children of a
 * record read within the caller's scope (its items, its steps) or a dictionary. */
int entity_list_all(db *c, const entity *e, qb *where, const char *order, arena *a, jw *items, entity_row_fn row_fn,
                    void *cls);

/* Module registration: every entity of the app (for the API document and entity_prepare). */
void entity_register(entity *e);
void entity_foreach(void (*fn)(const entity *e, void *cls), void *cls);

#endif
