/* pdf_draw.c - drawing helpers of the A4 PDF documents (see pdf_draw.h). */
#include "docs/pdf_draw.h"
#include "core/sbuf.h"
#include <cairo-pdf.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>

static cairo_status_t to_buffer(void *closure, const unsigned char *data, unsigned int length)
{
    sbuf_addn(closure, (const char *)data, length);
    return CAIRO_STATUS_SUCCESS;
}

int pdf_a4_render(const char *title, int (*draw)(cairo_t *cr, const void *cls), const void *cls, char **out,
                  size_t *len)
{
    sbuf b;
    sbuf_init(&b);
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(to_buffer, &b, PDF_A4_W, PDF_A4_H);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_t *cr = cairo_create(surface);
    int rc = draw(cr, cls);
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

double pdf_text(cairo_t *cr, const char *text, const char *font, double size, PangoAlignment align, double x, double y,
                double w, double spacing, int indent_chars)
{
    PangoLayout *layout = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(layout, fd);
    pango_layout_set_width(layout, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout, align);
    pango_layout_set_spacing(layout, (int)(size * spacing * PANGO_SCALE));
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

int pdf_qr(cairo_t *cr, const char *url, double x, double y, double size, double quiet)
{
    QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) return -1;
    if (quiet > 0) {           /* a quiet zone of white around the code keeps scanners happy */
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_rectangle(cr, x - quiet, y - quiet, size + 2 * quiet, size + 2 * quiet);
        cairo_fill(cr);
    }
    double cell = size / qr->width;
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int r = 0; r < qr->width; r++)
        for (int col = 0; col < qr->width; col++)
            if (qr->data[r * qr->width + col] & 1) cairo_rectangle(cr, x + col * cell, y + r * cell, cell, cell);
    cairo_fill(cr);
    QRcode_free(qr);
    return 0;
}

void pdf_chinese_day(const char *day, char *out, size_t n)
{
    snprintf(out, n, "%d年%d月%d日", atoi(day), atoi(day + 5), atoi(day + 8));
}
