/* award_pdf.c - draws an award certificate (获奖证书 / 荣誉证书) as an A4 PDF with cairo and pango
 * (docs/pdf_draw.c, shared with the letters and the volunteers' certificates), with a QR code of
 * its public verification URL. Every text goes through pango_layout_set_text(): nothing is
 * parsed as markup or used as a format. */
#include "calls/results.h"
#include "docs/pdf_draw.h"
#include <stdio.h>

#define A4_W PDF_A4_W
#define A4_H PDF_A4_H
#define MARGIN 72.0
#define FONT PDF_FONT

static double text_at(cairo_t *cr, const char *text, const char *font, double size, PangoAlignment align, double x,
                      double y, double w)
{
    return pdf_text(cr, text, font, size, align, x, y, w, 0.6, 0);
}

struct award_page { const award_cert *x; const char *url; };

static int draw(cairo_t *cr, const void *cls)
{
    const award_cert *x = ((const struct award_page *)cls)->x;
    const char *url = ((const struct award_page *)cls)->url;
    char buf[2048], issued[40];
    pdf_chinese_day(x->issued_at, issued, sizeof issued);
    double w = A4_W - 2 * MARGIN, y = 110;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.72, 0.55, 0.1);
    cairo_set_line_width(cr, 4);
    cairo_rectangle(cr, 28, 28, A4_W - 56, A4_H - 56);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.72, 0.12, 0.12);
    y += text_at(cr, "荣誉证书", FONT " Bold", 44, PANGO_ALIGN_CENTER, MARGIN, y, w) + 14;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    snprintf(buf, sizeof buf, "证书编号：%s", x->serial);
    y += text_at(cr, buf, FONT, 12, PANGO_ALIGN_CENTER, MARGIN, y, w) + 48;
    snprintf(buf, sizeof buf, "%s：", x->holder_name);
    y += text_at(cr, buf, FONT " Bold", 20, PANGO_ALIGN_LEFT, MARGIN, y, w) + 20;
    if (x->level && *x->level)
        snprintf(buf, sizeof buf, "在“%s”中荣获%s。", x->title, x->level);
    else
        snprintf(buf, sizeof buf, "在“%s”中被评选入选。", x->title);
    y += text_at(cr, buf, FONT, 17, PANGO_ALIGN_LEFT, MARGIN, y, w) + 16;
    text_at(cr, "特发此证，以资鼓励。", FONT, 17, PANGO_ALIGN_LEFT, MARGIN, y, w);
    double sign_y = A4_H - 300;
    text_at(cr, x->issuer_name, FONT, 17, PANGO_ALIGN_RIGHT, MARGIN, sign_y, w);
    text_at(cr, issued, FONT, 17, PANGO_ALIGN_RIGHT, MARGIN, sign_y + 34, w);
    double qr_size = 110, qr_y = A4_H - 210;
    if (pdf_qr(cr, url, MARGIN, qr_y, qr_size, 0) != 0) return -1;
    text_at(cr, "扫码验证真伪", FONT, 10, PANGO_ALIGN_LEFT, MARGIN, qr_y + qr_size + 6, 200);
    text_at(cr, url, FONT, 8, PANGO_ALIGN_LEFT, MARGIN + qr_size + 16, qr_y + qr_size - 12, w - qr_size - 16);
    return 0;
}

int award_pdf_render(const award_cert *x, const char *verify_url, char **out, size_t *len)
{
    struct award_page pg = {x, verify_url};
    return pdf_a4_render("荣誉证书", draw, &pg, out, len);
}
