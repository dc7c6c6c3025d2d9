/* test_public_limits.c - the attacks of the security review on the public paths, and that
 * they now do no harm (auth/limiter.h, docs/api.md "Auth" and "Volunteer projects"):
 *  - two client addresses that shared a slot of the old direct-mapped tables (djb2(ip) % N)
 *    reset each other's count and got unlimited tries; now each keeps its own limit, on login,
 *    volunteer "find me" and public registration;
 *  - an attacker's failures on admin's name delay the attacker, never lock admin out;
 *  - known and unknown usernames answer alike (status, body, time);
 *  - failures spread over many addresses delay the account (a delay, never a lock);
 *  - "find me" takes the full ID number or an SMS code (sent only to registered phones, the
 *    same 202 either way, 5 tries, single use, 5 minutes), limited per phone whatever the
 *    address, and refuses the last 4 characters that public certificates print;
 *  - registration is limited per ID number as well as per address.
 * The server trusts X-Real-IP (KEPU_TRUST_PROXY=1), so each test speaks from addresses of its
 * own. Runs on SQLite (memory store) and PostgreSQL (the rate_limits table). */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#define LOGIN_IP_LIMIT 10
#define ACCOUNT_LIMIT 12

static char *admin;
static int64_t org;
static int serial;
static char sms_dir[64], sms_log[96];

static int setup(void **state)
{
    snprintf(sms_dir, sizeof sms_dir, "/tmp/kepu-sms-XXXXXX");
    if (!mkdtemp(sms_dir)) return -1;
    snprintf(sms_log, sizeof sms_log, "%s/sms.log", sms_dir);
    setenv("KEPU_TRUST_PROXY", "1", 1);
    setenv("KEPU_SMS_LOG", sms_log, 1);
    setenv("KEPU_LOGIN_IP_FAILURES", "10", 1);   /* LOGIN_IP_LIMIT: fewer password hashes */
    setenv("KEPU_LOGIN_ACCOUNT_FAILURES", "12", 1);   /* ACCOUNT_LIMIT */
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    org = create_org(admin, root_org_id(admin), "district", "限流测试区");
    create_user(admin, "alike_real", org, "staff", "org", 0);
    create_user(admin, "spread_target", org, "staff", "org", 0);
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    unlink(sms_log);
    rmdir(sms_dir);
    return server_stop(state);
}

static unsigned djb2(const char *s)
{
    unsigned h = 5381;
    for (; *s; s++) h = h * 33 + (unsigned char)*s;
    return h;
}

/* Two different addresses in 10.<net>.x.y that fell into one slot of a table of `slots`. */
static void colliding_pair(int net, unsigned slots, char *a, char *b)
{
    sprintf(a, "10.%d.0.1", net);
    for (int x = 1; x < 256; x++)
        for (int y = 2; y < 256; y++) {
            sprintf(b, "10.%d.%d.%d", net, x, y);
            if (djb2(b) % slots == djb2(a) % slots) return;
        }
    fail_msg("no colliding address found");
}

/* POST path with body (taken) from the client address ip. */
static int post_from(const char *ip, const char *path, json_t *body, http_resp *r)
{
    char real[64];
    snprintf(real, sizeof real, "X-Real-IP: %s", ip);
    const char *headers[] = {"Content-Type: application/json", real, NULL};
    char *text = json_dumps(body, 0);
    json_decref(body);
    int st = http("POST", P(API_BASE "%s", path), headers, text, strlen(text), r);
    free(text);
    return st;
}

static int status_from(const char *ip, const char *path, json_t *body)
{
    http_resp r;
    int st = post_from(ip, path, body, &r);
    if (st == 429) {
        char *after = resp_header(&r, "Retry-After");
        if (!after || atoi(after) < 1) fail_msg("429 without a Retry-After");
        free(after);
        expect_error(st, r.json, 429, "too_many_attempts", NULL);
    }
    http_resp_free(&r);
    return st;
}

