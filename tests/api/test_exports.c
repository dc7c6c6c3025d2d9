/* test_exports.c - the Excel exports read back cell by cell (issue 14, items 12, 15-17, 19): the
 * activity export's title row (the filter), the UI's column names and every field, date cells,
 * numbers, totals saved with their value, widths and frozen header; the children summary's own
 * row (本级) and totals equal to /stats, Chinese headers for every metric, a period window
 * (2026:science_week) as the sheet. tests/office/export_roundtrip.sh opens the same exports in
 * LibreOffice Calc. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static char *admin;
static int64_t root;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    return server_stop(state);
}

/* One cell of a sheet's XML (libxlsxwriter's constant-memory output: inline strings). */
typedef struct cell {
    bool found, text;
    char value[1024];     /* the text, or the number as written */
    char formula[64];     /* "" when none */
} cell;

static void between(const char *from, const char *end, const char *open, const char *close, char *out, size_t n)
{
    const char *a = strstr(from, open);
    out[0] = 0;
    if (!a || a > end) return;
    a += strlen(open);
    const char *b = strstr(a, close);
    if (!b || b > end) return;
    size_t len = (size_t)(b - a) < n - 1 ? (size_t)(b - a) : n - 1;
    memcpy(out, a, len);
    out[len] = 0;
}

static cell cell_at(const char *xml, const char *ref)
{
    cell c = {0};
    char key[32];
    snprintf(key, sizeof key, "<c r=\"%s\"", ref);
    const char *s = strstr(xml, key);
    if (!s) return c;
    const char *tag_end = strchr(s, '>');
    const char *end = tag_end[-1] == '/' ? tag_end : strstr(s, "</c>");
    c.found = true;
    const char *t = strstr(s, "t=\"inlineStr\"");
    c.text = t && t < tag_end;
    if (c.text) between(s, end, "<t>", "</t>", c.value, sizeof c.value);
    else between(s, end, "<v>", "</v>", c.value, sizeof c.value);
    if (!c.text && !c.value[0]) between(s, end, "<t xml:space=\"preserve\">", "</t>", c.value, sizeof c.value);
    between(s, end, "<f>", "</f>", c.formula, sizeof c.formula);
    return c;
}

static void expect_text(const char *xml, const char *ref, const char *want)
{
    cell c = cell_at(xml, ref);
    if (!c.found || !c.text || strcmp(c.value, want)) fail_msg("%s: want text \"%s\", got %s \"%s\"", ref, want, c.found ? (c.text ? "text" : "number") : "nothing", c.value);
}

static void expect_number(const char *xml, const char *ref, double want)
{
    cell c = cell_at(xml, ref);
    if (!c.found || c.text || atof(c.value) != want) fail_msg("%s: want the number %g, got %s \"%s\"", ref, want, c.found ? (c.text ? "text" : "number") : "nothing", c.value);
}

/* A totals cell: SUM() over the range, saved with its value (item 15). */
static void expect_sum(const char *xml, const char *ref, const char *range, double want)
{
    cell c = cell_at(xml, ref);
    char f[64];
    snprintf(f, sizeof f, "SUM(%s)", range);
    if (!c.found || strcmp(c.formula, f) || atof(c.value) != want)
        fail_msg("%s: want %s saved as %g, got formula \"%s\" value \"%s\"", ref, f, want, c.formula, c.value);
}

