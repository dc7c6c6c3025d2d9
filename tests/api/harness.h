/* harness.h - starts build/kepu on a free port with a temporary database and talks HTTP to it
 * (libcurl), for the API tests. One server per test program; KEPU_BIN names the binary. */
#ifndef KEPU_TEST_HARNESS_H
#define KEPU_TEST_HARNESS_H
#include <jansson.h>
#include <stdint.h>

#define ADMIN_PASSWORD "AdminPass-2026"
#define USER_PASSWORD "UserPass-2026"

/* cmocka group setup/teardown: start the server, stop it (asserting a clean exit 0). */
int server_start(void **state);
int server_stop(void **state);
int server_port(void);
/* A second node on the same database (after server_start); use_node(1 or 2) picks which
 * one api() talks to; kill_first_node_hard() sends SIGKILL to node 1. */
int second_node_start(void);
void use_node(int n);
void kill_first_node_hard(void);
/* "sqlite" or "postgresql": the backend this run tests, and the server's --db value. */
const char *test_db_kind(void);
const char *test_db_url(void);

/* Sends a request; body may be NULL. Returns the HTTP status; *out (when out is not NULL)
 * receives the parsed JSON body or NULL, which the caller json_decref()s. */
long api(const char *method, const char *path, const char *token, const char *body, json_t **out);
/* The same with a jansson body, which it takes. */
long apij(const char *method, const char *path, const char *token, json_t *body, json_t **out);
/* Extra headers (NULL-terminated list "Name: value"), no bearer; headers_out gets the raw
 * response headers (free()). */
long api_raw(const char *method, const char *path, const char *const *headers, const char *body,
             size_t body_len, json_t **out, char **headers_out);

/* Logs in and returns the token (free()); fails the test on error. */
char *login(const char *username, const char *password);
int64_t root_org_id(const char *token);
int64_t create_org(const char *token, int64_t parent, const char *type, const char *name);
/* member_org may be 0 for none. */
int64_t create_user(const char *token, const char *username, int64_t org, const char *role,
                    const char *data_scope, int64_t member_org);
/* The error code of an error body ("" when none). */
const char *err_code(json_t *j);
const char *err_field(json_t *j);

#endif