static int login_from(const char *ip, const char *user, const char *password)
{
    return status_from(ip, "/auth/login", jpack("{s:s, s:s}", "username", user, "password", password));
}

static const char *id_number(void)
{
    static const int w[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    char body[24];
    snprintf(body, sizeof body, "11010519850101%03d", serial++ % 1000);
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (body[i] - '0') * w[i];
    return P("%s%c", body, check[sum % 11]);
}

static const char *new_phone(void) { return P("137%08d", serial++); }

/* Registers a volunteer from its own address; phone and ID number copied out. */
static void register_volunteer(char *phone, char *idn)
{
    strcpy(phone, new_phone());
    strcpy(idn, id_number());
    http_resp r;
    expect_status(post_from(P("10.200.%d.%d", serial / 250, serial % 250 + 1), "/public/volunteers",
                            jpack("{s:I, s:s, s:s, s:s}", "org_id", (json_int_t)org, "name", "限流志愿者", "id_number",
                                  idn, "phone", phone), &r), r.json, 201);
    http_resp_free(&r);
}

/* ---------------------------------------------------------------- login */

static void test_colliding_addresses_keep_their_own_login_limits(void **state)
{
    (void)state;
    char a[32], b[32];
    colliding_pair(1, 1024, a, b);
    assert_string_not_equal(a, b);
    int failed[2] = {0, 0}, refused[2] = {0, 0};
    /* The old table let these two alternate for ever (200 failures without a 429). */
    for (int i = 0; i < 3 * LOGIN_IP_LIMIT; i++) {
        int k = i % 2;
        int st = login_from(k ? b : a, P("ghost_collide_%d", i), "Wrong-Password-1");
        if (st == 401) failed[k]++;
        else if (st == 429) refused[k]++;
        else fail_msg("login answered %d", st);
    }
    assert_int_equal(failed[0], LOGIN_IP_LIMIT);
    assert_int_equal(failed[1], LOGIN_IP_LIMIT);
    assert_int_equal(refused[0], LOGIN_IP_LIMIT / 2);
    assert_int_equal(refused[1], LOGIN_IP_LIMIT / 2);
    /* even the right password is refused from there; from elsewhere admin is not affected */
    assert_int_equal(login_from(a, "admin", ADMIN_PASSWORD), 429);
    assert_int_equal(login_from("10.1.255.254", "admin", ADMIN_PASSWORD), 200);
}

static void test_an_attacker_cannot_lock_admin_out(void **state)
{
    (void)state;
    int failed = 0, refused = 0;
    for (int i = 0; i < 20; i++) {
        int st = login_from("10.2.0.1", "admin", "Guess-Password-1");
        if (st == 401) failed++;
        else if (st == 429) refused++;
        else fail_msg("login answered %d", st);
    }
    /* 5 free failures, then a growing delay for this (account, address): at most a few more */
    assert_true(failed >= 5 && failed <= 7);
    assert_int_equal(failed + refused, 20);
    assert_int_equal(login_from("10.2.0.1", "ADMIN", ADMIN_PASSWORD), 429);   /* the name's case does not help */
    /* admin, from its own address, right after: logged in */
    assert_int_equal(login_from("10.2.0.2", "admin", ADMIN_PASSWORD), 200);
}

/* Failures spread over many addresses (none reaching its pair delay) still count for the
 * account: past its limit every address waits, the owner's too, until the delay ends. */
static void test_failures_from_many_addresses_delay_the_account(void **state)
{
    (void)state;
    for (int i = 0; i < ACCOUNT_LIMIT; i++)
        assert_int_equal(login_from(P("10.11.%d.1", i / 3), "spread_target", "Wrong-Password-3"), 401);
    assert_int_equal(login_from("10.11.100.1", "spread_target", USER_PASSWORD), 429);
    assert_int_equal(login_from("10.11.100.2", "Spread_Target", USER_PASSWORD), 429);
    /* a delay, not a lock: two seconds later (2^0 s, whole seconds) the owner gets in */
    struct timespec ts = {2, 100000000L};
    while (nanosleep(&ts, &ts) != 0) {}
    assert_int_equal(login_from("10.11.100.1", "spread_target", USER_PASSWORD), 200);
}

/* Runs one SQL statement on the server's database (psql or sqlite3); the first number it
 * prints, or -1. */
static long sql_number(const char *sql)
{
    char cmd[512];
    if (strcmp(test_db_kind(), "postgresql") == 0)
        snprintf(cmd, sizeof cmd, "psql -qtA '%s' -c '%s'", test_db_url(), sql);
    else
        snprintf(cmd, sizeof cmd, "sqlite3 '%s' '%s'", test_db_url(), sql);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    long n = -1;
    if (fscanf(f, "%ld", &n) != 1) n = -1;
    assert_int_equal(pclose(f), 0);
    return n;
}

/* Rows of rate_limits: on PostgreSQL every node's counts are there; SQLite counts in memory. */
static void test_counts_are_kept_where_all_nodes_see_them(void **state)
{
    (void)state;
    long rows = sql_number("SELECT COUNT(*) FROM rate_limits");
    if (strcmp(test_db_kind(), "postgresql") == 0) assert_true(rows >= 2 * LOGIN_IP_LIMIT);
    else assert_int_equal(rows, 0);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_known_and_unknown_names_answer_alike(void **state)
{
    (void)state;
    double spent[2] = {0, 0};
    const char *name[2] = {"alike_real", "alike_ghost"}, *ip[2] = {"10.3.0.1", "10.3.0.2"};
    for (int i = 0; i < 8; i++) {
        http_resp r[2];
        for (int k = 0; k < 2; k++) {
            double t0 = now_s();
            post_from(ip[k], "/auth/login", jpack("{s:s, s:s}", "username", name[k], "password", "Wrong-Password-2"),
                      &r[k]);
            if (r[k].status == 401) spent[k] += now_s() - t0;
        }
        assert_int_equal(r[0].status, r[1].status);
        assert_int_equal(r[0].status, i < 5 ? 401 : 429);
        assert_int_equal(r[0].body_len, r[1].body_len);
        if (memcmp(r[0].body, r[1].body, r[0].body_len) != 0)
            fail_msg("bodies differ: %s / %s", r[0].body, r[1].body);
        for (int k = 0; k < 2; k++) {
            char *after = resp_header(&r[k], "Retry-After");
            assert_true(i < 5 ? after == NULL : after != NULL);
            free(after);
            http_resp_free(&r[k]);
        }
    }
    /* the same password work for both: times within a generous factor of each other */
    double ratio = spent[0] / spent[1];
    if (ratio < 0.33 || ratio > 3.0)
        fail_msg("known %.3f s, unknown %.3f s over 5 failures", spent[0], spent[1]);
}

/* ---------------------------------------------------------------- volunteer "find me" */

static json_t *find_body(const char *phone, const char *factor, const char *value)
{
    return jpack("{s:s, s:s}", "phone", phone, factor, value);
}

static void test_find_me_refuses_the_last_four_and_takes_the_full_id_number(void **state)
{
    (void)state;
    char phone[16], idn[24];
    register_volunteer(phone, idn);
    http_resp r;
    expect_error(post_from("10.4.0.1", "/public/volunteer/find", find_body(phone, "id_last4", idn + 14), &r), r.json,
                 422, "invalid_field", "id_last4");
    http_resp_free(&r);
    expect_error(post_from("10.4.0.1", "/public/volunteer/find", jpack("{s:s}", "phone", phone), &r), r.json, 422,
                 "required", "id_number");
    http_resp_free(&r);
    expect_error(post_from("10.4.0.1", "/public/volunteer/find", jpack("{s:s, s:s, s:s}", "phone", phone, "id_number",
                                                                        idn, "code", "123456"), &r),
                 r.json, 422, "required", "id_number");
    http_resp_free(&r);
    expect_status(post_from("10.4.0.1", "/public/volunteer/find", find_body(phone, "id_number", idn), &r), r.json, 200);
    assert_true(strlen(jstr(r.json, "volunteer_key")) >= 40);
    assert_string_equal(jstr(r.json, "name"), "限流志愿者");
    http_resp_free(&r);
    /* lower-case x is the same number; another number is not */
    char lower[24];
    strcpy(lower, idn);
    if (lower[17] == 'X') lower[17] = 'x';
    assert_int_equal(status_from("10.4.0.1", "/public/volunteer/find", find_body(phone, "id_number", lower)), 200);
    assert_int_equal(status_from("10.4.0.1", "/public/volunteer/find", find_body(phone, "id_number", id_number())),
                     404);
}

static void test_colliding_addresses_keep_their_own_find_limits(void **state)
{
    (void)state;
    char a[32], b[32];
    colliding_pair(5, 512, a, b);
    int missed[2] = {0, 0}, refused[2] = {0, 0};
    for (int i = 0; i < 50; i++) {
        int k = i % 2;
        int st = status_from(k ? b : a, "/public/volunteer/find", find_body(new_phone(), "id_number", id_number()));
        if (st == 404) missed[k]++;
        else if (st == 429) refused[k]++;
        else fail_msg("find answered %d", st);
    }
    assert_int_equal(missed[0], 20);   /* KEPU_VOLUNTEER_FIND_LIMIT's default */
    assert_int_equal(missed[1], 20);
    assert_int_equal(refused[0] + refused[1], 10);
}

/* The review's attack: one phone, many guesses, each from a fresh address. */
static void test_find_me_is_limited_per_phone_from_any_address(void **state)
{
    (void)state;
    char phone[16], idn[24];
    register_volunteer(phone, idn);
    int missed = 0, refused = 0;
    for (int i = 0; i < 14; i++) {
        int st = status_from(P("10.6.%d.1", i), "/public/volunteer/find", find_body(phone, "id_number", id_number()));
        if (st == 404) missed++;
        else if (st == 429) refused++;
        else fail_msg("find answered %d", st);
    }
    assert_int_equal(missed, 10);   /* KEPU_VOLUNTEER_FIND_PHONE_LIMIT's default */
    assert_int_equal(refused, 4);
    /* the phone is held for the window, whoever asks */
    assert_int_equal(status_from("10.6.200.1", "/public/volunteer/find", find_body(phone, "id_number", idn)), 429);
}

/* The lines of the logging SMS sender's file (KEPU_SMS_LOG), malloc'd; "" when none. */
static char *sms_lines(void)
{
    FILE *f = fopen(sms_log, "r");
    char *text = calloc(1, 65536);
    assert_non_null(text);
    if (f) {
        size_t n = fread(text, 1, 65535, f);
        text[n] = 0;
        fclose(f);
    }
    return text;
}

/* The code of the last message to the phone (masked as 137****1234 in the file). */
static void last_code(const char *phone, char code[7])
{
    char masked[16];
    snprintf(masked, sizeof masked, "%.3s****%.4s", phone, phone + 7);
    char *text = sms_lines();
    const char *line = NULL;
    for (const char *p = strstr(text, masked); p; p = strstr(p + 1, masked)) line = p;
    if (!line) fail_msg("no SMS to %s in %s", masked, text);
    const char *c = strstr(line, "code ");
    assert_non_null(c);
    memcpy(code, c + 5, 6);
    code[6] = 0;
    assert_int_equal(strspn(code, "0123456789"), 6);
    free(text);
}

static int send_code(const char *ip, const char *phone, char **body)
{
    http_resp r;
    int st = post_from(ip, "/public/volunteer/find/code", jpack("{s:s}", "phone", phone), &r);
    if (body) *body = strdup(r.body);
    http_resp_free(&r);
    return st;
}

static void test_find_me_by_sms_code_sent_only_to_registered_phones(void **state)
{
    (void)state;
    char phone[16], idn[24], code[7], wrong[12];
    register_volunteer(phone, idn);
    const char *stranger = new_phone();
    char *known_body, *unknown_body;
    assert_int_equal(send_code("10.7.0.1", phone, &known_body), 202);
    assert_int_equal(send_code("10.7.0.1", stranger, &unknown_body), 202);
    assert_string_equal(known_body, unknown_body);   /* the answer tells nothing */
    free(known_body);
    free(unknown_body);
    char *text = sms_lines();
    assert_null(strstr(text, phone));       /* the number never in clear */
    assert_null(strstr(text, stranger));
    char masked[16];
    snprintf(masked, sizeof masked, "%.3s****%.4s", stranger, stranger + 7);
    assert_null(strstr(text, masked));      /* nothing sent to an unregistered phone */
    free(text);
    last_code(phone, code);
    snprintf(wrong, sizeof wrong, "%06d", (atoi(code) + 1) % 1000000);
    assert_int_equal(status_from("10.7.0.2", "/public/volunteer/find", find_body(phone, "code", wrong)), 404);
    assert_int_equal(status_from("10.7.0.2", "/public/volunteer/find", find_body(stranger, "code", wrong)), 404);
    http_resp r;
    expect_status(post_from("10.7.0.2", "/public/volunteer/find", find_body(phone, "code", code), &r), r.json, 200);
    char key[128];
    snprintf(key, sizeof key, "X-Volunteer-Key: %s", jstr(r.json, "volunteer_key"));
    http_resp_free(&r);
    const char *headers[] = {key, NULL};
    expect_status(http("GET", API_BASE "/public/volunteer/service", headers, NULL, 0, &r), r.json, 200);
    http_resp_free(&r);
    /* single use */
    assert_int_equal(status_from("10.7.0.2", "/public/volunteer/find", find_body(phone, "code", code)), 404);
    expect_error(post_from("10.7.0.2", "/public/volunteer/find", find_body(phone, "code", "12345"), &r), r.json, 422,
                 "invalid_field", "code");
    http_resp_free(&r);
}

static void test_sms_code_allows_five_tries_and_few_sends(void **state)
{
    (void)state;
    char phone[16], idn[24], code[7], wrong[12];
    register_volunteer(phone, idn);
    assert_int_equal(send_code("10.8.0.1", phone, NULL), 202);
    last_code(phone, code);
    snprintf(wrong, sizeof wrong, "%06d", (atoi(code) + 7) % 1000000);
    for (int i = 0; i < 5; i++)
        assert_int_equal(status_from("10.8.0.2", "/public/volunteer/find", find_body(phone, "code", wrong)), 404);
    /* the sixth try, even with the right code, finds nothing: the code is spent */
    assert_int_equal(status_from("10.8.0.2", "/public/volunteer/find", find_body(phone, "code", code)), 404);
    /* three codes per phone per window, from any address */
    assert_int_equal(send_code("10.8.0.3", phone, NULL), 202);
    assert_int_equal(send_code("10.8.0.4", phone, NULL), 202);
    assert_int_equal(send_code("10.8.0.5", phone, NULL), 429);
    /* a new code works again (tries start over) */
    last_code(phone, code);
    assert_int_equal(status_from("10.8.0.6", "/public/volunteer/find", find_body(phone, "code", code)), 200);
}

static void test_an_expired_sms_code_finds_nobody(void **state)
{
    (void)state;
    char phone[16], idn[24], code[7];
    register_volunteer(phone, idn);
    assert_int_equal(send_code("10.12.0.1", phone, NULL), 202);
    last_code(phone, code);
    /* five minutes pass: the row's expiry moved to the past, as the clock would */
    assert_int_equal(sql_number("UPDATE phone_codes SET expires_at = expires_at - 301; SELECT 1"), 1);
    assert_int_equal(status_from("10.12.0.2", "/public/volunteer/find", find_body(phone, "code", code)), 404);
    /* a fresh code works */
    assert_int_equal(send_code("10.12.0.1", phone, NULL), 202);
    last_code(phone, code);
    assert_int_equal(status_from("10.12.0.2", "/public/volunteer/find", find_body(phone, "code", code)), 200);
}

/* ---------------------------------------------------------------- registration */

static void test_colliding_addresses_keep_their_own_registration_limits(void **state)
{
    (void)state;
    char a[32], b[32];
    colliding_pair(9, 1024, a, b);
    int refused[2] = {0, 0}, other[2] = {0, 0};
    for (int i = 0; i < 50; i++) {
        int k = i % 2;
        int st = status_from(k ? b : a, "/public/volunteers", jpack("{s:I}", "org_id", (json_int_t)org));
        if (st == 429) refused[k]++;
        else other[k]++;
    }
    assert_int_equal(other[0], 20);   /* KEPU_VOLUNTEER_REGISTER_LIMIT's default */
    assert_int_equal(other[1], 20);
    assert_int_equal(refused[0] + refused[1], 10);
}

static void test_registration_is_limited_per_id_number(void **state)
{
    (void)state;
    const char *idn = id_number();
    char id[24];
    strcpy(id, idn);
    int st[5];
    for (int i = 0; i < 5; i++)
        st[i] = status_from(P("10.10.%d.1", i), "/public/volunteers",
                            jpack("{s:I, s:s, s:s, s:s}", "org_id", (json_int_t)org, "name", "重复测试", "id_number", id,
                                  "phone", new_phone()));
    assert_int_equal(st[0], 201);
    assert_int_equal(st[1], 409);   /* the duplicate answer, at most twice more for this number */
    assert_int_equal(st[2], 409);
    assert_int_equal(st[3], 429);
    assert_int_equal(st[4], 429);
}

/* ---------------------------------------------------------------- objections (issue 15) */

/* Objections to a 公示 are counted before the call is even read: 5 per address in 10 minutes
 * (KEPU_OBJECTION_LIMIT), 20 a day per call and entry from any address. */
static void test_objections_are_limited_per_address_and_target(void **state)
{
    (void)state;
    int st[7];
    for (int i = 0; i < 7; i++)
        st[i] = status_from("10.14.0.1", P("/public/calls/%d/objections", 99999901 + i),
                            jpack("{s:s, s:s, s:s}", "name", "异议人", "phone", new_phone(), "body", "有异议"));
    for (int i = 0; i < 5; i++) assert_int_equal(st[i], 404);   /* no such call in 公示 */
    assert_int_equal(st[5], 429);
    assert_int_equal(st[6], 429);
    int ok = 0, refused = 0;
    for (int i = 0; i < 22; i++) {
        int s = status_from(P("10.15.%d.1", i), "/public/calls/99999990/objections",
                            jpack("{s:s, s:s, s:s}", "name", "异议人", "phone", new_phone(), "body", "有异议"));
        if (s == 429) refused++;
        else if (s == 404) ok++;
    }
    assert_int_equal(ok, 20);
    assert_int_equal(refused, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_colliding_addresses_keep_their_own_login_limits),
        cmocka_unit_test(test_an_attacker_cannot_lock_admin_out),
        cmocka_unit_test(test_known_and_unknown_names_answer_alike),
        cmocka_unit_test(test_failures_from_many_addresses_delay_the_account),
        cmocka_unit_test(test_find_me_refuses_the_last_four_and_takes_the_full_id_number),
        cmocka_unit_test(test_colliding_addresses_keep_their_own_find_limits),
        cmocka_unit_test(test_find_me_is_limited_per_phone_from_any_address),
        cmocka_unit_test(test_find_me_by_sms_code_sent_only_to_registered_phones),
        cmocka_unit_test(test_sms_code_allows_five_tries_and_few_sends),
        cmocka_unit_test(test_an_expired_sms_code_finds_nobody),
        cmocka_unit_test(test_colliding_addresses_keep_their_own_registration_limits),
        cmocka_unit_test(test_registration_is_limited_per_id_number),
        cmocka_unit_test(test_objections_are_limited_per_address_and_target),
        cmocka_unit_test(test_counts_are_kept_where_all_nodes_see_them),
    };
    return run_api_tests(tests, setup, teardown);
}
