/* questions_import.c - questions from an Excel file: GET /questions/import/template.xlsx gives the
 * columns (题型, 分类, 难度, 题干, 选项A..选项H, 答案, 解析, 来源); POST /questions/import?org_id=
 * [&commit=1] reads the filled workbook and answers every problem of every row (type, category,
 * difficulty, stem, options, the answer against the options). Without commit nothing is written
 * (the dry run); with commit=1 the valid rows become drafted questions of the bank org_id in one
 * transaction, through questions_create (scope, version 1, audit). Runner: io/import.h. */
#include "quiz/questions.h"
#include "core/validate.h"
#include "http/router.h"
#include "io/import.h"
#include "model/entity.h"
#include <stdlib.h>
#include <string.h>

static const char *const type_choices[] = {"单选", "多选", "判断", "填空", NULL};
static const char *const category_choices[] = {"衣", "食", "住", "行", "用", "生", "长", "老", "病", "死", "应急",
                                               "健康", "防诈骗", "环境", "数字技能", "其他", "基本科学知识",
                                               "科学方法", "科学与社会", NULL};
static const char *const difficulty_choices[] = {"1", "2", "3", "4", "5", NULL};

static const xlsx_import_col cols[] = {
    {"题型", NULL, true, false, type_choices, "单选、多选、判断 或 填空", "单选"},
    {"分类", "类别", true, false, category_choices, "课程主题（衣食住行……）或素质维度（基本科学知识、科学方法、科学与社会）", "健康"},
    {"难度", NULL, true, false, difficulty_choices, "1（易）至 5（难）", "2"},
    {"题干", "题目", true, false, NULL, "至多 1000 字", "成年人每天食盐摄入量不宜超过多少克？"},
    {"选项A", "A", false, false, NULL, "单选、多选题：从 A 起连续填写 2 至 8 个选项；判断、填空题不填", "3 克"},
    {"选项B", "B", false, false, NULL, NULL, "5 克"},
    {"选项C", "C", false, false, NULL, NULL, "10 克"},
    {"选项D", "D", false, false, NULL, NULL, "15 克"},
    {"选项E", "E", false, false, NULL, NULL, NULL},
    {"选项F", "F", false, false, NULL, NULL, NULL},
    {"选项G", "G", false, false, NULL, NULL, NULL},
    {"选项H", "H", false, false, NULL, NULL, NULL},
    {"答案", "正确答案", true, true, NULL, "单选填一个字母如 B；多选填多个字母如 AC；判断填 对 或 错；填空填可接受的答案，多个用 | 分隔", "B"},
    {"解析", "答案解析", false, false, NULL, "至多 2000 字", "《中国居民膳食指南》建议成年人每天食盐不超过 5 克。"},
    {"来源", "出处", false, false, NULL, "至多 200 字", "中国居民膳食指南（2022）"},
};
enum { COL_TYPE, COL_CATEGORY, COL_DIFFICULTY, COL_STEM, COL_OPT_A, COL_ANSWER = COL_OPT_A + QUIZ_MAX_OPTIONS,
       COL_EXPLANATION, COL_SOURCE, NCOLS };

struct import_state {
    xlsx_import_ctx base;      /* first: the runner fills it */
    question q;                /* the row last checked */
};

static const char *cell(const xlsx_import *im, int row, const int *col, int which)
{
    return col[which] >= 0 ? xlsx_cell(im->sheet, row, col[which]) : "";
}

static const char *type_of(const char *t)
{
    for (int i = 0; type_choices[i]; i++)
        if (!strcmp(t, type_choices[i]) || !strcmp(t, quiz_type_names[i])) return quiz_type_names[i];
    return NULL;
}

static const char *category_of(const char *t)
{
    for (const quiz_category *k = quiz_categories; k->code; k++)
        if (!strcmp(t, k->zh) || !strcmp(t, k->code)) return k->code;
    return NULL;
}

/* "3" (or "3.0", a number Excel stored) as 1..5; 0 for anything else. */
static int difficulty_of(const char *t)
{
    char *end;
    long v = strtol(t, &end, 10);
    if (end == t || (*end && strcmp(end, ".0") != 0) || v < 1 || v > QUIZ_MAX_DIFFICULTY) return 0;
    return (int)v;
}

/* Whether a cell's text is what the form would take: no invisible format characters and no
 * control characters but tab and line breaks (a pasted paragraph keeps its lines). */
static bool clean_text(const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7F) return false;
    return !has_invisible_controls(v);
}

/* An optional text cell of at most max characters, clean; NULL when empty. */
static const char *text_cell(xlsx_import *im, const char *v, size_t max, const char *name)
{
    if (utf8_chars(v) > max || !clean_text(v))
        xlsx_import_error(im, name, "文字过长或含不可见字符 / too long or holds invisible characters");
    return *v ? v : NULL;
}

