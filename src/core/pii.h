/* pii.h - personal numbers at rest (PIPL): ID numbers and phones are stored encrypted with
 * libsodium's secretbox (XSalsa20-Poly1305) under a key kept outside the database, and found by
 * a keyed hash (a blind index: equal numbers give equal hashes, the hash tells nothing without
 * the key). A copy of the database alone reveals no number.
 *
 * The key: KEPU_PII_KEY (64 hex characters), else the file KEPU_PII_KEY_FILE (never created),
 * else pii.key in the file store's directory (created with mode 0600 on first start, and said
 * so in the log; an existing one is always used). A key file inside the file store or the
 * SQLite database's directory is warned about loudly on every start: a copy of the data would
 * carry its key (docs/operations.md). Every node of a deployment must use the same key; losing
 * it loses the numbers.
 * Returned strings live in the given arena. */
#ifndef KEPU_PII_H
#define KEPU_PII_H
#include "core/arena.h"
#include <stdbool.h>

/* Loads (or creates) the key; files_dir holds pii.key when nothing else is set, db_dir is the
 * SQLite database's directory (NULL on PostgreSQL). false, with one line on standard error,
 * when no key can be had. */
bool pii_configure(const char *files_dir, const char *db_dir);
/* Loads a given 32-byte key (tests). */
void pii_set_key(const unsigned char key[32]);

/* "v1:" + base64(nonce || ciphertext); NULL for NULL. */
const char *pii_encrypt(arena *a, const char *plain);
/* The plain text, or NULL when stored is NULL, malformed or was not made with this key. */
const char *pii_decrypt(arena *a, const char *stored);
/* 64 hex characters; kind separates the indexes ("id_number", "phone"), so the same digits
 * under two kinds do not match. */
const char *pii_blind(arena *a, const char *kind, const char *value);
/* The same keyed hash as raw bytes; false (out untouched) while no key is loaded. */
bool pii_blind_raw(const char *kind, const char *value, unsigned char out[32]);

#endif
