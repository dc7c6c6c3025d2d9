/* sms.c - the logging and command SMS senders (sms.h). */
#include "core/sms.h"
#include "core/log.h"
#include "core/validate.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const sms_sender *chosen;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- logging sender ---- */

static int log_send(const char *phone, const char *text)
{
    char masked[24];
    mask_phone(phone, masked, sizeof masked);
    const char *path = getenv("KEPU_SMS_LOG");
    if (!path || !*path) {
        log_info("sms (logging sender) to %s: %s", masked, text);
        return 0;
    }
    pthread_mutex_lock(&log_lock);
    FILE *f = fopen(path, "a");
    int rc = f ? 0 : -1;
    if (f) {
        fprintf(f, "%lld %s %s\n", (long long)time(NULL), masked, text);
        rc = fclose(f) == 0 ? 0 : -1;
    }
    pthread_mutex_unlock(&log_lock);
    if (rc != 0) log_warn("sms: cannot write KEPU_SMS_LOG (%s)", strerror(errno));
    return rc;
}

static const sms_sender log_sender = {"log", log_send};

/* ---- command sender ---- */

struct job { char *input; size_t len; };

static int timeout_seconds(void)
{
    const char *v = getenv("KEPU_SMS_TIMEOUT");
    int n = v ? atoi(v) : 0;
    return n > 0 && n <= 300 ? n : 10;
}

/* Waits for pid up to the timeout, killing it then; its exit status, or -1. */
static int wait_or_kill(pid_t pid)
{
    int st = 0;
    long left_ms = timeout_seconds() * 1000L;
    for (;;) {
        pid_t got = waitpid(pid, &st, WNOHANG);
        if (got == pid) return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        if (got < 0 && errno != EINTR) return -1;
        if (left_ms <= 0) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            log_warn("sms: KEPU_SMS_COMMAND did not finish in %d s: killed", timeout_seconds());
            return -1;
        }
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
        left_ms -= 50;
    }
}

/* Runs the command with the job on its standard input (no shell, nothing in argv). */
static void run_command(struct job *j)
{
    const char *cmd = getenv("KEPU_SMS_COMMAND");
    int fds[2];
    if (!cmd || pipe(fds) != 0) return;
    /* Other threads may spawn too: neither end must leak into their children. */
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[0], STDIN_FILENO);
    char *argv[] = {(char *)cmd, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, cmd, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[0]);
    if (rc != 0) {
        close(fds[1]);
        log_warn("sms: cannot run KEPU_SMS_COMMAND (%s)", strerror(rc));
        return;
    }
    /* SIGPIPE is ignored by the server: a program that exits early only makes write fail. */
    for (size_t off = 0; off < j->len;) {
        ssize_t n = write(fds[1], j->input + off, j->len - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        off += (size_t)n;
    }
    close(fds[1]);
    int status = wait_or_kill(pid);
    if (status != 0) log_warn("sms: KEPU_SMS_COMMAND failed (status %d)", status);
}

static void *command_thread(void *arg)
{
    struct job *j = arg;
    run_command(j);
    sodium_memzero(j->input, j->len);
    free(j->input);
    free(j);
    return NULL;
}

static int command_send(const char *phone, const char *text)
{
    struct job *j = malloc(sizeof *j);
    if (!j) return -1;
    j->len = strlen(phone) + strlen(text) + 2;
    j->input = malloc(j->len + 1);
    if (!j->input) { free(j); return -1; }
    snprintf(j->input, j->len + 1, "%s\n%s\n", phone, text);
    pthread_t t;
    if (pthread_create(&t, NULL, command_thread, j) != 0) { free(j->input); free(j); return -1; }
    pthread_detach(t);
    return 0;
}

static const sms_sender command_sender = {"command", command_send};

/* ---- the interface ---- */

static const sms_sender *sender(void)
{
    if (chosen) return chosen;
    const char *cmd = getenv("KEPU_SMS_COMMAND");
    return cmd && *cmd ? &command_sender : &log_sender;
}

void sms_set_sender(const sms_sender *s) { chosen = s; }
const char *sms_sender_name(void) { return sender()->name; }

int sms_send(const char *phone, const char *text)
{
    return sender()->send(phone, text);
}
