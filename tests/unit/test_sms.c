/* test_sms.c - the SMS senders (src/core/sms.c): the logging sender writes the text with the
 * phone masked, never in clear; the command sender runs KEPU_SMS_COMMAND without a shell with
 * the phone and the text on its standard input, in the background, and kills a program that
 * outlives KEPU_SMS_TIMEOUT; a sender set in code replaces both. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "core/sms.h"
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/kepu-sms-unit-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    unsetenv("KEPU_SMS_COMMAND");
    unsetenv("KEPU_SMS_LOG");
    unsetenv("KEPU_SMS_TIMEOUT");
    sms_set_sender(NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    char *text = calloc(1, 4096);
    size_t n = fread(text, 1, 4095, f);
    text[n] = 0;
    fclose(f);
    return text;
}

/* Waits up to ms for path to hold text ending in a newline; its content or NULL. */
static char *wait_for(const char *path, long ms)
{
    for (long waited = 0; waited <= ms; waited += 20) {
        char *t = slurp(path);
        if (t && *t && t[strlen(t) - 1] == '\n') return t;
        free(t);
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

static void write_script(const char *path, const char *body)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(body, f);
    fclose(f);
    assert_int_equal(chmod(path, 0700), 0);
}

static void test_logging_sender_masks_the_phone(void **state)
{
    (void)state;
    char log[96];
    snprintf(log, sizeof log, "%s/sms.log", dir);
    setenv("KEPU_SMS_LOG", log, 1);
    assert_string_equal(sms_sender_name(), "log");
    assert_int_equal(sms_send("13812345678", "code 123456"), 0);
    char *text = slurp(log);
    assert_non_null(text);
    assert_non_null(strstr(text, "138****5678 code 123456"));
    assert_null(strstr(text, "13812345678"));
    free(text);
    unsetenv("KEPU_SMS_LOG");
}

static void test_command_sender_gets_phone_and_text_on_stdin(void **state)
{
    (void)state;
    char script[96], out[96], body[512];
    snprintf(script, sizeof script, "%s/send.sh", dir);
    snprintf(out, sizeof out, "%s/got.txt", dir);
    /* argv must be only the program (no shell words from the text); stdin holds both lines */
    snprintf(body, sizeof body, "#!/bin/sh\n{ echo \"args:$#\"; cat; } > '%s.tmp' && mv '%s.tmp' '%s'\n", out, out,
             out);
    write_script(script, body);
    setenv("KEPU_SMS_COMMAND", script, 1);
    assert_string_equal(sms_sender_name(), "command");
    assert_int_equal(sms_send("13912345678", "验证码 654321; rm -rf /"), 0);
    char *got = wait_for(out, 5000);
    assert_non_null(got);
    assert_string_equal(got, "args:0\n13912345678\n验证码 654321; rm -rf /\n");
    free(got);
    unsetenv("KEPU_SMS_COMMAND");
}

static void test_command_sender_kills_a_program_past_its_timeout(void **state)
{
    (void)state;
    char script[96], pidfile[96], body[512];
    snprintf(script, sizeof script, "%s/hang.sh", dir);
    snprintf(pidfile, sizeof pidfile, "%s/hang.pid", dir);
    snprintf(body, sizeof body, "#!/bin/sh\necho $$ > '%s.tmp' && mv '%s.tmp' '%s'\nexec sleep 30\n", pidfile, pidfile,
             pidfile);
    write_script(script, body);
    setenv("KEPU_SMS_COMMAND", script, 1);
    setenv("KEPU_SMS_TIMEOUT", "1", 1);
    time_t t0 = time(NULL);
    assert_int_equal(sms_send("13912345678", "x"), 0);
    assert_true(time(NULL) - t0 <= 1);   /* the caller never waits for the program */
    char *pid_text = wait_for(pidfile, 5000);
    assert_non_null(pid_text);
    pid_t pid = (pid_t)atoi(pid_text);
    free(pid_text);
    assert_true(pid > 0);
    bool gone = false;
    for (int i = 0; i < 100 && !gone; i++) {   /* up to 5 s: 1 s timeout plus slack */
        gone = kill(pid, 0) != 0 && errno == ESRCH;
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    assert_true(gone);
    unsetenv("KEPU_SMS_COMMAND");
    unsetenv("KEPU_SMS_TIMEOUT");
}

static int fake_calls;
static char fake_phone[16];
static int fake_send(const char *phone, const char *text)
{
    (void)text;
    fake_calls++;
    snprintf(fake_phone, sizeof fake_phone, "%s", phone);
    return -1;
}

static void test_a_sender_set_in_code_replaces_the_builtin_ones(void **state)
{
    (void)state;
    static const sms_sender fake = {"fake", fake_send};
    sms_set_sender(&fake);
    assert_string_equal(sms_sender_name(), "fake");
    assert_int_equal(sms_send("13700000000", "x"), -1);
    assert_int_equal(fake_calls, 1);
    assert_string_equal(fake_phone, "13700000000");
    sms_set_sender(NULL);
    assert_string_equal(sms_sender_name(), "log");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logging_sender_masks_the_phone),
        cmocka_unit_test(test_command_sender_gets_phone_and_text_on_stdin),
        cmocka_unit_test(test_command_sender_kills_a_program_past_its_timeout),
        cmocka_unit_test(test_a_sender_set_in_code_replaces_the_builtin_ones),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
