/* harness_xlsx.c - the API tests' Excel helpers (see harness.h): a part of a downloaded workbook,
 * and the import tests' shared upload helpers (the workbook built, uploaded, its errors read, the
 * template checked), once for every import test. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <xlsxwriter.h>

char *xlsx_part(const http_resp *resp, const char *name)
{
    char path[4200], cmd[4600];
    static int seq;
    snprintf(path, sizeof path, "%s/download-%d.xlsx", server_dir(), ++seq);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(resp->body, 1, resp->body_len, f), resp->body_len);
    fclose(f);
    snprintf(cmd, sizeof cmd, "unzip -p '%s' '%s'", path, name);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, len = 0, n;
    char *text = malloc(cap);
    while ((n = fread(text + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 1024) text = realloc(text, cap *= 2);
    }
    text[len] = 0;
    assert_int_equal(pclose(p), 0);
    unlink(path);
    return text;
}

char *xlsx_sheet_xml(const http_resp *resp) { return xlsx_part(resp, "xl/worksheets/sheet1.xml"); }

/* ---------------------------------------------------------------- Excel imports */

char *file_bytes_removed(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    char *bytes = malloc(*len ? *len : 1);
    assert_int_equal(fread(bytes, 1, *len, f), *len);
    fclose(f);
    remove(path);
    return bytes;
}

char *import_workbook(int ncols, const char *const *headers, const char *const *cells, int stride, int nrows,
                      size_t *len)
{
    char path[256];
    static int seq;
    snprintf(path, sizeof path, "%s/import-%d.xlsx", server_dir(), ++seq);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    for (int c = 0; c < ncols; c++)
        if (headers[c]) worksheet_write_string(ws, 0, (lxw_col_t)c, headers[c], NULL);
    for (int r = 0; r < nrows; r++)
        for (int c = 0; c < ncols; c++) {
            const char *v = cells[r * stride + c];
            if (!v || !*v) continue;
            if (!strncmp(v, "#n:", 3)) worksheet_write_number(ws, (lxw_row_t)(r + 1), (lxw_col_t)c, atof(v + 3), NULL);
            else worksheet_write_string(ws, (lxw_row_t)(r + 1), (lxw_col_t)c, v, NULL);
        }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    return file_bytes_removed(path, len);
}

int import_upload(const char *module, const char *token, int64_t org, bool commit, const char *bytes, size_t len,
                  json_t **out)
{
    char auth[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *headers[] = {auth, "X-File-Name: import.xlsx", NULL};
    http_resp resp;
    int st = http("POST", P(API_BASE "/%s/import?org_id=%lld&commit=%d", module, (long long)org, commit ? 1 : 0),
                  headers, bytes, len, &resp);
    *out = json_incref(resp.json);
    http_resp_free(&resp);
    return st;
}

void expect_row_error(json_t *errors, int row, const char *field)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) if (jint(e, "row") == row) {
        assert_string_equal(jstr(e, "field"), field);
        return;
    }
    fail_msg("no error for row %d", row);
}

const char *row_fields(json_t *errors, int row)
{
    static char out[512];
    size_t i, o = 0;
    json_t *e;
    out[0] = 0;
    json_array_foreach(errors, i, e) if (jint(e, "row") == row)
        o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", o ? "," : "", jstr(e, "field"));
    return out;
}

void expect_import_template(const char *token, const char *module, const char *header, bool text_column,
                            const char *example, const char *option)
{
    http_resp resp;
    expect_status(api_full("GET", P("/%s/import/template.xlsx", module), token, NULL, &resp), NULL, 200);
    char *wb = xlsx_part(&resp, "xl/workbook.xml"), *data = xlsx_part(&resp, "xl/worksheets/sheet1.xml"),
         *help = xlsx_part(&resp, "xl/worksheets/sheet2.xml"), *opts = xlsx_part(&resp, "xl/worksheets/sheet3.xml"),
         *styles = xlsx_part(&resp, "xl/styles.xml");
    assert_non_null(strstr(wb, "填写说明"));
    assert_non_null(strstr(wb, "state=\"hidden\""));
    assert_non_null(strstr(data, header));
    assert_null(strstr(data, example));               /* no example row to import */
    assert_null(strstr(data, "<row r=\"2\""));
    assert_non_null(strstr(data, "<dataValidation "));
    assert_non_null(strstr(strstr(data, "<dataValidation "), option));   /* the list holds the choices */
    if (text_column) assert_non_null(strstr(styles, "formatCode=\"@\""));
    if (text_column) assert_non_null(strstr(data, "<col "));
    assert_non_null(strstr(help, example));
    assert_non_null(strstr(help, "必填"));
    assert_non_null(strstr(opts, option));
    free(wb), free(data), free(help), free(opts), free(styles);
    http_resp_free(&resp);
}
