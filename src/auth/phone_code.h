/* phone_code.h - the 6-digit codes a public page sends by SMS to prove a phone ("find me" of the
 * volunteer phone and of a contest's player): one table, phone_codes (migration 038), one row per
 * purpose and phone, keyed by the phone's blind index and holding only a keyed hash of the code.
 * A code lasts PHONE_CODE_SECONDS, allows PHONE_CODE_TRIES tries and is single use; a new code
 * replaces the phone's previous one of that purpose. The attempt limits stay with the callers
 * (auth/limiter.h), whose rules differ per page.
 *
 * purpose names the flow and whatever it is bound to ("volunteer", "contest:42"): a code sent for
 * one never opens another. Strings returned are in the arena; nothing here is for the caller to
 * free. */
#ifndef KEPU_PHONE_CODE_H
#define KEPU_PHONE_CODE_H
#include "core/arena.h"
#include "db/db.h"
#include <stdbool.h>

#define PHONE_CODE_SECONDS 300
#define PHONE_CODE_TRIES 5

/* A fresh random code, "000000".."999999"; the caller wipes it (sodium_memzero) when sent. */
void phone_code_new(char code[8]);

/* Stores the code's hash for (purpose, phone) in its own transaction, replacing the phone's
 * previous code; expired codes of every phone go at the same time. Callers store a code for
 * unknown phones too, so that the work does not tell whether the phone is known. DB_OK or a DB
 * code. */
int phone_code_store(db *c, arena *a, const char *purpose, const char *phone, const char *code);

/* One try of code for (purpose, phone), counted in its own transaction. *matched when it was the
 * phone's live code, which is then used up (of two requests with the right code only one wins).
 * DB_OK (matched or not) or a DB code. */
int phone_code_try(db *c, arena *a, const char *purpose, const char *phone, const char *code, bool *matched);

#endif
