/* app.c - module assembly, health, the OpenAPI document and first-start bootstrap. */
#include "app.h"
#include "app_modules.h"
#include "model/entity.h"
#include "accounts/accounts.h"
#include "auth/auth.h"
#include "core/config.h"
#include "core/log.h"
#include "http/messages.h"
#include "http/reply.h"
#include "http/router.h"
#include "orgs/orgs.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

extern const char kepu_openapi_json[];

static void handle_health(request *r)
{
    db *c = db_thread();
    db_stmt *s = c ? db_prepare(c, "SELECT 1") : NULL;
    int rc = s ? db_step(s) : DB_ERR;
    db_finish(s);
    if (rc != DB_ROW) { reply_db_error(r); return; }
    reply_json(r, 200, json_pack("{s:s, s:s, s:s}", "status", "ok", "db", db_kind(c),
                                 "version", KEPU_VERSION));
}

static void handle_openapi(request *r)
{
    json_t *doc = json_loads(kepu_openapi_json, 0, NULL);
    if (!doc) { reply_error(r, 500, "internal", NULL, "API 文档不可用 / API document unavailable"); return; }
    reply_json(r, 200, doc);
}

static const struct route app_routes[] = {
    {"GET", "/api/v1/health", handle_health, ROUTE_PUBLIC, 0, .summary = "Health and storage engine"},
    {"GET", "/api/v1/openapi.json", handle_openapi, ROUTE_PUBLIC, 0, .summary = "This document (OpenAPI 3)"},
    {0},
};

/* One module's start: its record types, then what it tells the other modules. */
static void init_module(const kepu_module *m)
{
    for (struct entity *const *e = m->entities; e && *e; e++) entity_register(*e);
    if (m->init) m->init();
}

void app_init_modules(void)
{
    for (const kepu_module *m = kepu_modules; m->name; m++) init_module(m);
}

int app_register_routes(void)
{
    router_reset();
    router_set_authenticator(auth_authenticate);
    router_add_table(app_routes);
    messages_register_routes();
    for (const kepu_module *m = kepu_modules; m->name; m++) {
        init_module(m);
        if (m->register_routes) m->register_routes();
    }
    char why[512];
    if (router_check_shadowing(why, sizeof why) == 0) return 0;
    fprintf(stderr, "kepu: %s\n", why);
    return -1;
}

static int count_rows(db *c, const char *sql)
{
    db_stmt *s = db_prepare(c, sql);
    int rc = s ? db_step(s) : DB_ERR;
    int n = rc == DB_ROW ? (int)db_col_int(s, 0) : -1;
    db_finish(s);
    return n;
}

/* Root and admin in one transaction: nodes starting together on an empty database race here,
 * and the loser's transaction fails whole (the username is unique) and finds the winner's. */
static int bootstrap_in_tx(db *c, arena *a, const char *password)
{
    org root;
    user u;
    int n = count_rows(c, "SELECT COUNT(*) FROM orgs");
    if (n != 0) return n < 0 ? DB_ERR : 1;
    user_input in = {.username = "admin", .name = "系统管理员", .role = "admin",
                     .data_scope = "all", .password = password};
    int rc = orgs_create_system(c, a, 0, "city", env_or("KEPU_ROOT_NAME", "市科协"), NULL, &root);
    if (rc == DB_OK) {
        in.org_id = root.id;
        rc = accounts_create_system(c, a, &in, &u);
    }
    return rc;
}

int app_bootstrap(db *c)
{
    arena a;
    arena_init(&a);
    char generated[33];
    const char *password = env_or("KEPU_BOOTSTRAP_ADMIN_PASSWORD", NULL);
    if (!password) {
        unsigned char raw[12];
        randombytes_buf(raw, sizeof raw);
        sodium_bin2base64(generated, sizeof generated, raw, sizeof raw,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        password = generated;
    }
    int rc = db_begin(c);
    if (rc == DB_OK) rc = bootstrap_in_tx(c, &a, password);
    if (rc >= 0) rc = db_commit(c) == DB_OK ? rc : DB_ERR;
    else db_rollback(c);
    if (rc < 0 && count_rows(c, "SELECT COUNT(*) FROM orgs") > 0) rc = 1;   /* another node won */
    if (rc == DB_OK && password == generated)
        /* Printed once, on standard error, by design: it is the only way in. */
        fprintf(stderr, "kepu: created user admin with password %s (change it after login)\n", generated);
    arena_free(&a);
    return rc >= 0 ? 0 : -1;
}

db *app_open_database(const char *url)
{
    db *c = NULL;
    char shown[512];
    db_url_redacted(url, shown, sizeof shown);
    if (db_open(url, &c) != DB_OK) {
        fprintf(stderr, "kepu: cannot open database %s: %s\n", shown, db_open_error());
        return NULL;
    }
    if (db_migrate(c) != DB_OK) {
        fprintf(stderr, "kepu: cannot migrate database %s\n", shown);
        db_close(c);
        return NULL;
    }
    return c;
}
