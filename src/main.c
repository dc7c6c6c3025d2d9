/* main.c - the command line: serve, demo, migrate, openapi and the others of usage(). */
#include "app.h"
#include "auth/limiter.h"
#include "auth/auth.h"
#include "core/config.h"
#include "core/log.h"
#include "demo/demo.h"
#include "files/files.h"
#include "core/pii.h"
#include "db/query.h"
#include "migrate_data.h"
#include "activities/activities.h"
#include "calls/calls.h"
#include "calls/calls_verify.h"
#include "resources/resources.h"
#include "stats/stats.h"
#include "checkin/checkin.h"
#include "http/openapi.h"
#include "http/router.h"
#include "http/server.h"
#include "todo/todo_internal.h"
#include <libgen.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr,
            "usage: kepu serve [--listen HOST:PORT] [--db PATH|URL] [--web DIR]\n"
            "       kepu demo [--db PATH]\n"
            "       kepu migrate [--db PATH|URL]\n"
            "       kepu migrate-data --from PATH.db --to postgresql://...\n"
            "       kepu backup --db PATH.db --to FILE\n"
            "       kepu stats verify|rebuild [--db PATH|URL]\n"
            "       kepu calls verify [--db PATH|URL]   (the calls engine's counters against their records)\n"
            "       kepu bench-fill --db PATH|URL --count N   (raw records for benchmarks)\n"
            "       kepu bench-fill --db PATH|URL --calls N [--reviewers R] [--criteria C] [--per-entry K]\n"
            "       kepu bench-fill --db PATH|URL --resources N   (the resource library's search)\n"
            "       kepu openapi   (the API document, OpenAPI 3.1, on standard output)\n"
            "environment: KEPU_LISTEN, KEPU_DB, KEPU_WEB_DIR, KEPU_BOOTSTRAP_ADMIN_PASSWORD,\n"
            "  KEPU_MAX_BODY, KEPU_MAX_PUBLIC_BODY, KEPU_MAX_UPLOAD, KEPU_MAX_MEDIA_UPLOAD, KEPU_REQUEST_MEMORY (bytes), KEPU_FILES_DIR, KEPU_PII_KEY_FILE, KEPU_THREADS,\n"
            "  KEPU_PER_IP_CONNECTIONS, KEPU_MAX_CONNECTIONS, KEPU_TIMEOUT (s), KEPU_HEAD_TIMEOUT (s),\n"
            "  KEPU_SESSION_IDLE (s), KEPU_SESSION_ABSOLUTE (s), KEPU_ACCESS_LOG=0,\n"
            "  KEPU_TRUST_PROXY=1 (behind nginx: client address from X-Real-IP),\n"
            "  KEPU_SYNCHRONOUS=NORMAL|FULL (SQLite: FULL also survives power loss with every commit)\n");
}

struct options { const char *listen, *db, *web, *from, *to; long long count, calls, reviewers, criteria, per_entry, resources; };

static int parse_options(int argc, char **argv, struct options *o)
{
    o->listen = env_or("KEPU_LISTEN", "127.0.0.1:8080");
    o->db = env_or("KEPU_DB", "data/kepu.db");
    o->web = env_or("KEPU_WEB_DIR", NULL);
    o->from = o->to = NULL;
    o->count = 0;
    o->calls = 0, o->reviewers = 200, o->criteria = 10, o->per_entry = 5, o->resources = 0;
    /* "kepu stats verify --db X": options start after the subcommand */
    int first = argc > 2 && (!strcmp(argv[1], "stats") || !strcmp(argv[1], "calls")) ? 3 : 2;
    for (int i = first; i < argc; i++) {
        if (!strcmp(argv[i], "--count") && i + 1 < argc) {
            o->count = atoll(argv[++i]);
            continue;
        }
        long long *number = !strcmp(argv[i], "--calls") ? &o->calls : !strcmp(argv[i], "--reviewers") ? &o->reviewers
                          : !strcmp(argv[i], "--criteria") ? &o->criteria : !strcmp(argv[i], "--per-entry") ? &o->per_entry
                          : !strcmp(argv[i], "--resources") ? &o->resources
                          : NULL;
        if (number && i + 1 < argc) {
            *number = atoll(argv[++i]);
            continue;
        }
        const char **slot = !strcmp(argv[i], "--listen") ? &o->listen
                          : !strcmp(argv[i], "--db")     ? &o->db
                          : !strcmp(argv[i], "--web")    ? &o->web
                          : !strcmp(argv[i], "--from")   ? &o->from
                          : !strcmp(argv[i], "--to")     ? &o->to : NULL;
        if (!slot || i + 1 >= argc) {
            fprintf(stderr, "kepu: unknown or incomplete option '%s'\n", argv[i]);
            return -1;
        }
        *slot = argv[++i];
    }
    return 0;
}

