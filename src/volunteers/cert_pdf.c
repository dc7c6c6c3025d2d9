/* cert_pdf.c - draws a service-hour certificate (志愿服务时长证明) as an A4 PDF with cairo and
 * pango in Noto Sans CJK, with a QR code of its public verification URL (the drawing helpers are
 * docs/pdf_draw.c, shared with teaching/letter_pdf.c). Every text goes through
 * pango_layout_set_text(): nothing is parsed as markup. Only the masked ID number is printed. */
#include "volunteers/certificates.h"
#include "docs/pdf_draw.h"
#include <stdio.h>

#define A4_W PDF_A4_W
#define A4_H PDF_A4_H
#define MARGIN 72.0
#define FONT PDF_FONT

static double text_at(cairo_t *cr, const char *text, const char *font, double size, PangoAlignment align, double x,
                      double y, double w)
{
    return pdf_text(cr, text, font, size, align, x, y, w, 0.5, 0);
}

static int draw(cairo_t *cr, const vcert *x, const char *url)
{
    char buf[4096], issued[40];
    pdf_chinese_day(x->issued_at, issued, sizeof issued);
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
    if (pdf_qr(cr, url, MARGIN, qr_y, qr_size, 8) != 0) return -1;
    text_at(cr, "扫码验证真伪", FONT, 10, PANGO_ALIGN_LEFT, MARGIN, qr_y + qr_size + 8, 200);
    text_at(cr, url, FONT, 8, PANGO_ALIGN_LEFT, MARGIN + qr_size + 20, qr_y + qr_size - 12, w - qr_size - 20);
    return 0;
}

struct cert_page {
    const vcert *x;
    const char *url;
};

static int draw_page(cairo_t *cr, const void *cls)
{
    const struct cert_page *pg = cls;
    return draw(cr, pg->x, pg->url);
}

int cert_render_pdf(const vcert *x, const char *url, char **out, size_t *len)
{
    struct cert_page pg = {x, url};
    return pdf_a4_render("志愿服务时长证明", draw_page, &pg, out, len);
}
