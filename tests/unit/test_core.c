/* test_core.c - validation (names without bidi or zero-width controls), password strength, masking,
 * arena and time helpers, personal numbers and where their key may lie, of src/core. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "core/arena.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "core/password_policy.h"
#include "core/pii.h"
#include <fcntl.h>
#include <sodium.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_id_number_check_digit(void **state)
{
    (void)state;
    assert_true(valid_id_number("11010519491231002X"));   /* the standard's own example */
    assert_true(valid_id_number("11010519491231002x"));
    assert_false(valid_id_number("110105194912310021"));  /* wrong check digit */
    assert_false(valid_id_number("11010519491231002"));   /* too short */
    assert_false(valid_id_number("1101051949123100AX"));
    assert_false(valid_id_number(NULL));
}

/* The one birth-date check behind teachers, students and volunteers (and their imports). */
static void test_id_number_birth_date_is_a_real_past_day(void **state)
{
    (void)state;
    assert_true(id_number_birth_ok("500103198005121234", "2026-05-18"));
    assert_true(id_number_birth_ok("500103200002291234", "2026-05-18"));    /* 2000 was leap */
    assert_false(id_number_birth_ok("500103190002291234", "2026-05-18"));   /* 1900 was not */
    assert_false(id_number_birth_ok("500103199902301234", "2026-05-18"));
    assert_false(id_number_birth_ok("500103199913011234", "2026-05-18"));
    assert_false(id_number_birth_ok("500103199900011234", "2026-05-18"));   /* day 0 */
    assert_false(id_number_birth_ok("500103209901011234", "2026-05-18"));   /* the future */
    assert_true(id_number_birth_ok("500103202605181234", "2026-05-18"));    /* born today */
    assert_true(id_number_birth_ok("500103202605181234", "2026-05-18T09:00:00+08:00"));   /* a timestamp */
    assert_false(id_number_birth_ok("500103202605191234", "2026-05-18"));
    assert_false(id_number_birth_ok("500103189912311234", "2026-05-18"));
    assert_true(id_number_birth_ok("500103190001011234", "2026-05-18"));    /* the first day allowed */
    assert_false(id_number_birth_ok("5001031980", "2026-05-18"));
    assert_false(id_number_birth_ok(NULL, "2026-05-18"));
    assert_false(id_number_birth_ok("500103198005121234", NULL));
}

static void test_id_number_birth_day_copies_the_date(void **state)
{
    (void)state;
    char day[11];
    id_number_birth_day("11010519491231002X", day);
    assert_string_equal(day, "1949-12-31");
    id_number_birth_day("1101051949", day);
    assert_string_equal(day, "");
    id_number_birth_day(NULL, day);
    assert_string_equal(day, "");
}

static void test_phone_rules(void **state)
{
    (void)state;
    assert_true(valid_phone("13812345678"));
    assert_false(valid_phone("12812345678"));
    assert_false(valid_phone("1381234567"));
    assert_false(valid_phone("1381234567a"));
}

static void test_masks_hide_the_middle(void **state)
{
    (void)state;
    char out[32];
    mask_phone("13812345678", out, sizeof out);
    assert_string_equal(out, "138****5678");
    mask_id_number("500103199001011234", out, sizeof out);
    assert_string_equal(out, "5001**********1234");
    mask_phone("123", out, sizeof out);
    assert_string_equal(out, "****");
}

static void test_utf8_rejects_overlong_and_surrogates(void **state)
{
    (void)state;
    assert_true(utf8_valid("重庆市科协", strlen("重庆市科协")));
    assert_false(utf8_valid("\xc0\xaf", 2));          /* overlong '/' */
    assert_false(utf8_valid("\xed\xa0\x80", 3));      /* surrogate */
    assert_false(utf8_valid("\xe9\x87", 2));          /* truncated */
    assert_int_equal(utf8_chars("重庆a"), 3);
}

