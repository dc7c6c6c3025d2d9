/* pdf_draw.h - the drawing shared by the one-page A4 documents (teaching/letter_pdf.c 聘书,
 * volunteers/cert_pdf.c 志愿服务时长证明): the page rendered to a PDF in memory, text in a box
 * with pango (never parsed as markup), a QR code drawn as cairo rectangles, a date in Chinese.
 * Ownership: pdf_a4_render() hands back a malloc'd buffer the caller frees. */
#ifndef KEPU_PDF_DRAW_H
#define KEPU_PDF_DRAW_H
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stddef.h>

#define PDF_A4_W 595.276
#define PDF_A4_H 841.890
#define PDF_FONT "Noto Sans CJK SC"

/* One A4 page titled title, drawn by draw(cr, cls) (0, or -1 to give up), as PDF bytes in *out
 * (malloc'd) and *len. 0 or -1. */
int pdf_a4_render(const char *title, int (*draw)(cairo_t *cr, const void *cls), const void *cls, char **out,
                  size_t *len);
/* Draws text wrapped in a box of width w at (x, y), lines spaced by spacing * size, the first line
 * indented by indent_chars characters; returns the height used. */
double pdf_text(cairo_t *cr, const char *text, const char *font, double size, PangoAlignment align, double x, double y,
                double w, double spacing, int indent_chars);
/* The QR code of url, size points wide at (x, y), on a white quiet zone of quiet points around it
 * (0: none). 0, or -1 when the text cannot be encoded. */
int pdf_qr(cairo_t *cr, const char *url, double x, double y, double size, double quiet);
/* "2026-05-18..." -> "2026年5月18日" */
void pdf_chinese_day(const char *day, char *out, size_t n);

#endif
