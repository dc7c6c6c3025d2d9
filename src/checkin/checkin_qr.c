/* checkin_qr.c - a QR code as SVG (libqrencode): one path of unit squares with a 4-module quiet
 * zone, crisp at any size on the teacher's screen or a projector. */
#include "checkin/checkin.h"
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *checkin_qr_svg(const char *text, size_t *len)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) return NULL;
    int w = qr->width, size = w + 8;
    size_t cap = 256 + (size_t)w * (size_t)w * 24;
    char *out = malloc(cap);
    if (!out) { QRcode_free(qr); return NULL; }
    size_t n = (size_t)snprintf(out, cap,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
        "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"", size, size, size, size);
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++)
            if (qr->data[y * w + x] & 1)   /* bit 0: a dark module */
                n += (size_t)snprintf(out + n, cap - n, "M%d %dh1v1h-1z", x + 4, y + 4);
    n += (size_t)snprintf(out + n, cap - n, "\"/></svg>");
    QRcode_free(qr);
    *len = n;
    return out;
}
