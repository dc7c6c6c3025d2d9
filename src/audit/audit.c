/* audit.c - writing the change and login logs (see audit.h). */
#include "audit/audit.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool skipped_field(const char *key)
{
    return strcmp(key, "updated_at") == 0 || strcmp(key, "created_at") == 0;
}

static void diff_one(json_t *out, const char *key, json_t *b, json_t *a)
{
    bool b_empty = !b || json_is_null(b), a_empty = !a || json_is_null(a);
    if (skipped_field(key) || (b_empty && a_empty) || (b && a && json_equal(b, a))) return;
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

int audit_record(db *c, const principal *who, const char *org_path, const char *entity,
                 int64_t entity_id, const char *action, json_t *before, json_t *after)
{
    json_t *diff = audit_diff(before, after);
    char *changes = json_dumps(diff, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(diff);
    char at[32];
    time_now_rfc3339(at);
    db_stmt *s = db_prepare(c, "INSERT INTO audit_log (at, user_id, username, org_path, entity, "
                               "entity_id, action, changes, request_id, ip) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    int rc = DB_ERR;
    if (s && changes) {
        db_bind_text(s, 1, at);
        if (who) db_bind_int(s, 2, who->user_id);
        db_bind_text(s, 3, who ? who->username : "system");
        db_bind_text(s, 4, org_path);
        db_bind_text(s, 5, entity);
        db_bind_int(s, 6, entity_id);
        db_bind_text(s, 7, action);
        db_bind_text(s, 8, changes);
        db_bind_text(s, 9, who ? who->request_id : NULL);
        db_bind_text(s, 10, who ? who->ip : NULL);
        rc = db_exec_stmt(s);
    }
    db_finish(s);
    free(changes);
    return rc;
}

int audit_login(db *c, const char *username, int64_t user_id, const char *org_path, bool success,
                const char *reason, const char *ip, const char *user_agent)
{
    char at[32];
    time_now_rfc3339(at);
    db_stmt *s = db_prepare(c, "INSERT INTO login_log (at, username, user_id, org_path, success, "
                               "reason, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return DB_ERR;
    /* Usernames and user agents are client text: cut them to a sane length. */
    char name[65], ua[201];
    snprintf(name, sizeof name, "%s", username ? username : "");
    snprintf(ua, sizeof ua, "%s", user_agent ? user_agent : "");
    db_bind_text(s, 1, at);
    db_bind_text(s, 2, name);
    if (user_id) db_bind_int(s, 3, user_id);
    db_bind_text(s, 4, org_path);
    db_bind_int(s, 5, success);
    db_bind_text(s, 6, reason);
    db_bind_text(s, 7, ip);
    db_bind_text(s, 8, ua);
    int rc = db_exec_stmt(s);
    db_finish(s);
    return rc;
}

static int move_in(db *c, const char *sql, const char *old_path, const char *new_path)
{
    arena a;
    arena_init(&a);
    db_stmt *s = db_prepare(c, sql);
    int rc = DB_ERR;
    if (s) {
        db_bind_text(s, 1, new_path);
        db_bind_int(s, 2, (int64_t)strlen(old_path) + 1);
        db_bind_text(s, 3, old_path);
        db_bind_text(s, 4, path_upper_bound(&a, old_path));
        rc = db_exec_stmt(s);
        db_finish(s);
    }
    arena_free(&a);
    return rc;
}

int audit_move_paths(db *c, const char *old_path, const char *new_path)
{
    int rc = move_in(c, "UPDATE audit_log SET org_path = ? || substr(org_path, ?) "
                        "WHERE org_path >= ? AND org_path < ?", old_path, new_path);
    if (rc == DB_OK)
        rc = move_in(c, "UPDATE login_log SET org_path = ? || substr(org_path, ?) "
                        "WHERE org_path >= ? AND org_path < ?", old_path, new_path);
    return rc;
}
