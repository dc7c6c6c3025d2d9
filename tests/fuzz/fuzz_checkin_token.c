/* fuzz_checkin_token.c - libFuzzer harness for the check-in QR tokens (checkin/checkin.h): what
 * a phone sends after scanning, /c/<session>/<token>, as "<session>/<token>".
 * Promises checked: a token is accepted only if it is the session's genuine token of this step
 * or the one before (a forged or altered token never passes), the genuine token passes for its
 * own session and no other, a page's grant likewise (the check of a token or grant takes any
 * text), and the key hash takes any text. */
#include "fuzz.h"
#include "checkin/checkin.h"
#include "db/db.h"
#include <sodium.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    setenv("KEPU_CHECKIN_KEY", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 1);
    setenv("KEPU_CHECKIN_STEP", "15", 1);
    if (sodium_init() < 0 || !checkin_configure()) abort();
    return 0;
}

/* The step a token names, or 0 when it does not decode to step + MAC. */
static uint64_t token_step(const char *token)
{
    unsigned char raw[28];
    size_t n = 0;
    if (sodium_base642bin(raw, sizeof raw, token, strlen(token), NULL, &n, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || n != 24)
        return 0;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | raw[i];
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena a;
    arena_init(&a);
    char *part[2] = {NULL, NULL};
    int n = fuzz_split(&a, data, size, '/', part, 2);
    int64_t session = n == 2 ? strtoll(part[0], NULL, 10) : 1;
    const char *token = n == 2 ? part[1] : part[0];
    char genuine[64];
    uint64_t now = (uint64_t)time(NULL) / (uint64_t)checkin_step_seconds();
    checkin_token(session, genuine, sizeof genuine);
    int rc = checkin_token_check(session, token);
    int genuine_rc = checkin_token_check(session, genuine);
    /* The promises below compare steps: they hold only when no step boundary fell between the
     * harness's clock and the checker's (a corpus keeps genuine tokens of earlier runs, and a
     * run crossing a boundary once reported a broken promise that was only the clock moving). */
    bool same_step = (uint64_t)time(NULL) / (uint64_t)checkin_step_seconds() == now;
    FUZZ_CHECK(rc == DB_OK || rc == CHK_TOKEN_INVALID || rc == CHK_TOKEN_EXPIRED);
    if (same_step && rc == DB_OK)   /* the genuine token; the previous step's cannot be rebuilt here, only named */
        FUZZ_CHECK(strcmp(token, genuine) == 0 || token_step(token) + 1 == now);
    if (same_step && strcmp(token, genuine) != 0 && token_step(token) == now) FUZZ_CHECK(rc == CHK_TOKEN_INVALID);
    if (same_step) FUZZ_CHECK(genuine_rc == DB_OK);
    FUZZ_CHECK(checkin_token_check(session ^ 1, genuine) == CHK_TOKEN_INVALID);
    int pass_rc = checkin_pass_check(session, token);
    FUZZ_CHECK(pass_rc == DB_OK || pass_rc == CHK_TOKEN_INVALID || pass_rc == CHK_TOKEN_EXPIRED);
    char grant[64];
    checkin_grant(session, (time_t)time(NULL) + 600, grant, sizeof grant);
    FUZZ_CHECK(checkin_pass_check(session, grant) == DB_OK);
    FUZZ_CHECK(checkin_pass_check(session ^ 1, grant) == CHK_TOKEN_INVALID);
    FUZZ_CHECK(checkin_token_check(session, grant) == CHK_TOKEN_INVALID);   /* a grant opens no page */
    FUZZ_CHECK(strlen(checkin_key_hash(&a, token)) == 64);
    arena_free(&a);
    return 0;
}
