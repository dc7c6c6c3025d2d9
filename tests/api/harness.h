/* harness.h - the shared helpers of the API tests (tests/api/test_*.c).
 *
 * Each test program starts its own server once (cmocka group setup): a temporary directory,
 * a free port, `$KEPU_BIN serve --listen 127.0.0.1:PORT --db DIR/kepu.db --web DIR/web` with
 * KEPU_BOOTSTRAP_ADMIN_PASSWORD set, its standard error in DIR/server.log; setup waits for
 * GET /api/v1/health to answer 200 (20 s at most). Group teardown sends SIGTERM, waits, and
 * fails unless the server exited with status 0 (graceful shutdown), then removes DIR.
 * With KEPU_TEST_PG_URL (postgresql://user@host:port) the server runs on a PostgreSQL
 * database of its own instead, dropped at the end.
 *
 * Paths: api() and friends prefix "/api/v1" unless the path already starts with "/api/";
 * http() sends the path exactly as given (no normalisation, for traversal tests).
 * P() formats a path into one of 16 rotating static buffers (not for use in threads).
 * Everything returned to the caller is owned by the caller: json_decref() JSON, free() text,
 * http_resp_free() responses. */
#ifndef KEPU_TEST_HARNESS_H
#define KEPU_TEST_HARNESS_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define API_BASE "/api/v1"
#define ADMIN_PASSWORD "AdminPass-2026"
#define USER_PASSWORD "UserPass-2026"

/* ---- server lifecycle (cmocka group setup / teardown) ---- */
int server_start(void **state);
int server_stop(void **state);
/* cmocka 1.1 returns 0 when only a group setup or teardown failed; main() returns
 * run_api_tests(...) instead, which also fails unless the server started, and stopped
 * gracefully with status 0 (a server still running is stopped here). */
#define run_api_tests(tests, setup, teardown) harness_result(cmocka_run_group_tests(tests, setup, teardown))
int harness_result(int cmocka_failures);
int server_port(void);
const char *server_dir(void);      /* the temporary directory (server.log, kepu.db, web/) */
/* A second node on the same database (after server_start); use_node(1 or 2) picks which one
 * the request helpers talk to; kill_first_node_hard() sends SIGKILL to node 1. */
int second_node_start(void);
void use_node(int n);
void kill_first_node_hard(void);
/* Nodes started after this call run with soft and hard RLIMIT_NOFILE n (0: as the tests). */
void limit_node_descriptors(unsigned long n);
/* Sends a signal to the (first) server; the group teardown still waits for it and requires
 * exit status 0, so a test that sends SIGTERM must be the last of its file. */
void server_signal(int sig);
/* "sqlite" or "postgresql": the backend this run tests, and the server's --db value. */
const char *test_db_kind(void);
const char *test_db_url(void);

/* ---- HTTP ---- */
typedef struct http_resp {
    int status;         /* 0 when the exchange failed (refused, reset, timeout) */
    char *body;         /* NUL-terminated raw body ("" when none) */
    size_t body_len;
    char *headers;      /* raw response header block(s) */
    json_t *json;       /* the body parsed as JSON, or NULL */
} http_resp;

/* Any request: extra headers are a NULL-terminated list of "Name: value" (no bearer, no
 * content type unless given); body may hold any bytes. Returns the status. */
int http(const char *method, const char *path, const char *const *headers, const char *body,
         size_t body_len, http_resp *resp);
void http_resp_free(http_resp *resp);
/* The value of the first response header with this name (case-insensitive), malloc'd; NULL
 * when absent. */
char *resp_header(const http_resp *resp, const char *name);

/* A JSON request with an optional bearer token. api() takes (steals) body, which may be NULL;
 * *out (when out is not NULL) receives the parsed JSON answer or NULL. Returns the status. */
int api(const char *method, const char *path, const char *token, json_t *body, json_t **out);
/* The same with a literal text body (sent as application/json, may be NULL). */
int api_text(const char *method, const char *path, const char *token, const char *body, json_t **out);
/* The same as api() but keeps the whole response (headers too). */
int api_full(const char *method, const char *path, const char *token, json_t *body, http_resp *resp);

