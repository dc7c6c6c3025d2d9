/* report.c - the assessment's report (assessments.h): the ranking table as an Excel workbook and
 * as an A4 PDF (cairo + pango through docs/pdf_draw.c, Chinese text), each of the units the
 * caller sees (the assessing unit: all; an assessed unit: its own row). Every text goes through
 * pango_layout_set_text() or the workbook's text cells: nothing is parsed as markup or formula. */
#include "assessments/assessments.h"
#include "docs/pdf_draw.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "io/export.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct report {
    asm_scheme s;
    asm_indicator *ind;
    asm_unit_row *rows;
    int ni, nr, count;
} report;

/* The scheme in scope and its rows; false after replying. */
static bool load(request *r, report *x)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return false;
    db *c = db_thread();
    int rc = c ? entity_get(c, &assessment_entity, &r->principal->scope, &r->arena, id, &x->s) : DB_ERR;
    if (rc == DB_OK)
        rc = asm_scores_rows(c, r->principal, &r->arena, &x->s, &x->ind, &x->ni, &x->rows, &x->nr, &x->count);
    if (rc != DB_OK) { entity_reply_error(r, &assessment_entity, rc); return false; }
    return true;
}

void asm_handle_xlsx(request *r)
{
    report x;
    if (!load(r, &x)) return;
    xlsx_col cols[ASM_MAX_INDICATORS + 3];
    cols[0] = (xlsx_col){"名次", 6}, cols[1] = (xlsx_col){"单位", 20};
    for (int i = 0; i < x.ni; i++)
        cols[2 + i] = (xlsx_col){arena_printf(&r->arena, "%s（%lld分）", x.ind[i].name,
                                              (long long)(!strcmp(x.ind[i].source, "manual") ? x.ind[i].max_points
                                                                                              : x.ind[i].weight)), 14};
    cols[2 + x.ni] = (xlsx_col){"总分", 10};
    const char *title = arena_printf(&r->arena, "%s（%lld 年度，%s）", x.s.title, (long long)x.s.year,
                                     !strcmp(x.s.status, "final") ? "最终结果" : "实时计算");
    xlsx *w = xlsx_open_table("考核排名", title, cols, x.ni + 3);
    if (!w) { reply_export_failed(r); return; }
    for (int k = 0; k < x.nr; k++) {
        xlsx_int(w, 0, x.rows[k].rank);
        xlsx_text(w, 1, x.rows[k].name);
        for (int i = 0; i < x.ni; i++) xlsx_decimal(w, 2 + i, (double)x.rows[k].score_e2[i] / 100.0);
        xlsx_decimal(w, 2 + x.ni, (double)x.rows[k].total_e2 / 100.0);
        xlsx_next_row(w);
    }
    xlsx_reply(w, r, arena_printf(&r->arena, "考核排名-%lld.xlsx", (long long)x.s.id));
}

#define MARGIN 40.0

/* The table's geometry: columns rank, unit, each indicator, total (the indicators share what is left). */
typedef struct table {
    const report *x;
    double left, w, rank_w, name_w, total_w, col_w, size;
} table;

/* The header row at y; returns the y below it. */
static double header_row(cairo_t *cr, const table *t, double y)
{
    double hx = t->left + t->rank_w + t->name_w, hh = 0, row_h = t->size * 2.2;
    pdf_text(cr, "名次", PDF_FONT " Bold", t->size, PANGO_ALIGN_LEFT, t->left, y, t->rank_w, 0.3, 0);
    pdf_text(cr, "单位", PDF_FONT " Bold", t->size, PANGO_ALIGN_LEFT, t->left + t->rank_w, y, t->name_w, 0.3, 0);
    for (int i = 0; i < t->x->ni; i++) {
        double h = pdf_text(cr, t->x->ind[i].name, PDF_FONT " Bold", t->size, PANGO_ALIGN_CENTER, hx + i * t->col_w, y,
                            t->col_w - 4, 0.3, 0);
        hh = h > hh ? h : hh;
    }
    pdf_text(cr, "总分", PDF_FONT " Bold", t->size, PANGO_ALIGN_RIGHT, t->left + t->w - t->total_w, y, t->total_w, 0.3, 0);
    y += (hh > row_h ? hh : row_h) + 4;
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, t->left, y - 2), cairo_line_to(cr, t->left + t->w, y - 2), cairo_stroke(cr);
    return y;
}

static int draw(cairo_t *cr, const void *cls)
{
    const report *x = cls;
    double w = PDF_A4_W - 2 * MARGIN, y = 50;
    char buf[512];
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    snprintf(buf, sizeof buf, "%s", x->s.title);
    y += pdf_text(cr, buf, PDF_FONT " Bold", 18, PANGO_ALIGN_CENTER, MARGIN, y, w, 0.4, 0) + 6;
    snprintf(buf, sizeof buf, "%lld 年度 · %s · 考核单位：%s", (long long)x->s.year,
             !strcmp(x->s.status, "final") ? "最终结果" : "实时计算，未定稿", x->s.org_name ? x->s.org_name : "");
    y += pdf_text(cr, buf, PDF_FONT, 10, PANGO_ALIGN_CENTER, MARGIN, y, w, 0.4, 0) + 14;
    table t = {x, MARGIN, w, 36, 110, 50, 0, x->ni > 8 ? 7 : 9};
    t.col_w = x->ni ? (w - t.rank_w - t.name_w - t.total_w) / x->ni : 0;
    double row_h = t.size * 2.2;
    y = header_row(cr, &t, y);
    for (int k = 0; k < x->nr; k++) {
        if (y > PDF_A4_H - 60) {   /* a city of 40 districts runs over a page: the header again */
            cairo_show_page(cr);
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_paint(cr);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            y = header_row(cr, &t, 50);
        }
        snprintf(buf, sizeof buf, "%lld", (long long)x->rows[k].rank);
        pdf_text(cr, buf, PDF_FONT, t.size, PANGO_ALIGN_LEFT, MARGIN, y, t.rank_w, 0.3, 0);
        pdf_text(cr, x->rows[k].name, PDF_FONT, t.size, PANGO_ALIGN_LEFT, MARGIN + t.rank_w, y, t.name_w, 0.3, 0);
        for (int i = 0; i < x->ni; i++) {
            snprintf(buf, sizeof buf, "%.2f", (double)x->rows[k].score_e2[i] / 100.0);
            pdf_text(cr, buf, PDF_FONT, t.size, PANGO_ALIGN_CENTER, MARGIN + t.rank_w + t.name_w + i * t.col_w, y,
                     t.col_w - 4, 0.3, 0);
        }
        snprintf(buf, sizeof buf, "%.2f", (double)x->rows[k].total_e2 / 100.0);
        pdf_text(cr, buf, PDF_FONT " Bold", t.size, PANGO_ALIGN_RIGHT, MARGIN + w - t.total_w, y, t.total_w, 0.3, 0);
        y += row_h;
    }
    return 0;
}

void asm_handle_pdf(request *r)
{
    report x;
    if (!load(r, &x)) return;
    char *pdf = NULL;
    size_t len = 0;
    if (pdf_a4_render(x.s.title, draw, &x, &pdf, &len) != 0) {
        free(pdf);
        reply_error(r, 500, "export_failed", NULL, "报告生成失败 / the report could not be drawn");
        return;
    }
    reply_body(r, 200, pdf, len, "application/pdf");
    reply_header(r, "Content-Disposition", arena_printf(&r->arena, "attachment; filename=\"assessment-%lld.pdf\"", (long long)x.s.id));
}