static void test_names_count_characters_not_bytes(void **state)
{
    (void)state;
    char name[400] = "";
    for (int i = 0; i < 100; i++) strcat(name, "科");
    assert_true(valid_name(name, 100));
    strcat(name, "科");
    assert_false(valid_name(name, 100));
    assert_false(valid_name("", 100));
    assert_false(valid_name("   ", 100));
    assert_false(valid_name("a\nb", 100));
}

/* Issue 12: a name could carry bidi overrides ("\u202Egpj.exe" shows as "exe.jpg") or
 * zero-width characters (two users who look alike); every kind is refused, CJK and emoji stay. */
static void test_names_refuse_bidi_and_zero_width_controls(void **state)
{
    (void)state;
    const char *bad[] = {
        "\u202A嵌入", "\u202B", "a\u202Cb", "a\u202Db", "\u202Egpj.exe",   /* embeddings, overrides */
        "a\u2066b", "a\u2067b", "a\u2068b", "a\u2069b",                    /* isolates */
        "张\u200B三", "a\u200Cb", "a\u200Db", "a\u200Eb", "a\u200Fb",      /* zero width, marks */
        "a\u2060b", "\uFEFF名称", "a\u00ADb", "a\u061Cb", "a\u2028b", "a\u2029b",
        "a\xc2\x85" "b", "a\xc2\x9f" "b", "a\U000E0041b",                              /* C1, a tag */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_true(has_invisible_controls(bad[i]));
        if (valid_name(bad[i], 100)) fail_msg("accepted name #%zu", i);
    }
    const char *good[] = {"重庆市科协", "Zoë O'Neil", "表情😀", "Ａ全角", "a\u2010b" /* hyphen */, "名·称"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        assert_false(has_invisible_controls(good[i]));
        if (!valid_name(good[i], 100)) fail_msg("refused name #%zu", i);
    }
}

static void test_password_policy(void **state)
{
    (void)state;
    assert_non_null(password_weakness("short", "bob"));
    assert_null(password_weakness("long enough pw", "bob"));
    assert_non_null(password_weakness("administrator", "administrator"));
    assert_null(password_weakness("科普科学普及知识讲座", "bob"));   /* 10 characters */
    assert_non_null(password_weakness("科普科学普及知识讲", "bob"));   /* 9 */
}

/* Issue 12: "1234567890" and "aaaaaaaaaa" passed a length-only rule. The dictionary check
 * must be in use (cracklib-runtime, installed by scripts/deps.sh): a machine without it fails
 * here instead of silently checking less. */
static void test_weak_passwords_are_refused_with_a_reason(void **state)
{
    (void)state;
    assert_int_equal(password_policy_init(), 0);
    const char *weak[] = {"1234567890", "aaaaaaaaaa", "0987654321", "13812345678", "2026-01-01!!",
                          "password123", "qwertyuiop", "1q2w3e4r5t", "abcdefghij", "1234554321",
                          "iloveyou12", "woaini1314", "Admin12345", "kepu@2026", "kepu@20260",
                          "zhangsan", "zhangsan2026", "abcabcabcabc", "Zz1Zz1Zz1Zz1", "P@ssword2026",
                          "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6"};
    for (size_t i = 0; i < sizeof weak / sizeof *weak; i++) {
        const char *why = password_weakness(weak[i], "zhangsan");
        if (!why) fail_msg("accepted weak password %s", weak[i]);
        assert_non_null(strstr(why, " / "));   /* "中文 / English" */
    }
    /* the passwords the tests, the demo and the e2e runs use */
    const char *strong[] = {"AdminPass-2026", "UserPass-2026", "Demo@2026kepu", "E2E-Admin-2026",
                            "Bench-Admin-2026", "Secret-Reset-77", "correct horse battery", "科普科学普及知识讲座"};
    for (size_t i = 0; i < sizeof strong / sizeof *strong; i++) {
        const char *why = password_weakness(strong[i], "admin");
        if (why) fail_msg("refused %s: %s", strong[i], why);
    }
}

static void test_usernames_and_codes(void **state)
{
    (void)state;
    assert_true(valid_username("d500103_admin"));
    assert_false(valid_username("ab"));
    assert_false(valid_username("bad name"));
    assert_true(valid_org_code("500103"));
    assert_false(valid_org_code("50 01"));
    assert_true(valid_email("a@b.cn"));
    assert_false(valid_email("a@b"));
}

