/* test_stats_files_layering.c - the shared layers include no module: every #include "dir/..." of a file in
 * src/stats/ and src/files/ names a layer (auth, core, db, docs, files, http, model, stats), never
 * a module's folder (orgs/, audit/, teaching/, volunteers/ ...). stats and files reach modules
 * only through hooks and interfaces the modules register at start-up (app_modules.c).
 * The source tree is found from this file's own path (CMake compiles it by absolute path). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static const char *const layers[] = {"auth", "core", "db", "docs", "files", "http", "io", "model", "stats", NULL};

/* The offending include of one line, or NULL: a quoted include whose folder is not a layer (or
 * that names a top-level file such as app_modules.h). */
static const char *bad_include(const char *line)
{
    const char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (strncmp(p, "#include", 8) != 0) return NULL;
    p = strchr(p, '"');
    if (!p) return NULL;   /* <system> headers */
    p++;
    const char *slash = strchr(p, '/'), *end = strchr(p, '"');
    if (!end) return NULL;
    if (!slash || slash > end) return p;
    for (int i = 0; layers[i]; i++)
        if ((size_t)(slash - p) == strlen(layers[i]) && !strncmp(p, layers[i], strlen(layers[i]))) return NULL;
    return p;
}

/* Counts (and prints) the bad includes of every .c and .h file in dir. */
static int scan_dir(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int bad = 0, files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 3 || (strcmp(e->d_name + n - 2, ".c") && strcmp(e->d_name + n - 2, ".h"))) continue;
        char path[4096], line[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        files++;
        while (fgets(line, sizeof line, f)) {
            const char *inc = bad_include(line);
            if (inc) fprintf(stderr, "%s includes a module header: %s", path, inc), bad++;
        }
        fclose(f);
    }
    closedir(d);
    assert_true(files > 0);   /* the folder was found and read */
    return bad;
}

static void src_dir(const char *sub, char *out, size_t len)
{
    const char *tests = strstr(__FILE__, "tests/unit/test_stats_files_layering.c");
    assert_non_null(tests);
    snprintf(out, len, "%.*ssrc/%s", (int)(tests - __FILE__), __FILE__, sub);
}

static void test_the_checker_sees_a_module_include(void **state)
{
    (void)state;
    assert_non_null(bad_include("#include \"orgs/orgs.h\"\n"));
    assert_non_null(bad_include("  #include \"audit/audit.h\"\n"));
    assert_non_null(bad_include("#include \"app_modules.h\"\n"));
    assert_null(bad_include("#include \"db/query.h\"\n"));
    assert_null(bad_include("#include <string.h>\n"));
    assert_null(bad_include("/* see orgs/orgs.h */\n"));
}

static void test_stats_and_files_include_no_module(void **state)
{
    (void)state;
    char dir[4096];
    src_dir("stats", dir, sizeof dir);
    assert_int_equal(scan_dir(dir), 0);
    src_dir("files", dir, sizeof dir);
    assert_int_equal(scan_dir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_checker_sees_a_module_include),
        cmocka_unit_test(test_stats_and_files_include_no_module),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
