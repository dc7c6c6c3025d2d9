/* cert_pdf.c - draws a service-hour certificate (志愿服务时长证明) as an A4 PDF with cairo and
 * pango in Noto Sans CJK, with a QR code of its public verification URL (libqrencode drawn as
 * cairo rectangles), following teaching/letter_pdf.c. Every text goes through
 * pango_layout_set_text(): nothing is parsed as markup. Only the masked ID number is printed. */
#include "volunteers/certificates.h"
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

static double text_at(cairo_t *cr, const char *text, const char *font, double size, PangoAlignment align, double x,
                      double y, double w)
{
    PangoLayout *layout = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(layout, fd);
    pango_layout_set_width(layout, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout, align);
    pango_layout_set_spacing(layout, (int)(size * 0.5 * PANGO_SCALE));
    pango_layout_set_text(layout, text, -1);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, layout);
    int height;
    pango_layout_get_size(layout, NULL, &height);
    pango_font_description_free(fd);
    g_object_unref(layout);
    return (double)height / PANGO_SCALE;
}

static int draw_qr(cairo_t *cr, const char *url, double x, double y, double size)
{
    QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) return -1;
    /* a quiet zone of white around the code keeps scanners happy */
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x - 8, y - 8, size + 16, size + 16);
    cairo_fill(cr);
    double cell = size / qr->width;
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int r = 0; r < qr->width; r++)
        for (int col = 0; col < qr->width; col++)
            if (qr->data[r * qr->width + col] & 1) cairo_rectangle(cr, x + col * cell, y + r * cell, cell, cell);
    cairo_fill(cr);
    QRcode_free(qr);
    return 0;
}

static int draw(cairo_t *cr, const vcert *x, const char *url)
{
    char buf[4096], issued[40];
    snprintf(issued, sizeof issued, "%d年%d月%d日", atoi(x->issued_at), atoi(x->issued_at + 5), atoi(x->issued_at + 8));
    double w = A4_W - 2 * MARGIN, y = 100;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.1, 0.35, 0.65);
    cairo_set_line_width(cr, 4);
    cairo_rectangle(cr, 28, 28, A4_W - 56, A4_H - 56);
    cairo_stroke(cr);
    y += text_at(cr, "志愿服务时长证明", FONT " Bold", 36, PANGO_ALIGN_CENTER, MARGIN, y, w) + 10;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    snprintf(buf, sizeof buf, "证书编号：%s", x->cert_no);
    y += text_at(cr, buf, FONT, 12, PANGO_ALIGN_CENTER, MARGIN, y, w) + 36;
    snprintf(buf, sizeof buf, "姓名：%s\n身份证号：%s\n志愿者编号：%s", x->name, x->id_masked, x->volunteer_no);
    y += text_at(cr, buf, FONT, 15, PANGO_ALIGN_LEFT, MARGIN, y, w) + 20;
    long long h10 = (long long)(x->minutes * 10 / 60);
    if (x->year)
        snprintf(buf, sizeof buf, "兹证明该志愿者于%lld年参加科技志愿服务活动%lld次，累计服务时长%lld.%lld小时。",
                 (long long)x->year, (long long)x->activities, h10 / 10, h10 % 10);
    else
        snprintf(buf, sizeof buf, "兹证明该志愿者累计参加科技志愿服务活动%lld次，累计服务时长%lld.%lld小时。",
                 (long long)x->activities, h10 / 10, h10 % 10);
    y += text_at(cr, buf, FONT, 16, PANGO_ALIGN_LEFT, MARGIN, y, w) + 14;
    snprintf(buf, sizeof buf, "服务内容：%s", x->content);
    y += text_at(cr, buf, FONT, 13, PANGO_ALIGN_LEFT, MARGIN, y, w) + 14;
    text_at(cr, "特此证明。", FONT, 16, PANGO_ALIGN_LEFT, MARGIN, y, w);
    double sign_y = A4_H - 300;
    snprintf(buf, sizeof buf, "出具单位：%s", x->issuer);
    text_at(cr, buf, FONT, 15, PANGO_ALIGN_RIGHT, MARGIN, sign_y, w);
    text_at(cr, issued, FONT, 15, PANGO_ALIGN_RIGHT, MARGIN, sign_y + 30, w);
    double qr_size = 120, qr_y = A4_H - 220;
    if (draw_qr(cr, url, MARGIN, qr_y, qr_size) != 0) return -1;
    text_at(cr, "扫码验证真伪", FONT, 10, PANGO_ALIGN_LEFT, MARGIN, qr_y + qr_size + 8, 200);
    text_at(cr, url, FONT, 8, PANGO_ALIGN_LEFT, MARGIN + qr_size + 20, qr_y + qr_size - 12, w - qr_size - 20);
    return 0;
}

int cert_render_pdf(const vcert *x, const char *url, char **out, size_t *len)
{
    sbuf b;
    sbuf_init(&b);
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(to_buffer, &b, A4_W, A4_H);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "志愿服务时长证明");
    cairo_t *cr = cairo_create(surface);
    int rc = draw(cr, x, url);
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) rc = -1;
    cairo_surface_destroy(surface);
    if (rc != 0 || b.len == 0) { sbuf_free(&b); return -1; }
    *len = b.len;
    *out = sbuf_steal(&b);
    return 0;
}
