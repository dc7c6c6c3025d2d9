/* letter_pdf.c - draws an appointment letter (聘书) as an A4 PDF with cairo and pango, in
 * Noto Sans CJK, with a QR code (libqrencode, drawn as cairo rectangles) of the public
 * verification URL. Every text of the letter, the user's included, goes through
 * pango_layout_set_text(): nothing is ever parsed as markup or used as a format. */
#include "teaching/letters.h"
#include "core/sbuf.h"
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define A4_W 595.276
#define A4_H 841.890
#define MARGIN 72.0
#define FONT "Noto Sans CJK SC"

static cairo_status_t to_buffer(void *closure, const unsigned char *data, unsigned int length)
{
    sbuf_addn(closure, (const char *)data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* Draws text in a box of width w at (x, y); returns the height used. */
static double text_at(cairo_t *cr, const char *text, const char *font, double size, PangoAlignment align,
                      double x, double y, double w, int indent_chars)
{
    PangoLayout *layout = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(layout, fd);
    pango_layout_set_width(layout, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout, align);
    pango_layout_set_spacing(layout, (int)(size * 0.6 * PANGO_SCALE));
    if (indent_chars) pango_layout_set_indent(layout, (int)(indent_chars * size * PANGO_SCALE));
    pango_layout_set_text(layout, text, -1);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, layout);
    int height;
    pango_layout_get_size(layout, NULL, &height);
    pango_font_description_free(fd);
    g_object_unref(layout);
    return (double)height / PANGO_SCALE;
}

/* "2026-05-18" -> "2026年5月18日" */
static void chinese_day(const char *day, char *out, size_t n)
{
    snprintf(out, n, "%d年%d月%d日", atoi(day), atoi(day + 5), atoi(day + 8));
}

static int draw_qr(cairo_t *cr, const char *url, double x, double y, double size)
{
    QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) return -1;
    double cell = size / qr->width;
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int r = 0; r < qr->width; r++)
        for (int col = 0; col < qr->width; col++)
            if (qr->data[r * qr->width + col] & 1) cairo_rectangle(cr, x + col * cell, y + r * cell, cell, cell);
    cairo_fill(cr);
    QRcode_free(qr);
    return 0;
}

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

static int draw_letter(cairo_t *cr, const letter *l, const char *url)
{
    char from[40], to[40], issued[40], buf[2048];
    chinese_day(l->term_from, from, sizeof from);
    chinese_day(l->term_to, to, sizeof to);
    chinese_day(l->issued_at, issued, sizeof issued);
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
    if (draw_qr(cr, url, MARGIN, qr_y, qr_size) != 0) return -1;
    text_at(cr, "扫码验证真伪", FONT, 10, PANGO_ALIGN_LEFT, MARGIN, qr_y + qr_size + 6, 200, 0);
    text_at(cr, url, FONT, 8, PANGO_ALIGN_LEFT, MARGIN + qr_size + 16, qr_y + qr_size - 12, w - qr_size - 16, 0);
    return 0;
}

int letters_render_pdf(const letter *l, const char *verify_url, char **out, size_t *len)
{
    sbuf b;
    sbuf_init(&b);
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(to_buffer, &b, A4_W, A4_H);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "聘书");
    cairo_t *cr = cairo_create(surface);
    int rc = draw_letter(cr, l, verify_url);
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) rc = -1;
    cairo_surface_destroy(surface);
    if (rc != 0 || b.len == 0) {
        sbuf_free(&b);
        return -1;
    }
    *len = b.len;
    *out = sbuf_steal(&b);
    return 0;
}