/* The built UI next to the binary (build/kepu -> build/web), when no folder is given. */
static const char *default_web_dir(char *buf, size_t len)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return NULL;
    exe[n] = 0;
    snprintf(buf, len, "%s/web", dirname(exe));
    struct stat st;
    return stat(buf, &st) == 0 && S_ISDIR(st.st_mode) ? buf : NULL;
}

/* SQLite creates the file but not its folder: make data/ on first start. */
static void ensure_parent_dir(const char *path)
{
    if (strstr(path, "://")) return;
    char copy[PATH_MAX];
    snprintf(copy, sizeof copy, "%s", path);
    char *dir = dirname(copy);
    if (strcmp(dir, ".") != 0) mkdir(dir, 0750);
}

/* A count from the environment where 0 means "no limit" (env_long takes 0 as unset). */
static unsigned env_limit(const char *name, unsigned fallback)
{
    const char *v = getenv(name);
    return v && strcmp(v, "0") == 0 ? 0 : (unsigned)env_long(name, fallback);
}

/* The file store and the personal-data key. Uploaded files: KEPU_FILES_DIR, else files/ beside a
 * SQLite database, else data/files (PostgreSQL nodes must share one directory: set KEPU_FILES_DIR
 * to it). pii_configure warns about a key kept in the SQLite database's directory (none on
 * PostgreSQL). Both copy what they keep. */
static bool configure_store(const char *db_path)
{
    char filesbuf[PATH_MAX], copy[PATH_MAX];
    snprintf(copy, sizeof copy, "%s", db_path);
    const char *db_dir = db_url_is_pg(db_path) ? NULL : dirname(copy);
    if (db_dir) snprintf(filesbuf, sizeof filesbuf, "%s/files", db_dir);
    const char *store = env_or("KEPU_FILES_DIR", db_dir ? filesbuf : "data/files");
    return files_configure(store) && pii_configure(store, db_dir);
}

/* A database for a command that calls the modules (their entities prepared); NULL after an error. */
static db *open_with_modules(const char *db_path)
{
    db *c = app_open_database(db_path);
    if (c) app_init_modules();
    return c;
}

static int cmd_serve(const struct options *o)
{
    const char *sync = env_or("KEPU_SYNCHRONOUS", "NORMAL");
    if (strcasecmp(sync, "NORMAL") != 0 && strcasecmp(sync, "FULL") != 0) {
        fprintf(stderr, "kepu: KEPU_SYNCHRONOUS must be NORMAL or FULL\n");
        return 2;
    }
    ensure_parent_dir(o->db);
    db *c = app_open_database(o->db);
    if (!c) return 2;
    int rc = app_bootstrap(c);
    db_close(c);
    if (rc != 0) { fprintf(stderr, "kepu: bootstrap failed\n"); return 2; }
    db_configure(o->db);
    db_start_background();
    /* Several nodes on PostgreSQL must share one count per key: the limiter keeps it there. */
    limiter_configure(db_url_is_pg(o->db) ? LIMITER_DATABASE : LIMITER_MEMORY);
    auth_configure(env_long("KEPU_SESSION_IDLE", 1800), env_long("KEPU_SESSION_ABSOLUTE", 43200));
    if (app_register_routes() != 0) return 2;
    char webbuf[PATH_MAX];
    if (!configure_store(o->db) || !checkin_configure()) return 2;
    reminders_start();   /* issue 16: the reminder worker of this node (KEPU_REMINDER_TICK) */
    struct server_config cfg = {
        .listen = o->listen,
        .web_dir = o->web ? o->web : default_web_dir(webbuf, sizeof webbuf),
        .max_body = (size_t)env_long("KEPU_MAX_BODY", 1024 * 1024),
        .max_public_body = (size_t)env_long("KEPU_MAX_PUBLIC_BODY", 64 * 1024),
        .max_upload = (size_t)env_long("KEPU_MAX_UPLOAD", 20 * 1024 * 1024),
        .max_media_upload = (size_t)env_long("KEPU_MAX_MEDIA_UPLOAD", 2048L * 1024 * 1024),
        .request_memory = (size_t)env_long("KEPU_REQUEST_MEMORY", 256L * 1024 * 1024),
        .upload_dir = files_spool_dir(),
        .threads = (unsigned)env_long("KEPU_THREADS", 16),
        .per_ip_limit = env_limit("KEPU_PER_IP_CONNECTIONS", 256),
        .timeout_s = (unsigned)env_long("KEPU_TIMEOUT", 30),
        .head_timeout_s = env_limit("KEPU_HEAD_TIMEOUT", 10),
        .max_connections = (unsigned)env_long("KEPU_MAX_CONNECTIONS", 0),
        .quiet = strcmp(env_or("KEPU_ACCESS_LOG", "1"), "0") == 0,
        .trust_proxy = strcmp(env_or("KEPU_TRUST_PROXY", "0"), "1") == 0,
    };
    return server_run(&cfg);
}

