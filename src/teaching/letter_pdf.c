/* letter_pdf.c - draws an appointment letter (聘书) as an A4 PDF with cairo and pango, in
 * Noto Sans CJK, with a QR code of the public verification URL (the drawing helpers are
 * docs/pdf_draw.c, shared with the volunteers' certificates). Every text of the letter, the
 * user's included, goes through pango_layout_set_text(): nothing is ever parsed as markup or
 * used as a format. */
#include "teaching/teachers.h"
#include "docs/pdf_draw.h"
#include <stdio.h>

#define A4_W PDF_A4_W
#define A4_H PDF_A4_H
#define MARGIN 72.0
#define FONT PDF_FONT

static void draw_border(cairo_t *cr)
{
    cairo_set_source_rgb(cr, 0.72, 0.12, 0.12);
    cairo_set_line_width(cr, 4);
    cairo_rectangle(cr, 28, 28, A4_W - 56, A4_H - 56);
    cairo_stroke(cr);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, 38, 38, A4_W - 76, A4_H - 76);
    cairo_stroke(cr);
}

/* Draws text in a box of width w at (x, y); returns the height used. */
static double text_at(cairo_t *cr, const char *text, const char *font, double size, PangoAlignment align,
                      double x, double y, double w, int indent_chars)
{
    return pdf_text(cr, text, font, size, align, x, y, w, 0.6, indent_chars);
}

struct letter_page {
    const letter *l;
    const char *url;
};

/* pdf_a4_render's drawing of the one page (cls: a letter_page). */
static int draw_letter(cairo_t *cr, const void *cls)
{
    const letter *l = ((const struct letter_page *)cls)->l;
    const char *url = ((const struct letter_page *)cls)->url;
    char from[40], to[40], issued[40], buf[2048];
    pdf_chinese_day(l->term_from, from, sizeof from);
    pdf_chinese_day(l->term_to, to, sizeof to);
    pdf_chinese_day(l->issued_at, issued, sizeof issued);
    double w = A4_W - 2 * MARGIN, y = 110;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    draw_border(cr);
    cairo_set_source_rgb(cr, 0.72, 0.12, 0.12);
    y += text_at(cr, "聘书", FONT " Bold", 48, PANGO_ALIGN_CENTER, MARGIN, y, w, 0) + 14;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    y += text_at(cr, l->serial, FONT, 13, PANGO_ALIGN_CENTER, MARGIN, y, w, 0) + 48;
    snprintf(buf, sizeof buf, "%s 同志：", l->teacher_name);
    y += text_at(cr, buf, FONT " Bold", 20, PANGO_ALIGN_LEFT, MARGIN, y, w, 0) + 20;
    snprintf(buf, sizeof buf, "兹聘请您为%s社区科普大学教师，承担社区科普教学任务。聘期自%s起至%s止。", l->issuer_name,
             from, to);
    y += text_at(cr, buf, FONT, 17, PANGO_ALIGN_LEFT, MARGIN, y, w, 2) + 16;
    text_at(cr, "特发此聘书。", FONT, 17, PANGO_ALIGN_LEFT, MARGIN, y, w, 2);
    double sign_y = A4_H - 300;
    text_at(cr, l->issuer_name, FONT, 17, PANGO_ALIGN_RIGHT, MARGIN, sign_y, w, 0);
    text_at(cr, issued, FONT, 17, PANGO_ALIGN_RIGHT, MARGIN, sign_y + 34, w, 0);
    double qr_size = 110, qr_y = A4_H - 210;
    if (pdf_qr(cr, url, MARGIN, qr_y, qr_size, 0) != 0) return -1;
    text_at(cr, "扫码验证真伪", FONT, 10, PANGO_ALIGN_LEFT, MARGIN, qr_y + qr_size + 6, 200, 0);
    text_at(cr, url, FONT, 8, PANGO_ALIGN_LEFT, MARGIN + qr_size + 16, qr_y + qr_size - 12, w - qr_size - 16, 0);
    return 0;
}

int letters_render_pdf(const letter *l, const char *verify_url, char **out, size_t *len)
{
    struct letter_page pg = {l, verify_url};
    return pdf_a4_render("聘书", draw_letter, &pg, out, len);
}