static void test_arena_strings_survive_until_free(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    char *s = arena_printf(&a, "%s-%d", "kepu", 42);
    char *big = arena_alloc(&a, 100000);    /* larger than a block */
    memset(big, 'x', 100000);
    char *t = arena_strdup(&a, "after");
    assert_string_equal(s, "kepu-42");
    assert_string_equal(t, "after");
    assert_null(arena_strdup(&a, NULL));
    arena_free(&a);
}

/* A request's arena past its limit: a large allocation gets NULL and marks the arena failed (the
 * server then answers 503) instead of aborting the process; small ones may use the slack so
 * unchecked code winds down, and get NULL once it is spent; an impossible size is refused before
 * malloc. After arena_free the arena serves again. */
static void test_arena_failure_returns_null_and_flags(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    arena_set_limit(&a, 64 * 1024);
    assert_non_null(arena_alloc(&a, 40 * 1024));
    assert_false(a.failed);
    assert_null(arena_alloc(&a, 40 * 1024));          /* a large one past the limit */
    assert_true(a.failed);
    a.failed = false;
    assert_non_null(arena_strdup(&a, "small"));       /* within the slack */
    size_t taken = 0;
    while (!a.failed && taken < 2 * ARENA_SLACK) {     /* small ones until the slack is spent */
        void *p = arena_alloc(&a, 4000);
        if (p) memset(p, 1, 4000), taken += 4000;
        else assert_true(a.failed);
    }
    assert_true(a.failed);
    assert_true(taken >= ARENA_SLACK - 2 * ARENA_BLOCK && taken <= ARENA_SLACK + 64 * 1024);
    assert_null(arena_printf(&a, "%0*d", 20000, 1)); /* every helper reports NULL */
    assert_null(arena_strndup(&a, "x", 20000));
    arena_free(&a);
    assert_false(a.failed);
    assert_non_null(arena_alloc(&a, 40 * 1024));      /* served again, limit kept */
    assert_null(arena_alloc(&a, 40 * 1024));
    arena_free(&a);
    arena_init(&a);                                    /* no limit: only malloc can fail */
    assert_null(arena_alloc(&a, (size_t)-1 / 2 + 1));
    assert_true(a.failed);
    arena_free(&a);
}

static void test_dates_in_shanghai(void **state)
{
    (void)state;
    char buf[32];
    time_t t = time_parse_date("2026-05-18");
    assert_true(t > 0);
    time_to_rfc3339(t, buf);
    assert_string_equal(buf, "2026-05-18T00:00:00+08:00");
    assert_int_equal(time_parse_date("2026-02-29"), -1);
    assert_true(time_parse_date("2024-02-29") > 0);
    assert_int_equal(time_parse_date("2026-13-01"), -1);
    assert_int_equal(time_parse_date("2026-5-1"), -1);
}

/* Personal numbers at rest: encrypted, never twice the same text, tamper-evident, readable only
 * with the key; blind indexes stable per kind and different across kinds and keys. */
static void test_personal_numbers_at_rest(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    unsigned char k1[32], k2[32];
    memset(k1, 7, sizeof k1);
    memset(k2, 9, sizeof k2);
    pii_set_key(k1);
    const char *id = "11010519491231002X";
    const char *e1 = pii_encrypt(&a, id), *e2 = pii_encrypt(&a, id);
    assert_non_null(e1);
    assert_null(strstr(e1, "1949"));
    assert_string_not_equal(e1, e2);                     /* a fresh nonce each time */
    assert_string_equal(pii_decrypt(&a, e1), id);
    char *bad = arena_strdup(&a, e1);
    bad[10] = bad[10] == 'A' ? 'B' : 'A';                 /* one changed character */
    assert_null(pii_decrypt(&a, bad));
    assert_null(pii_decrypt(&a, "plain text"));
    const char *b1 = pii_blind(&a, "id_number", id);
    assert_int_equal(strlen(b1), 64);
    assert_string_equal(b1, pii_blind(&a, "id_number", id));
    assert_string_not_equal(b1, pii_blind(&a, "phone", id));
    pii_set_key(k2);
    assert_null(pii_decrypt(&a, e1));                     /* another key reads nothing */
    assert_string_not_equal(b1, pii_blind(&a, "id_number", id));
    arena_free(&a);
}