static int64_t record(int64_t org, const char *day, int participants, int funds, json_t *more)
{
    json_t *body = jpack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i}", "org_id", (json_int_t)org, "kind", "lecture", "title",
                         "导出测试讲座", "start_date", day, "end_date", day, "participants", participants, "funds", funds);
    if (more) json_object_update(body, more), json_decref(more);
    json_t *j = NULL;
    expect_status(api("POST", "/activities", admin, body, &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int64_t stat(int64_t org, const char *period, const char *metric)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/stats?org_id=%lld&period=%s&metrics=%s", (long long)org, period, metric), admin, NULL, &j), j, 200);
    int64_t v = json_integer_value(json_object_get(jget(j, "values"), metric));
    json_decref(j);
    return v;
}

static char *download(const char *path)
{
    http_resp resp;
    int st = api_full("GET", path, admin, NULL, &resp);
    if (st != 200) fail_msg("GET %s: %d %s", path, st, resp.body);
    char *xml = xlsx_sheet_xml(&resp);
    http_resp_free(&resp);
    return xml;
}

/* Item 12: every field under the UI's names, dates as date cells, totals computed, the filter
 * in a title row, widths and the frozen header. */
static void test_activity_export_is_complete(void **state)
{
    (void)state;
    int64_t dist = create_org(admin, root, "district", "导出甲区");
    int64_t point = create_org(admin, dist, "point", "导出甲点");
    record(point, "2025-03-05", 120, 500,
           jpack("{s:s, s:s, s:s, s:[s,s], s:s, s:s, s:i}", "end_date", "2025-03-06", "place", "社区礼堂", "audience", "elderly", "tags",
                 "健康", "防诈骗", "co_organizers", "区卫健委", "description", "讲解常见骗局", "volunteer_hours", 3));
    record(dist, "2025-04-01", 80, 300, NULL);
    record(dist, "2024-04-01", 7, 7, NULL);   /* outside the filter */
    char *xml = download(P("/activities/export.xlsx?org_id=%lld&from=2025-01-01&to=2025-12-31", (long long)dist));

    cell title = cell_at(xml, "A1");
    assert_true(title.text);
    assert_non_null(strstr(title.value, "筛选条件"));
    assert_non_null(strstr(title.value, "导出甲区"));
    assert_non_null(strstr(title.value, "2025-01-01 至 2025-12-31"));
    static const char *const headers[][2] = {{"A2", "开始日期"}, {"B2", "结束日期"}, {"C2", "活动名称"}, {"D2", "活动类型"},
                                             {"E2", "主办机构"}, {"F2", "活动地点"}, {"G2", "受众人群"}, {"H2", "标签"},
                                             {"I2", "协办单位"}, {"J2", "活动简介"}, {"K2", "参与人数"}, {"Q2", "经费（元）"},
                                             {"R2", "登记时间"}};
    for (size_t i = 0; i < sizeof headers / sizeof *headers; i++) expect_text(xml, headers[i][0], headers[i][1]);
    /* oldest first: the point's lecture, then the district's */
    expect_number(xml, "A3", 45721);   /* 2025-03-05 as a date serial */
    expect_number(xml, "B3", 45722);
    expect_text(xml, "D3", "讲座");
    expect_text(xml, "E3", "导出甲点");
    expect_text(xml, "F3", "社区礼堂");
    expect_text(xml, "G3", "老年人");
    expect_text(xml, "H3", "健康、防诈骗");
    expect_text(xml, "I3", "区卫健委");
    expect_text(xml, "J3", "讲解常见骗局");
    expect_number(xml, "K3", 120);
    expect_number(xml, "P3", 3);
    cell registered = cell_at(xml, "R3");
    assert_true(registered.found && !registered.text && atof(registered.value) > 45000);   /* a date and time */
    expect_text(xml, "E4", "导出甲区");
    expect_text(xml, "A5", "合计");
    expect_sum(xml, "K5", "K3:K4", 200);
    expect_sum(xml, "Q5", "Q3:Q4", 800);
    assert_false(cell_at(xml, "R5").found);   /* no sum of times */
    assert_null(cell_at(xml, "A6").found ? "a row past the totals" : NULL);
    assert_non_null(strstr(xml, "ySplit=\"2\""));                       /* title and header frozen */
    assert_non_null(strstr(xml, "min=\"10\" max=\"10\" width=\"40."));  /* 活动简介 wide */
    assert_non_null(strstr(xml, "min=\"3\" max=\"3\" width=\"30."));    /* 活动名称 */
    free(xml);

    /* no filter: the title says so */
    xml = download("/activities/export.xlsx?kind=lecture&q=%E5%AF%BC%E5%87%BA");
    title = cell_at(xml, "A1");
    assert_non_null(strstr(title.value, "活动类型 讲座"));
    assert_non_null(strstr(title.value, "关键词“导出”"));
    free(xml);
}

/* Items 16, 17, 19: the node's own records in a 本级 row, the totals equal to /stats for the
 * node (each record once), Chinese headers for every metric. */
static void test_children_export_counts_every_record_once(void **state)
{
    (void)state;
    int64_t dist = create_org(admin, root, "district", "汇总乙区");
    int64_t p1 = create_org(admin, dist, "point", "汇总一点");
    int64_t p2 = create_org(admin, dist, "point", "汇总二点");
    record(dist, "2025-06-01", 10, 100, jpack("{s:s}", "audience", "elderly"));
    record(dist, "2025-06-02", 20, 200, NULL);
    for (int i = 0; i < 3; i++) record(p1, "2025-06-03", 5, 50, NULL);
    record(p2, "2025-06-04", 1, 1, jpack("{s:s}", "audience", "elderly"));
    char *xml = download(P("/stats/children/export.xlsx?org_id=%lld&period=2025&metrics=activities,participants,funds,"
                           "kind.lecture,audience.elderly,courses", (long long)dist));
    static const char *const headers[] = {"单位", "活动场次", "参与人次", "科普经费（元）", "讲座活动", "面向老年人", "开课次数"};
    for (int c = 0; c < 7; c++) expect_text(xml, P("%c2", 'A' + c), headers[c]);
    assert_non_null(strstr(cell_at(xml, "A1").value, "汇总乙区"));
    expect_text(xml, "A3", "汇总一点");
    expect_text(xml, "A4", "汇总二点");
    expect_text(xml, "A5", "本级（汇总乙区）");
    /* the own row holds exactly the two records entered at the district */
    expect_number(xml, "B5", 2);
    expect_number(xml, "C5", 30);
    expect_number(xml, "D5", 300);
    expect_number(xml, "F5", 1);
    expect_text(xml, "A6", "合计");
    static const char *const metrics[] = {"activities", "participants", "funds", "kind.lecture", "audience.elderly", "courses"};
    const int64_t records[] = {6, 46, 451, 6, 2, 0};
    for (int c = 0; c < 6; c++) {
        int64_t want = stat(dist, "2025", metrics[c]);
        assert_int_equal(want, records[c]);   /* /stats counts each record once... */
        char col = (char)('B' + c);
        expect_sum(xml, P("%c6", col), P("%c3:%c5", col, col), (double)want);   /* ...and so does the sheet */
    }
    free(xml);

    /* the default metrics: every header in Chinese (no courses, attendance, kind.x codes) */
    xml = download(P("/stats/children/export.xlsx?org_id=%lld&period=2025", (long long)dist));
    for (char col = 'A';; col++) {
        cell c = cell_at(xml, P("%c2", col));
        if (!c.found) { assert_true(col > 'J'); break; }
        bool ascii_only = true;
        for (const unsigned char *p = (const unsigned char *)c.value; *p; p++) ascii_only &= *p < 0x80;
        if (ascii_only) fail_msg("header %c2 \"%s\" is a code", col, c.value);
    }
    free(xml);
}

/* Item 16: a period window names the sheet ("2025:science_week" has a ':', not allowed in a
 * sheet's name): the export is a 200 with the window's figures, not a 503. */
static void test_window_period_exports(void **state)
{
    (void)state;
    int64_t dist = create_org(admin, root, "district", "周期丙区");
    json_t *j = NULL;
    expect_status(api("POST", "/stat-windows", admin,
                      jpack("{s:s, s:s, s:i, s:s, s:s}", "code", "science_week", "name", "科技活动周", "year", 2025,
                            "from", "2025-05-17", "to", "2025-05-23"), &j), j, 201);
    json_decref(j);
    record(dist, "2025-05-18", 9, 9, NULL);
    record(dist, "2025-07-18", 9, 9, NULL);
    char *xml = download(P("/stats/children/export.xlsx?org_id=%lld&period=2025%%3Ascience_week", (long long)dist));
    expect_text(xml, "A3", "本级（周期丙区）");
    expect_sum(xml, "B4", "B3:B3", 1);
    assert_non_null(strstr(cell_at(xml, "A1").value, "2025-05-17 至 2025-05-23"));
    free(xml);
    /* the workbook names the sheet safely */
    http_resp resp;
    assert_int_equal(api_full("GET", P("/stats/children/export.xlsx?org_id=%lld&period=2025%%3Ascience_week", (long long)dist),
                              admin, NULL, &resp), 200);
    char path[4200], cmd[4400], out[4096] = "";
    snprintf(path, sizeof path, "%s/window.xlsx", server_dir());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(resp.body, 1, resp.body_len, f), resp.body_len);
    fclose(f);
    http_resp_free(&resp);
    snprintf(cmd, sizeof cmd, "unzip -p '%s' xl/workbook.xml", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    out[fread(out, 1, sizeof out - 1, p)] = 0;
    pclose(p);
    unlink(path);
    assert_non_null(strstr(out, "name=\"2025_science_week\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_activity_export_is_complete),
        cmocka_unit_test(test_children_export_counts_every_record_once),
        cmocka_unit_test(test_window_period_exports),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
