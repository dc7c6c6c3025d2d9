/* validate.h - checks and masks for user input and personal data (docs/domain.md §3).
 * All functions are pure; masks write into caller-provided buffers. */
#ifndef KEPU_VALIDATE_H
#define KEPU_VALIDATE_H
#include <stdbool.h>
#include <stddef.h>

bool utf8_valid(const char *s, size_t n);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_chars(const char *s);
/* A display name: 1..max code points, valid UTF-8, no control characters (ASCII, C1, nor the
 * invisible format characters of has_invisible_controls), not only spaces. */
bool valid_name(const char *s, size_t max_chars);
/* Whether valid UTF-8 s holds a bidi control (U+202A-U+202E, U+2066-U+2069), a zero-width
 * character (U+200B-U+200F, U+2060, U+FEFF) or another invisible format control. */
bool has_invisible_controls(const char *s);
/* Mainland mobile number: 11 digits starting 1[3-9]. */
bool valid_phone(const char *s);
/* Resident ID number, GB 11643-1999: 17 digits + ISO 7064 MOD 11-2 check (0-9 or X). */
bool valid_id_number(const char *s);
/* The birth date of an 18-character ID number as "YYYY-MM-DD" into out (11 bytes); "" when id
 * is not 18 characters long. The digits are copied, not checked: see id_number_birth_ok. */
void id_number_birth_day(const char *id_number, char out[11]);
/* The birth date inside an 18-character ID number is a real day from 1900-01-01 up to today
 * (YYYY-MM-DD..., compared on its first 10 characters); false for NULL arguments. */
bool id_number_birth_ok(const char *id_number, const char *today);
bool valid_username(const char *s);   /* 3..32 of [A-Za-z0-9_.-] */
bool valid_org_code(const char *s);   /* 1..32 of [0-9A-Za-z_-] */
/* Codes of dictionaries and keys (activity kinds, window codes, form field keys): 1..32 of [a-z0-9_]. */
bool valid_key_code(const char *s);
bool valid_email(const char *s);
/* An http(s) address with a host and no spaces, quotes, angle brackets or controls, <= 500 bytes. */
bool valid_web_link(const char *s);
/* Whether s is one of list (NULL-terminated; a NULL list holds nothing). */
bool str_in_list(const char *s, const char *const *list);

/* "13812345678" -> "138****5678"; anything else is masked whole. out >= 32 bytes. */
void mask_phone(const char *phone, char *out, size_t outlen);
/* "500103199001011234" -> "5001**********1234". out >= 32 bytes. */
void mask_id_number(const char *id, char *out, size_t outlen);

/* Checks of a text field (model/entity.h's field.check): NULL when good, else the 422 message.
 * check_id_number upper-cases the x (a copy in a) and wants a valid check digit and a possible
 * birth date, not in the future; check_phone a mainland mobile number; check_key_code a
 * valid_key_code(). */
struct arena;
const char *check_id_number(struct arena *a, const char **value);
const char *check_phone(struct arena *a, const char **value);
const char *check_key_code(struct arena *a, const char **value);
const char *check_web_link(struct arena *a, const char **value);   /* valid_web_link() */

#endif