static int cmd_migrate(const struct options *o)
{
    ensure_parent_dir(o->db);
    db *c = app_open_database(o->db);
    if (!c) return 2;
    db_close(c);
    printf("database %s is up to date\n", o->db);
    return 0;
}

/* An online, consistent copy of a SQLite database (VACUUM INTO); PostgreSQL uses pg_dump. */
static int cmd_backup(const struct options *o)
{
    if (!o->to || db_url_is_pg(o->db)) {
        fprintf(stderr, "kepu backup: --db PATH.db --to FILE (for PostgreSQL use pg_dump)\n");
        return 2;
    }
    db *c = app_open_database(o->db);
    if (!c) return 2;
    qb q;
    qb_init(&q, "VACUUM INTO ?");
    qb_text(&q, o->to);
    int rc = qb_exec(c, &q, NULL);
    db_close(c);
    if (rc != DB_OK) { fprintf(stderr, "kepu backup: failed (does %s exist already?)\n", o->to); return 1; }
    printf("backup written to %s\n", o->to);
    return 0;
}

/* kepu stats verify: every roll-up recomputed from the raw records; exit 1 on a difference. */
static int cmd_stats_verify(const struct options *o)
{
    db *c = open_with_modules(o->db);
    if (!c) return 2;
    int64_t diff = 0;
    int rc = stats_verify(c, &diff);
    db_close(c);
    if (rc != DB_OK) { fprintf(stderr, "kepu stats verify: query failed\n"); return 2; }
    printf("stats verify: %lld difference%s\n", (long long)diff, diff == 1 ? "" : "s");
    return diff ? 1 : 0;
}

/* kepu stats rebuild: roll-ups computed anew from the raw records (after a bulk load). */
static int cmd_stats_rebuild(const struct options *o)
{
    db *c = open_with_modules(o->db);
    if (!c) return 2;
    int rc = stats_rebuild(c);
    db_close(c);
    if (rc != DB_OK) { fprintf(stderr, "kepu stats rebuild: failed\n"); return 1; }
    printf("stats rebuilt\n");
    return 0;
}

/* kepu bench-fill --count N: N raw activities for benchmarks, then the roll-ups rebuilt. */
static int cmd_bench_fill(const struct options *o, long long count)
{
    db *c = open_with_modules(o->db);
    if (!c) return 2;
    int rc = activities_bulk_generate(c, count, 2026);
    if (rc == 0) rc = stats_rebuild(c) == DB_OK ? 0 : -1;
    db_close(c);
    if (rc != 0) { fprintf(stderr, "kepu bench-fill: failed\n"); return 1; }
    printf("bench-fill: %lld activities, roll-ups rebuilt\n", count);
    return 0;
}