/* Runs pii_configure with standard error captured into err (cap bytes); its result. */
static bool configure_capturing(const char *files_dir, const char *db_dir, char *err, size_t cap)
{
    char path[] = "/tmp/kepu-pii-err-XXXXXX";
    int fd = mkstemp(path), saved = dup(STDERR_FILENO);
    fflush(stderr);
    dup2(fd, STDERR_FILENO);
    bool ok = pii_configure(files_dir, db_dir);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    ssize_t n = pread(fd, err, cap - 1, 0);
    err[n > 0 ? n : 0] = 0;
    close(fd);
    unlink(path);
    return ok;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Issue 12: pii.key was created in the files directory without a word, so a copy or backup of
 * the data carried its own key. A key there is still used (existing deployments keep their
 * numbers) but warned about on every start; a key outside is not; a missing KEPU_PII_KEY_FILE
 * stops the start and creates nothing. */
static void test_pii_key_inside_the_data_is_used_and_warned_about(void **state)
{
    (void)state;
    char dir[] = "/tmp/kepu-pii-XXXXXX", files[64], legacy[96], outside[96], err[4096];
    assert_non_null(mkdtemp(dir));
    snprintf(files, sizeof files, "%s/files", dir);
    snprintf(legacy, sizeof legacy, "%s/pii.key", files);
    snprintf(outside, sizeof outside, "%s.key", dir);   /* beside the data directory */
    assert_int_equal(mkdir(files, 0700), 0);
    const char *old_key = "0101010101010101010101010101010101010101010101010101010101010101\n";
    write_text(legacy, old_key);
    unsigned char k[32];
    memset(k, 1, sizeof k);
    pii_set_key(k);
    arena a;
    arena_init(&a);
    const char *stored = pii_encrypt(&a, "13812345678");
    memset(k, 2, sizeof k);
    pii_set_key(k);
    unsetenv("KEPU_PII_KEY");
    unsetenv("KEPU_PII_KEY_FILE");
    /* the old place: used as it is, and warned about */
    assert_true(configure_capturing(files, dir, err, sizeof err));
    assert_string_equal(pii_decrypt(&a, stored), "13812345678");
    assert_non_null(strstr(err, "WARNING"));
    assert_non_null(strstr(err, legacy));
    assert_non_null(strstr(err, "KEPU_PII_KEY_FILE"));
    char text[200] = "";
    FILE *f = fopen(legacy, "r");
    assert_non_null(fgets(text, sizeof text, f));
    fclose(f);
    assert_string_equal(text, old_key);                   /* not replaced */
    /* KEPU_PII_KEY_FILE inside the database's directory: warned about too */
    char in_db_dir[96];
    snprintf(in_db_dir, sizeof in_db_dir, "%s/moved.key", dir);
    write_text(in_db_dir, old_key);
    setenv("KEPU_PII_KEY_FILE", in_db_dir, 1);
    assert_true(configure_capturing(files, dir, err, sizeof err));
    assert_non_null(strstr(err, "WARNING"));
    /* moved out: the same key, no warning */
    write_text(outside, old_key);
    setenv("KEPU_PII_KEY_FILE", outside, 1);
    assert_true(configure_capturing(files, dir, err, sizeof err));
    assert_null(strstr(err, "WARNING"));
    assert_string_equal(pii_decrypt(&a, stored), "13812345678");
    /* a mistyped KEPU_PII_KEY_FILE stops the start and creates no new key */
    unlink(outside);
    assert_false(configure_capturing(files, dir, err, sizeof err));
    assert_int_equal(access(outside, F_OK), -1);
    unsetenv("KEPU_PII_KEY_FILE");
    arena_free(&a);
    unlink(in_db_dir);
    unlink(legacy);
    rmdir(files);
    rmdir(dir);
}

/* Several nodes starting at once on one empty shared directory must all end with the same key.
 * The key file was created with O_EXCL and then written: a node that lost the race could read
 * it before the winner had written it and refused to start ("none can be created there"). */
static void test_nodes_starting_together_agree_on_one_new_key(void **state)
{
    (void)state;
    enum { NODES = 8, ROUNDS = 20 };
    unsetenv("KEPU_PII_KEY");
    unsetenv("KEPU_PII_KEY_FILE");
    for (int round = 0; round < ROUNDS; round++) {
        char dir[] = "/tmp/kepu-pii-race-XXXXXX", key_path[64];
        assert_non_null(mkdtemp(dir));
        snprintf(key_path, sizeof key_path, "%s/pii.key", dir);
        int go[2], out[2];
        assert_int_equal(pipe(go), 0);
        assert_int_equal(pipe(out), 0);
        for (int i = 0; i < NODES; i++) {
            pid_t pid = fork();
            assert_true(pid >= 0);
            if (pid > 0) continue;
            char c, blind[65] = "refused                                                         ";
            close(go[1]);
            int devnull = open("/dev/null", O_WRONLY);
            dup2(devnull, STDERR_FILENO);
            if (read(go[0], &c, 1) != 0) _exit(2);        /* all start when the pipe closes */
            arena a;
            arena_init(&a);
            if (pii_configure(dir, dir)) memcpy(blind, pii_blind(&a, "id_number", "x"), 64);
            _exit(write(out[1], blind, 64) == 64 ? 0 : 3);
        }
        close(go[0]);
        close(go[1]);
        close(out[1]);
        char first[65] = "", got[65] = "";
        for (int i = 0; i < NODES; i++) {
            assert_int_equal(read(out[0], got, 64), 64);
            if (i == 0) memcpy(first, got, 65);
            assert_string_equal(got, first);              /* one key for all, none refused */
        }
        close(out[0]);
        while (wait(NULL) > 0) {}
        assert_string_not_equal(first, "refused                                                         ");
        unsigned char k[32];
        FILE *f = fopen(key_path, "r");                   /* the file holds exactly that key */
        char hex[80] = "";
        assert_non_null(fgets(hex, sizeof hex, f));
        fclose(f);
        assert_int_equal(strlen(hex), 65);
        size_t len = 0;
        assert_int_equal(sodium_hex2bin(k, 32, hex, 64, NULL, &len, NULL), 0);
        pii_set_key(k);
        arena a;
        arena_init(&a);
        assert_string_equal(pii_blind(&a, "id_number", "x"), first);
        arena_free(&a);
        assert_int_equal(unlink(key_path), 0);
        assert_int_equal(rmdir(dir), 0);                  /* no temporary file left behind */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_number_check_digit),
        cmocka_unit_test(test_id_number_birth_date_is_a_real_past_day),
        cmocka_unit_test(test_id_number_birth_day_copies_the_date),
        cmocka_unit_test(test_phone_rules),
        cmocka_unit_test(test_masks_hide_the_middle),
        cmocka_unit_test(test_utf8_rejects_overlong_and_surrogates),
        cmocka_unit_test(test_names_count_characters_not_bytes),
        cmocka_unit_test(test_password_policy),
        cmocka_unit_test(test_weak_passwords_are_refused_with_a_reason),
        cmocka_unit_test(test_names_refuse_bidi_and_zero_width_controls),
        cmocka_unit_test(test_usernames_and_codes),
        cmocka_unit_test(test_arena_strings_survive_until_free),
        cmocka_unit_test(test_arena_failure_returns_null_and_flags),
        cmocka_unit_test(test_dates_in_shanghai),
        cmocka_unit_test(test_personal_numbers_at_rest),
        cmocka_unit_test(test_pii_key_inside_the_data_is_used_and_warned_about),
        cmocka_unit_test(test_nodes_starting_together_agree_on_one_new_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
