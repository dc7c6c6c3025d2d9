/* certificates.h - service-hour certificates (志愿服务时长证明) of volunteers: issued from the
 * confirmed, credited hours with a number unique per year (VC<year><6 digits>) and a random code
 * for the public verification page <KEPU_PUBLIC_URL>/v/cert/<code>; drawn as an A4 PDF on request.
 * Strings of a returned certificate live in the given arena. */
#ifndef KEPU_VOLUNTEER_CERTIFICATES_H
#define KEPU_VOLUNTEER_CERTIFICATES_H
#include "volunteers/projects.h"

#define CERT_CODE_BYTES 16
enum { CERT_NO_HOURS = -1170 };   /* nothing confirmed to certify */

typedef struct vcert {
    int64_t id, volunteer_id, year, activities, minutes;
    const char *org_path, *cert_no, *code, *content, *issuer, *issued_at, *hours;
    const char *name, *volunteer_no, *id_number;   /* the volunteer's; the ID number in clear, in memory only */
    const char *id_masked;                          /* ... and masked, as the PDF prints it */
} vcert;
extern struct entity vcert_entity;

/* The certificate as an A4 PDF (cert_pdf.c): *out malloc'd. 0 or -1. */
int cert_render_pdf(const vcert *x, const char *url, char **out, size_t *len);

#endif