/* The options A.. in order; a gap (A and C filled, B empty) is the row's error. */
static json_t *options_of(xlsx_import *im, int row, const int *col, int *n)
{
    json_t *arr = json_array();
    int last = -1;
    bool gap = false, bad = false;
    for (int i = 0; i < QUIZ_MAX_OPTIONS; i++) {
        const char *v = cell(im, row, col, COL_OPT_A + i);
        if (!*v) continue;
        gap = gap || last != i - 1;
        last = i;
        if (utf8_chars(v) > 500 || !clean_text(v)) bad = true;
        json_t *s = json_string(v);
        if (!s) bad = true;
        else json_array_append_new(arr, s);
    }
    if (gap) xlsx_import_error(im, "options", "选项须从 A 起连续填写 / options are filled from A without gaps");
    if (bad) xlsx_import_error(im, "options", "选项过长或含不可见字符 / an option is too long or holds invisible characters");
    *n = (int)json_array_size(arr);
    return arr;
}

static const char *json_text(arena *a, json_t *v)
{
    if (!v) return NULL;
    char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    const char *out = arena_strdup(a, t);
    free(t);
    return out;
}

/* Reads row `row` into st->q, reporting every problem of it. */
static int check_import_row(db *c, xlsx_import *im, int row)
{
    (void)c;
    struct import_state *st = im->cls;
    question *q = &st->q;
    const int *col = st->base.col;
    arena *a = &st->base.r->arena;
    bool blank = true;
    for (int i = 0; i < NCOLS && blank; i++) blank = !*cell(im, row, col, i);
    if (blank) return XLSX_IMPORT_BLANK;
    memset(q, 0, sizeof *q);
    q->org_id = st->base.org_id;
    q->type = type_of(cell(im, row, col, COL_TYPE));
    q->category = category_of(cell(im, row, col, COL_CATEGORY));
    q->difficulty = difficulty_of(cell(im, row, col, COL_DIFFICULTY));
    q->stem = cell(im, row, col, COL_STEM);
    if (!q->type) xlsx_import_error(im, "type", "题型应为 单选、多选、判断 或 填空 / type must be 单选, 多选, 判断 or 填空");
    if (!q->category) xlsx_import_error(im, "category", "分类不在列表中 / the category is not one of the list");
    if (!q->difficulty) xlsx_import_error(im, "difficulty", "难度应为 1 至 5 / difficulty must be 1 to 5");
    if (!*q->stem || utf8_chars(q->stem) > 1000 || !clean_text(q->stem))
        xlsx_import_error(im, "stem", "题干为空、过长或含不可见字符 / the stem is empty, too long or holds invisible characters");
    q->explanation = text_cell(im, cell(im, row, col, COL_EXPLANATION), 2000, "explanation");
    q->source = text_cell(im, cell(im, row, col, COL_SOURCE), 200, "source");
    int n = 0;
    json_t *options = options_of(im, row, col, &n), *answer = NULL;
    bool choice = q->type && (!strcmp(q->type, "single") || !strcmp(q->type, "multiple"));
    if (q->type && !choice && n > 0)
        xlsx_import_error(im, "options", "判断题和填空题不填选项 / true/false and fill-in questions have no options");
    else if (choice && (n < 2 || n > QUIZ_MAX_OPTIONS))
        xlsx_import_error(im, "options", "选项须为 2 到 8 个 / a choice question has 2 to 8 options");
    if (q->type) {
        const char *why = NULL;
        answer = quiz_answer_parse(q->type, cell(im, row, col, COL_ANSWER), choice ? n : 0, &why);
        if (!answer) xlsx_import_error(im, "answer", why);
    }
    /* What the form would refuse besides (each field reported once above) */
    const char *bad = NULL, *msg = NULL;
    if (!xlsx_import_row_bad(im)) msg = quiz_check(q->type, q->stem, choice ? options : NULL, answer, &bad);
    if (msg) xlsx_import_error(im, bad, msg);
    q->options = choice ? json_text(a, options) : NULL;
    q->answer = json_text(a, answer);
    json_decref(options), json_decref(answer);
    return DB_OK;
}

static int write_import_row(db *c, xlsx_import *im)
{
    struct import_state *st = im->cls;
    question out;
    return questions_create(c, st->base.r->principal, &st->base.r->arena, &st->q, &out);
}

static void handle_template(request *r)
{
    xlsx_import_template(r, "题库", cols, NCOLS, "题库导入模板.xlsx");
}

static const xlsx_import_spec question_import = {
    .org_message = "请选择题库所属单位 / choose the unit owning the questions",
    .org_not_found = QZ_ORG_NOT_FOUND,
    .cols = cols, .ncols = NCOLS,
    .missing_message = "缺少“题型”“分类”“难度”“题干”或“答案”列，请使用导入模板 / a required column is missing: use the template",
    .state_size = sizeof(struct import_state),
    .check = check_import_row, .write = write_import_row,
};

static const struct route import_routes[] = {
    {"GET", "/api/v1/questions/import/template.xlsx", handle_template, RANK_STAFF, 0,
     .summary = "Excel template for importing questions (题库导入模板)"},
    {"POST", "/api/v1/questions/import", xlsx_import_route, RANK_STAFF, ROUTE_RAW_BODY,
     .summary = "Import questions from the filled template: dry run, or commit=1 (drafted questions)",
     .entity = &question_entity, .cls = &question_import},
    {0},
};

void quiz_import_register_routes(void) { router_add_table(import_routes); }