/* json_pack that fails the test on a format error instead of returning NULL. */
json_t *jpack(const char *fmt, ...);
/* Values along a dotted path ("error.code", "user.role", "items.0.id"); 0 / NULL if absent. */
json_t *jget(json_t *j, const char *dotted);
int64_t jint(json_t *j, const char *dotted);
const char *jstr(json_t *j, const char *dotted);
/* The path, formatted ("/orgs/%lld"); valid until 16 more calls. */
const char *P(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A valid resident ID number of district 500103, born `day` days after 1970-01-01, with the
 * 3-digit sequence `seq` (tests keep their own counters so numbers differ). In a P() buffer. */
const char *test_id_number(long day, int seq);
/* Shanghai time `seconds` from now, RFC 3339 with +08:00. In a P() buffer. */
const char *shanghai_at(long seconds);
/* Percent-encodes a query value (UTF-8 Chinese included), malloc'd. */
char *urlenc(const char *s);

/* ---- errors ---- */
/* The error code / field of an error body; "" when absent, "null" for a JSON null field. */
const char *err_code(json_t *j);
const char *err_field(json_t *j);
/* Whether j is exactly {"error": {"code": string, "message": non-empty string,
 * "field": string or null, "message_key": "m" + 8 hex, "params"?: [string]}}. */
bool error_shape_ok(json_t *j);
/* Asserts status, error shape, code and field; code or field "*" accepts any, field NULL
 * requires null.
 * Prints the whole answer and the caller's line on mismatch. */
#define expect_error(got, j, status, code, field)                                                   \
    do {                                                                                            \
        int ee_st_ = (got); /* evaluated before j is read: got usually fills j */                  \
        expect_error_at(__FILE__, __LINE__, ee_st_, (j), (status), (code), (field));                \
    } while (0)
void expect_error_at(const char *file, int line, int got, json_t *j, int status, const char *code,
                     const char *field);
/* The same for a whole request: sends it (body taken), checks, frees the answer (also when the
 * check fails, so that a failing test leaks nothing). */
#define expect_api_error(method, path, token, body, status, code, field) \
    expect_api_error_at(__FILE__, __LINE__, (method), (path), (token), (body), (status), (code), (field))
void expect_api_error_at(const char *file, int line, const char *method, const char *path, const char *token,
                         json_t *body, int status, const char *code, const char *field);
/* Asserts a status, printing the answer on mismatch (got is evaluated before j). */
#define expect_status(got, j, want)                                                                \
    do {                                                                                            \
        int es_st_ = (got);                                                                         \
        expect_status_at(__FILE__, __LINE__, es_st_, (j), (want));                                  \
    } while (0)
void expect_status_at(const char *file, int line, int got, json_t *j, int want);

/* ---- domain helpers (each fails the test when the server refuses) ---- */
/* Logs in; returns the token (free()). */
char *login(const char *username, const char *password);
/* Logs in and returns the status; *out gets the answer. */
int login_status(const char *username, const char *password, json_t **out);
int64_t me_id(const char *token);
int64_t root_org_id(const char *token);
int64_t create_org(const char *token, int64_t parent, const char *type, const char *name);
/* member_org may be 0 for none; the password is USER_PASSWORD. */
int64_t create_user(const char *token, const char *username, int64_t org, const char *role,
                    const char *data_scope, int64_t member_org);
/* The same with a full body (taken). */
int64_t create_user_body(const char *token, json_t *body);
/* GET path and return its "total" (fails unless 200). */
int64_t list_total(const char *token, const char *path);
/* The first worksheet's XML of an .xlsx answer (unzipped with unzip(1)), malloc'd: exports'
 * cells can be looked for with strstr(). Fails the test when it is not a workbook. */
char *xlsx_sheet_xml(const http_resp *resp);
/* Any part of an .xlsx answer as text ("xl/styles.xml", "xl/workbook.xml"), malloc'd; the same. */
char *xlsx_part(const http_resp *resp, const char *name);

/* ---- Excel imports (harness_xlsx.c, with xlsx_part: the upload helpers shared by the import tests) ---- */
/* A workbook built with libxlsxwriter, as malloc'd bytes (*len): headers[0..ncols) in row 1 (NULL:
 * no header), then nrows rows whose cell c of row r is cells[r * stride + c] (NULL or "": empty;
 * "#n:46082" is written as a number, what Excel stores for a date or a count). */
char *import_workbook(int ncols, const char *const *headers, const char *const *cells, int stride, int nrows,
                      size_t *len);
/* The bytes of the file at path (malloc'd, *len), the file removed. */
char *file_bytes_removed(const char *path, size_t *len);
/* POST /<module>/import?org_id=&commit=0|1 with the workbook's bytes as token; returns the status,
 * *out the answer (json_decref). */
int import_upload(const char *module, const char *token, int64_t org, bool commit, const char *bytes, size_t len,
                  json_t **out);
/* Asserts that the first problem the answer's errors report for Excel row `row` names field. */
void expect_row_error(json_t *errors, int row, const char *field);
/* The fields reported for an Excel row, in order, comma-joined ("" when none): a static buffer. */
const char *row_fields(json_t *errors, int row);
/* GET /<module>/import/template.xlsx as token and asserts issue 14's template: headers only on
 * the data sheet (header among them, example nowhere there), a drop-down whose list holds option
 * (also on the hidden sheet 选项), text-formatted columns (number format "@") when text_column, and
 * the sheet 填写说明 with the example and the required columns. */
void expect_import_template(const char *token, const char *module, const char *header, bool text_column,
                            const char *example, const char *option);
/* Whether a list/array of objects holds an item with this id. */
bool items_have_id(json_t *items, int64_t id);

/* ---- statistics ---- */
/* Runs `$KEPU_BIN stats verify --db <this run's database>` while the server runs (SQLite in WAL
 * mode and PostgreSQL both allow the second reader) and fails the test, printing the tool's
 * output, unless every roll-up equals its recomputation from the raw records ("0 differences",
 * exit status 0). stats_verify_test is the same as a cmocka test, the last of a program that
 * writes statistics: cmocka_unit_test(stats_verify_test). */
void assert_stats_verify(void);
void stats_verify_test(void **state);

/* A row of a scope matrix: `who` (for the failure message; token NULL: anonymous) asks
 * method on fmt with id in place of its %lld (body: JSON text or NULL). want: the status; a 404
 * must also be exactly the answer for a missing id (MATRIX_MISSING in its place: status, code and
 * field), so that nothing tells a record outside the scope from no record. True when it held;
 * a failure is printed. */
#define MATRIX_MISSING 99999999LL
bool scope_row(const char *who, const char *token, const char *method, const char *fmt, int64_t id, const char *body,
               int want);

/* ---- Calls (harness_calls.c): the steps of a call's cycle ---------------------------------------
 * The metric's value this Shanghai year at org; reviewer user_id's sheet of entry (fails when
 * none); the call's 公示 opened (its public page checked), ended at once with a reason, and the
 * call finalized (fails unless final). */
int64_t metric_this_year(const char *token, int64_t org, const char *name);
int64_t review_sheet_of(const char *token, int64_t call, int64_t entry, int64_t user_id);
void call_publicize_and_finalize(const char *token, int64_t call);
/* The id of the call template with code (fails when none). */
int64_t call_template_id(const char *token, const char *code);

#endif
