/* checkin_token.c - the rotating tokens, the phone page's grants, the person keys and the
 * check-in URL (see checkin.h). A token carries its step so that an old one is told apart from a
 * forged one: the MAC binds the step to the session, so neither can be changed without the key.
 * A grant is 'G' || expiry || MAC(session id || expiry), its MAC over a longer message than a
 * token's, so that neither can pass for the other. */
#include "checkin/checkin.h"
#include "core/config.h"
#include "core/pii.h"
#include "http/public_url.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define MAC_BYTES 16
#define TOKEN_BYTES (8 + MAC_BYTES)
#define GRANT_BYTES (1 + 8 + MAC_BYTES)

static unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
static int step_seconds = 15;
static int grant_seconds = 600;

bool checkin_configure(void)
{
    const char *hex = env_or("KEPU_CHECKIN_KEY", NULL);
    size_t len = 0;
    long step = env_long("KEPU_CHECKIN_STEP", 15);
    long grant = env_long("KEPU_CHECKIN_GRANT", 600);
    step_seconds = step >= 1 && step <= 3600 ? (int)step : 15;
    grant_seconds = grant >= 5 && grant <= 3600 ? (int)grant : 600;
    if (hex) {
        if (sodium_hex2bin(key, sizeof key, hex, strlen(hex), " \n", &len, NULL) != 0 || len != sizeof key) {
            fprintf(stderr, "kepu: KEPU_CHECKIN_KEY must be 64 hex characters\n");
            return false;
        }
        return true;
    }
    /* Derived from the personal-data key through its keyed hash: every node has the same. */
    arena a;
    arena_init(&a);
    const char *derived = pii_blind(&a, "checkin_key", "kepu-checkin-v1");
    bool ok = derived && sodium_hex2bin(key, sizeof key, derived, 64, NULL, &len, NULL) == 0 && len == sizeof key;
    arena_free(&a);
    if (!ok) fprintf(stderr, "kepu: no check-in key (configure the personal-data key first)\n");
    return ok;
}

int checkin_step_seconds(void) { return step_seconds; }

static void put_be64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8) p[i] = (unsigned char)v;
}

static uint64_t get_be64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | p[i];
    return v;
}

static void mac(int64_t session_id, uint64_t step, unsigned char out[MAC_BYTES])
{
    unsigned char msg[16], full[crypto_auth_hmacsha256_BYTES];
    put_be64(msg, (uint64_t)session_id);
    put_be64(msg + 8, step);
    crypto_auth_hmacsha256(full, msg, sizeof msg, key);
    memcpy(out, full, MAC_BYTES);
}

int checkin_token(int64_t session_id, char *buf, size_t len)
{
    time_t now = time(NULL);
    uint64_t step = (uint64_t)now / (uint64_t)step_seconds;
    unsigned char raw[TOKEN_BYTES];
    put_be64(raw, step);
    mac(session_id, step, raw + 8);
    sodium_bin2base64(buf, len, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return (int)((step + 1) * (uint64_t)step_seconds - (uint64_t)now);
}

static void grant_mac(int64_t session_id, uint64_t expiry, unsigned char out[MAC_BYTES])
{
    unsigned char msg[17], full[crypto_auth_hmacsha256_BYTES];
    msg[0] = 'G';
    put_be64(msg + 1, (uint64_t)session_id);
    put_be64(msg + 9, expiry);
    crypto_auth_hmacsha256(full, msg, sizeof msg, key);
    memcpy(out, full, MAC_BYTES);
}

/* Decodes a token or a grant (base64url, nothing else) into raw; its length, or 0 when neither. */
static size_t decode(const char *text, unsigned char raw[GRANT_BYTES + 4])
{
    size_t n = 0;
    /* Only the URL-safe alphabet: libsodium's decoder also takes some bytes above 0x7F as
     * letters, so one token would have many spellings (found by tests/fuzz/fuzz_checkin_token). */
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    if (!text || strlen(text) > 40 || strspn(text, alphabet) != strlen(text) ||
        sodium_base642bin(raw, GRANT_BYTES + 4, text, strlen(text), NULL, &n, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return 0;
    return n;
}

int checkin_grant(int64_t session_id, time_t window_closes, char *buf, size_t len)
{
    time_t now = time(NULL);
    /* never past the window: a grant is no way to check in after the session ends */
    time_t expiry = now + grant_seconds < window_closes ? now + grant_seconds : window_closes;
    if (expiry < now) expiry = now;
    unsigned char raw[GRANT_BYTES];
    raw[0] = 'G';
    put_be64(raw + 1, (uint64_t)expiry);
    grant_mac(session_id, (uint64_t)expiry, raw + 9);
    sodium_bin2base64(buf, len, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return (int)(expiry - now);
}

int checkin_pass_check(int64_t session_id, const char *pass)
{
    unsigned char raw[GRANT_BYTES + 4], want[MAC_BYTES];
    size_t n = decode(pass, raw);
    if (n == TOKEN_BYTES) return checkin_token_check(session_id, pass);
    if (n != GRANT_BYTES || raw[0] != 'G') return CHK_TOKEN_INVALID;
    uint64_t expiry = get_be64(raw + 1);
    grant_mac(session_id, expiry, want);
    if (sodium_memcmp(want, raw + 9, MAC_BYTES) != 0) return CHK_TOKEN_INVALID;
    return expiry >= (uint64_t)time(NULL) ? DB_OK : CHK_TOKEN_EXPIRED;
}

int checkin_token_check(int64_t session_id, const char *token)
{
    unsigned char raw[GRANT_BYTES + 4], want[MAC_BYTES];
    if (decode(token, raw) != TOKEN_BYTES) return CHK_TOKEN_INVALID;
    uint64_t step = get_be64(raw), now = (uint64_t)time(NULL) / (uint64_t)step_seconds;
    mac(session_id, step, want);
    if (sodium_memcmp(want, raw + 8, MAC_BYTES) != 0 || step > now) return CHK_TOKEN_INVALID;
    return now - step <= 1 ? DB_OK : CHK_TOKEN_EXPIRED;   /* this step, or the one before (grace) */
}

const char *checkin_url(request *r, int64_t session_id, const char *token)
{
    return public_url(r, arena_printf(&r->arena, "/c/%lld/%s", (long long)session_id, token));
}

const char *checkin_key_hash(arena *a, const char *person_key)
{
    unsigned char h[32];
    char *hex = arena_alloc(a, 65);
    /* keyed as well: a copy of the table alone cannot be matched against guessed keys */
    crypto_generichash(h, sizeof h, (const unsigned char *)person_key, strlen(person_key), key, sizeof key);
    sodium_bin2hex(hex, 65, h, sizeof h);
    return hex;
}

void checkin_new_key(arena *a, const char **person_key, const char **hash)
{
    unsigned char raw[32];
    char *k = arena_alloc(a, 48);
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(k, 48, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    *person_key = k;
    *hash = checkin_key_hash(a, k);
}