/* kepu bench-fill --resources N: N approved public resources for the library's search. */
static int cmd_bench_fill_resources(const struct options *o)
{
    db *c = open_with_modules(o->db);
    if (!c) return 2;
    int rc = resources_bench_fill(c, o->resources);
    db_close(c);
    if (rc != DB_OK) { fprintf(stderr, "kepu bench-fill --resources: failed\n"); return 1; }
    printf("bench-fill: %lld resources, both search indexes kept\n", o->resources);
    return 0;
}

/* kepu bench-fill --calls N [--reviewers R] [--criteria C] [--per-entry K]: a call in review with
 * N entries, K submitted sheets each of C criteria (bench/calls.sh). */
static int cmd_bench_fill_calls(const struct options *o)
{
    db *c = open_with_modules(o->db);
    if (!c) return 2;
    int64_t call_id = 0;
    int rc = calls_bench_fill(c, o->calls, (int)o->reviewers, (int)o->criteria, (int)o->per_entry, &call_id);
    db_close(c);
    if (rc != DB_OK) { fprintf(stderr, "kepu bench-fill --calls: failed\n"); return 1; }
    printf("bench-fill: call %lld with %lld entries, %lld sheets each of %lld criteria, aggregates rebuilt\n",
           (long long)call_id, o->calls, o->per_entry, o->criteria);
    return 0;
}

/* kepu calls verify: the calls engine's counters against their records (calls_verify.h); 1 when
 * any differs (each printed), 2 when the check could not run. */
static int cmd_calls_verify(const struct options *o)
{
    db *c = open_with_modules(o->db);
    if (!c) return 2;
    int64_t differences = 0;
    int rc = calls_verify(c, stdout, &differences);
    db_close(c);
    if (rc != DB_OK) { fprintf(stderr, "kepu calls verify: failed\n"); return 2; }
    printf("calls verify: %lld difference(s)\n", (long long)differences);
    return differences ? 1 : 0;
}

/* kepu openapi: the API document from the route table and the entities; no database needed. */
static int cmd_openapi(void)
{
    if (app_register_routes() != 0) return 2;
    json_t *doc = openapi_document();
    int rc = json_dumpf(doc, stdout, JSON_INDENT(2)) == 0 && fputc('\n', stdout) != EOF ? 0 : 1;
    json_decref(doc);
    router_reset();
    return fflush(stdout) == 0 ? rc : 1;
}

static int cmd_demo(const struct options *o)
{
    ensure_parent_dir(o->db);
    db *c = open_with_modules(o->db);
    if (!c) return 2;
    /* The demo's teachers carry ID numbers and phones: encrypted under the key serve will use. */
    if (!configure_store(o->db)) { db_close(c); return 2; }
    int rc = demo_fill(c);
    db_close(c);
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0) { fprintf(stderr, "kepu: libsodium failed to initialise\n"); return 2; }
    struct options o;
    if (argc < 2 || parse_options(argc, argv, &o) != 0) { usage(); return 2; }
    if (!strcmp(argv[1], "serve")) return cmd_serve(&o);
    if (!strcmp(argv[1], "demo")) return cmd_demo(&o);
    if (!strcmp(argv[1], "migrate")) return cmd_migrate(&o);
    if (!strcmp(argv[1], "backup")) return cmd_backup(&o);
    if (!strcmp(argv[1], "openapi")) return cmd_openapi();
    if (!strcmp(argv[1], "bench-fill") && o.calls > 0) return cmd_bench_fill_calls(&o);
    if (!strcmp(argv[1], "bench-fill") && o.resources > 0) return cmd_bench_fill_resources(&o);
    if (!strcmp(argv[1], "bench-fill")) return cmd_bench_fill(&o, o.count > 0 ? o.count : 1000000);
    if (!strcmp(argv[1], "stats")) {
        if (argc >= 3 && !strcmp(argv[2], "verify")) return cmd_stats_verify(&o);
        if (argc >= 3 && !strcmp(argv[2], "rebuild")) return cmd_stats_rebuild(&o);
        usage();
        return 2;
    }
    if (!strcmp(argv[1], "calls") && argc >= 3 && !strcmp(argv[2], "verify")) return cmd_calls_verify(&o);
    if (!strcmp(argv[1], "migrate-data")) {
        if (!o.from || !o.to) { usage(); return 2; }
        return migrate_data(o.from, o.to);
    }
    usage();
    return 2;
}
