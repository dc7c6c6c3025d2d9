/* orgs_import.c - organizations (组织机构) from an Excel file: GET /orgs/import/template.xlsx gives
 * the columns of the org form (name, type, code, parent); POST /orgs/import?org_id=&commit= takes
 * the filled workbook and answers, row by row, every problem. Without commit nothing is written
 * (the dry run); with commit=1 the valid rows are created in one transaction, in file order,
 * through orgs_create (scope, code uniqueness and audit as for one node).
 *
 * Where a row goes: org_id is the node the import works under (it must be in the caller's
 * scope). A row's 上级机构 names its parent by code (unique) or by name; blank means org_id
 * itself. The parent is looked for only in org_id's subtree within the caller's scope, and among
 * the valid rows above it in the same file (a district and its streets in one sheet: the
 * district's row first). A name that two such nodes carry is the row's error (give the code).
 * A parent not found there is reported alike whether it exists elsewhere or not. Runner:
 * io/import.h. */
#include "orgs/orgs.h"
#include "core/validate.h"
#include "db/query.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/import.h"
#include "model/entity.h"
#include <string.h>

/* The node types as the UI names them (web/src/i18n: orgType), label and code. */
static const char *const types[][2] = {{"市科协", "city"},       {"区县科协", "district"}, {"街道/镇乡", "street"},
                                       {"教学点", "point"},       {"学会", "society"},     {"科普教育基地", "base"},
                                       {"企事业科协", "unit"}};
static const char *const type_labels[] = {"市科协", "区县科协", "街道/镇乡", "教学点", "学会", "科普教育基地", "企事业科协", NULL};
#define NTYPES (sizeof types / sizeof *types)

static const xlsx_import_col cols[] = {
    {"机构名称", "名称|组织名称|单位名称", true, false, NULL, "1-100 字", "龙溪街道"},
    {"机构类型", "类型", true, false, type_labels, "从下拉列表中选择", "街道/镇乡"},
    /* codes and parents as text: Excel would drop a code's leading zeros ("0012" -> 12) */
    {"机构代码", "代码|编码|机构编码", false, true, NULL, "选填；1-32 位字母、数字、- 或 _，全系统唯一", "YB-LX"},
    {"上级机构", "上级|上级机构名称|上级机构代码", false, true, NULL,
     "上级机构的代码或名称（须在导入时所选机构之下，或是本文件前面的行）；不填即导入时所选机构", "渝北区"},
};
enum { COL_NAME, COL_TYPE, COL_CODE, COL_PARENT, NCOLS };

/* A valid row of the dry run: later rows may name it as their parent. (With commit it is in the
 * database by then and found there.) */
typedef struct seen_row {
    const char *name, *code;
} seen_row;

struct import_state {
    xlsx_import_ctx base;      /* first: the runner fills it */
    seen_row *seen;            /* XLSX_IMPORT_MAX_ROWS of them, in the request's arena */
    int nseen;
    int64_t parent_id;         /* the row last checked: its parent (0 when one of seen) */
    const char *name, *type, *code;
};

static const char *cell(const xlsx_import *im, int row, const int *col, int which)
{
    return col[which] >= 0 ? xlsx_cell(im->sheet, row, col[which]) : "";
}

/* How many nodes in scope under st->base.org_path have column (o.code or o.name) = text, at most 2;
 * *id the first. */
