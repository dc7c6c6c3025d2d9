/* audit.c - writing the change and login logs (see audit.h). */
#include "audit/audit.h"
#include "core/timeutil.h"
#include "core/jsonw.h"
#include "db/query.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The times change with every write; empty on both sides or equal is no change either. */
static bool unchanged(const char *key, json_t *b, json_t *a)
{
    bool b_empty = !b || json_is_null(b), a_empty = !a || json_is_null(a);
    return !strcmp(key, "updated_at") || !strcmp(key, "created_at") || (b_empty && a_empty) ||
           (b && a && json_equal(b, a));
}

static void diff_one(json_t *out, const char *key, json_t *b, json_t *a)
{
    if (unchanged(key, b, a)) return;
    json_object_set_new(out, key, json_pack("{s:O?, s:O?}", "before", b, "after", a));
}

json_t *audit_diff(json_t *before, json_t *after)
{
    json_t *out = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(before, key, v) diff_one(out, key, v, after ? json_object_get(after, key) : NULL);
    json_object_foreach(after, key, v)
        if (!before || !json_object_get(before, key)) diff_one(out, key, NULL, v);
    return out;
}

static int by_name(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

static void write_value(jw *w, json_t *v)
{
    if (!v) { jw_null(w); return; }
    switch (json_typeof(v)) {
    case JSON_STRING: jw_str(w, json_string_value(v)); return;
    case JSON_INTEGER: jw_int(w, json_integer_value(v)); return;
    case JSON_TRUE: jw_bool(w, true); return;
    case JSON_FALSE: jw_bool(w, false); return;
    case JSON_NULL: jw_null(w); return;
    default: {
        char *t = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
        jw_raw(w, t ? t : "null");
        free(t);
    }
    }
}

/* The text of audit_diff(before, after) (keys sorted), written directly: building the diff as
 * objects and dumping it was most of the cost of auditing a write. malloc'd. */
char *audit_changes_text(json_t *before, json_t *after)
{
    size_t n = json_object_size(before) + json_object_size(after), k = 0;
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    if (!keys) return NULL;
    const char *key;
    json_t *v;
    json_object_foreach(before, key, v) keys[k++] = key;
    json_object_foreach(after, key, v)
        if (!before || !json_object_get(before, key)) keys[k++] = key;
    qsort(keys, k, sizeof *keys, by_name);
    jw w;
    jw_init(&w);
    jw_obj(&w);
    for (size_t i = 0; i < k; i++) {
        json_t *b = before ? json_object_get(before, keys[i]) : NULL, *a = after ? json_object_get(after, keys[i]) : NULL;
        if (unchanged(keys[i], b, a)) continue;
        jw_key_escaped(&w, keys[i]);
        jw_obj(&w);
        jw_key(&w, "after"), write_value(&w, a);
        jw_key(&w, "before"), write_value(&w, b);
        jw_obj_end(&w);
    }
    jw_obj_end(&w);
    free(keys);
    return sbuf_steal(&w.b);
}

int audit_record(db *c, actor who, const char *org_path, const char *entity,
                 int64_t entity_id, const char *action, json_t *before, json_t *after)
{
    char *changes = audit_changes_text(before, after);
    if (!changes) return DB_ERR;
    int rc = audit_record_text(c, who, org_path, entity, entity_id, action, changes);
    free(changes);
    return rc;
}

int audit_login(db *c, const char *username, int64_t user_id, const char *org_path, bool success,
                const char *reason, const char *ip, const char *user_agent)
{
    char at[32];
    time_now_rfc3339(at);
    /* Usernames and user agents are client text: cut them to a sane length. */
    char name[65], ua[201];
    snprintf(name, sizeof name, "%s", username ? username : "");
    snprintf(ua, sizeof ua, "%s", user_agent ? user_agent : "");
    qb q;
    qb_init(&q, "INSERT INTO login_log (at, username, user_id, org_path, success, reason, ip, user_agent) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    qb_text(&q, at);
    qb_text(&q, name);
    qb_int_or_null(&q, user_id);
    qb_text(&q, org_path);
    qb_int(&q, success);
    qb_text(&q, reason);
    qb_text(&q, ip);
    qb_text(&q, ua);
    return qb_exec(c, &q, NULL);
}
