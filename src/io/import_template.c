/* import_template.c - the import template (see import.h): a data sheet with the headers only,
 * so that no example can ever be imported as a record; the example and the rules on a sheet of
 * instructions; drop-down lists (inline, or read from the hidden sheet of options when longer
 * than the 255 characters Excel allows inline: the activity kinds may grow); ID and phone columns formatted as
 * text so that Excel keeps all 18 digits. Small: written in libxlsxwriter's normal mode. */
#include "io/import.h"
#include "io/export.h"
#include "http/reply.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define TEMPLATE_ROWS 5000   /* rows below the headers that carry the formats and the lists */

/* The bytes of a list as Excel writes it inline: "a,b,c". */
static size_t list_bytes(const char *const *choices)
{
    size_t n = 0;
    for (int i = 0; choices[i]; i++) n += strlen(choices[i]) + (i ? 1 : 0);
    return n;
}

/* The data sheet: headers, widths, text formats and drop-downs whose options are on sheet 选项. */
static void data_sheet(lxw_workbook *wb, lxw_worksheet *ws, const xlsx_import_col *cols, int ncols)
{
    lxw_format *head = workbook_add_format(wb), *req = workbook_add_format(wb), *text = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bold(req);
    format_set_font_color(req, LXW_COLOR_RED);
    format_set_num_format(text, "@");
    worksheet_freeze_panes(ws, 1, 0);
    int list = 0;
    for (int c = 0; c < ncols; c++) {
        const xlsx_import_col *k = &cols[c];
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, k->text ? 22 : 14, k->text ? text : NULL);
        worksheet_write_string(ws, 0, (lxw_col_t)c, k->header, k->required ? req : head);
        if (!k->choices) continue;
        int n = 0;
        while (k->choices[n]) n++;
        char col[4], formula[96];
        lxw_col_to_name(col, (lxw_col_t)list++, LXW_FALSE);
        snprintf(formula, sizeof formula, "=选项!$%s$2:$%s$%d", col, col, n + 1);
        lxw_data_validation dv = {.validate = LXW_VALIDATION_TYPE_LIST_FORMULA, .value_formula = formula,
                                  .ignore_blank = LXW_VALIDATION_ON, .show_error = LXW_VALIDATION_ON,
                                  .error_title = "请从下拉列表中选择", .error_message = "该列只接受下拉列表中的值"};
        /* a list that fits Excel's 255 characters is written inline; libxlsxwriter 1.1.4 leaks the
         * copy of a list formula, so the range on sheet 选项 serves only the longer lists */
        if (list_bytes(k->choices) <= 255) {
            dv.validate = LXW_VALIDATION_TYPE_LIST;
            dv.value_formula = NULL;
            dv.value_list = (char **)k->choices;
        }
        worksheet_data_validation_range(ws, 1, (lxw_col_t)c, TEMPLATE_ROWS, (lxw_col_t)c, &dv);
    }
}

/* Sheet 选项: one column per drop-down, its header the column's. */
static void options_sheet(lxw_worksheet *ws, const xlsx_import_col *cols, int ncols)
{
    int list = 0;
    for (int c = 0; c < ncols; c++) {
        if (!cols[c].choices) continue;
        worksheet_write_string(ws, 0, (lxw_col_t)list, cols[c].header, NULL);
        for (int i = 0; cols[c].choices[i]; i++)
            worksheet_write_string(ws, (lxw_row_t)(i + 1), (lxw_col_t)list, cols[c].choices[i], NULL);
        list++;
    }
}

/* Sheet 填写说明: how to fill, then one line per column, then the example row. */
static void instructions_sheet(lxw_workbook *wb, lxw_worksheet *ws, const char *sheet, const xlsx_import_col *cols,
                               int ncols)
{
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    char line[256];
    snprintf(line, sizeof line, "在“%s”工作表中从第 2 行起每行填写一条记录；本页的示例不会被导入。", sheet);
    worksheet_write_string(ws, 0, 0, line, bold);
    worksheet_write_string(ws, 1, 0, "红色列名为必填；带下拉列表的列只接受列表中的值；是/否列填 是 或 否；身份证号、手机号请按文本填写。", NULL);
    static const char *const heads[] = {"列名", "是否必填", "填写说明", "可选值", "示例"};
    for (int i = 0; i < 5; i++) worksheet_write_string(ws, 3, (lxw_col_t)i, heads[i], bold);
    worksheet_set_column(ws, 0, 0, 16, NULL);
    worksheet_set_column(ws, 2, 3, 40, NULL);
    worksheet_set_column(ws, 4, 4, 24, NULL);
    for (int c = 0; c < ncols; c++) {
        lxw_row_t row = (lxw_row_t)(4 + c);
        worksheet_write_string(ws, row, 0, cols[c].header, NULL);
        worksheet_write_string(ws, row, 1, cols[c].required ? "必填" : "选填", NULL);
        if (cols[c].note) worksheet_write_string(ws, row, 2, cols[c].note, NULL);
        char options[1024] = "";
        size_t o = 0;
        for (int i = 0; cols[c].choices && cols[c].choices[i] && o < sizeof options - 1; i++)
            o += (size_t)snprintf(options + o, sizeof options - o, "%s%s", i ? "、" : "", cols[c].choices[i]);
        if (*options) worksheet_write_string(ws, row, 3, options, NULL);
        if (cols[c].example) worksheet_write_string(ws, row, 4, cols[c].example, NULL);
    }
}

void xlsx_import_template(request *r, const char *sheet, const xlsx_import_col *cols, int ncols, const char *filename)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/kepu-template-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) { reply_export_failed(r); return; }   /* a file not built is no database outage (item 16) */
    close(fd);
    /* constant memory: strings inline in each sheet, the file stays small and readable as is */
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = "/tmp"};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *data = wb ? workbook_add_worksheet(wb, sheet) : NULL;
    lxw_worksheet *help = data ? workbook_add_worksheet(wb, "填写说明") : NULL;
    lxw_worksheet *opts = help ? workbook_add_worksheet(wb, "选项") : NULL;
    if (opts) {
        data_sheet(wb, data, cols, ncols);
        instructions_sheet(wb, help, sheet, cols, ncols);
        options_sheet(opts, cols, ncols);
        worksheet_hide(opts);
        worksheet_activate(data);
    }
    lxw_error err = wb ? workbook_close(wb) : LXW_ERROR_MEMORY_MALLOC_FAILED;
    fd = opts && err == LXW_NO_ERROR ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    unlink(path);   /* the open descriptor keeps the data until it has been read */
    xlsx_reply_fd(r, fd, filename);
}