static int count_in_db(db *c, struct import_state *st, const char *column, const char *text, int *n, int64_t *id)
{
    qb q;
    qb_init(&q, "SELECT o.id FROM orgs o WHERE ");
    qb_sql(&q, column);
    qb_sql(&q, " = ?");
    qb_text(&q, text);
    qb_subtree(&q, &st->base.r->arena, "o.path", st->base.org_path);
    entity_scope_filter(&org_entity, &st->base.r->principal->scope, &q);
    qb_sql(&q, " ORDER BY o.id LIMIT 2");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    *n = 0;
    while ((rc = db_step(s)) == DB_ROW)
        if ((*n)++ == 0) *id = db_col_int(s, 0);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

/* The rows of this dry run above the current one whose code (by_code) or name is text. */
static int count_seen(const struct import_state *st, bool by_code, const char *text)
{
    int n = 0;
    for (int i = 0; i < st->nseen; i++) {
        const char *v = by_code ? st->seen[i].code : st->seen[i].name;
        if (v && !strcmp(v, text)) n++;
    }
    return n;
}

/* The row's parent: by code, else by name; reported when none or several. */
static int check_parent(db *c, xlsx_import *im, struct import_state *st, const char *text)
{
    st->parent_id = st->base.org_id;
    if (!*text) return DB_OK;
    int n = 0, rc = DB_OK;
    for (int by_code = 1; by_code >= 0 && n == 0 && rc == DB_OK; by_code--) {
        rc = count_in_db(c, st, by_code ? "o.code" : "o.name", text, &n, &st->parent_id);
        if (n == 0) st->parent_id = 0;
        n += count_seen(st, by_code, text);
    }
    if (rc != DB_OK) return rc;
    if (n == 0)
        xlsx_import_error(im, "parent", "上级机构不在导入时所选机构之下（或不存在），也不是本文件前面的有效行 / "
                                        "the parent is not found under the chosen organization nor on a valid row above");
    else if (n > 1)
        xlsx_import_error(im, "parent", "有不止一个同名的上级机构，请填写上级机构的代码 / "
                                        "more than one organization has this name: give the parent's code");
    return DB_OK;
}

/* A code in use anywhere (codes are unique across the system, as when creating one node). */
static int code_taken(db *c, const char *code, bool *taken)
{
    int64_t one;
    qb q;
    qb_init(&q, "SELECT 1 FROM orgs WHERE code = ?");
    qb_text(&q, code);
    int rc = qb_exec(c, &q, &one);
    *taken = rc == DB_OK;
    return rc == DB_DONE ? DB_OK : rc;
}

static int check_code(db *c, xlsx_import *im, const char *code)
{
    if (!*code) return DB_OK;
    if (!valid_org_code(code)) {
        xlsx_import_error(im, "code", "机构代码为 1-32 位字母、数字、- 或 _ / code: 1-32 letters, digits, - or _");
        return DB_OK;
    }
    bool taken = false;
    int rc = code_taken(c, code, &taken);
    if (rc != DB_OK) return rc;
    if (xlsx_import_repeated(im, code))
        xlsx_import_error(im, "code", "与文件中前面的行机构代码重复 / the same code is on an earlier row");
    else if (taken)
        xlsx_import_error(im, "code", "机构代码已存在 / this code is already in use");
    return DB_OK;
}

/* Reads row `row`, reporting every problem of it; a valid row of a dry run is remembered. */
static int check_import_row(db *c, xlsx_import *im, int row)
{
    struct import_state *st = im->cls;
    const int *col = st->base.col;
    if (row == 1) st->nseen = 0;   /* a retried run sees every row again */
    const char *type = cell(im, row, col, COL_TYPE), *parent = cell(im, row, col, COL_PARENT);
    st->name = cell(im, row, col, COL_NAME);
    st->code = cell(im, row, col, COL_CODE);
    if (!*st->name && !*type && !*st->code && !*parent) return XLSX_IMPORT_BLANK;
    if (!valid_name(st->name, (size_t)entity_field(&org_entity, "name")->max))
        xlsx_import_error(im, "name", "机构名称为空或过长 / name missing or too long");
    st->type = NULL;
    for (size_t i = 0; i < NTYPES; i++)
        if (!strcmp(type, types[i][0]) || !strcmp(type, types[i][1])) st->type = types[i][1];
    if (!st->type) xlsx_import_error(im, "type", "机构类型不在模板的选项中 / not a type of the template");
    int rc = check_code(c, im, st->code);
    if (rc == DB_OK) rc = check_parent(c, im, st, parent);
    if (rc != DB_OK || im->commit || xlsx_import_row_bad(im)) return rc;
    st->seen[st->nseen++] = (seen_row){st->name, *st->code ? st->code : NULL};
    return DB_OK;
}

static int write_import_row(db *c, xlsx_import *im)
{
    struct import_state *st = im->cls;
    org out;
    return orgs_create(c, st->base.r->principal, &st->base.r->arena, st->parent_id, st->type, st->name, st->code, &out);
}

static void handle_template(request *r)
{
    xlsx_import_template(r, "组织机构", cols, NCOLS, "组织机构导入模板.xlsx");
}

/* A scope of its node alone would see none of the nodes it creates (403, as POST /orgs): said
 * before a dry run calls the rows valid. Rows remember the valid rows above them (parents). */
static int prepare_import(db *c, void *state)
{
    (void)c;
    struct import_state *st = state;
    request *r = st->base.r;
    if (!scope_covers(&r->principal->scope, arena_printf(&r->arena, "%s0/", st->base.org_path))) return ORGS_OUT_OF_REACH;
    st->seen = arena_alloc(&r->arena, sizeof *st->seen * (size_t)st->base.nrows);
    return st->seen ? DB_OK : DB_ERR;
}

static const xlsx_import_spec org_import = {
    .org_message = "请选择导入到哪个机构之下 / choose the organization to import under",
    .org_not_found = ORGS_ORG_NOT_FOUND,
    .cols = cols, .ncols = NCOLS,
    .missing_message = "缺少“机构名称”或“机构类型”列，请使用导入模板 / the name or type column is missing",
    .state_size = sizeof(struct import_state),
    .prepare = prepare_import, .check = check_import_row, .write = write_import_row,
};

static const struct route import_routes[] = {
    {"GET", "/api/v1/orgs/import/template.xlsx", handle_template, RANK_ORG_ADMIN, 0, .summary = "Excel template for importing organizations (组织机构导入模板)"},
    {"POST", "/api/v1/orgs/import", xlsx_import_route, RANK_ORG_ADMIN, ROUTE_RAW_BODY, .summary = "Import organizations from the filled template (组织机构导入): dry run or commit", .entity = &org_entity, .cls = &org_import},
    {0},
};

void orgs_import_register_routes(void) { router_add_table(import_routes); }
