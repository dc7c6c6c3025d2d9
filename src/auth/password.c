/* password.c - argon2id hashing with a cap on concurrent hashes (see auth.h). */
#include "auth/auth.h"
#include "core/log.h"
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <string.h>

#define OPS_LIMIT 2
#define MEM_LIMIT (19u * 1024 * 1024)
#define MAX_CONCURRENT_HASHES 2

static sem_t hash_slots;
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;

static void init_slots(void)
{
    if (sodium_init() < 0) log_error("libsodium failed to initialise");
    sem_init(&hash_slots, 0, MAX_CONCURRENT_HASHES);
}

static void slot_take(void)
{
    pthread_once(&slots_once, init_slots);
    while (sem_wait(&hash_slots) != 0) {}
}

static void slot_give(void) { sem_post(&hash_slots); }

int password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
    _Static_assert(crypto_pwhash_STRBYTES <= PASSWORD_HASH_MAX, "hash buffer too small");
    slot_take();
    int rc = crypto_pwhash_str_alg(out, password, strlen(password), OPS_LIMIT, MEM_LIMIT,
                                   crypto_pwhash_ALG_ARGON2ID13);
    slot_give();
    return rc == 0 ? 0 : -1;
}

bool password_verify(const char *hash, const char *password)
{
    if (!hash || !password) return false;
    slot_take();
    bool ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    slot_give();
    return ok;
}

static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
    unsigned char noise[16];
    char pw[33];
    randombytes_buf(noise, sizeof noise);
    sodium_bin2hex(pw, sizeof pw, noise, sizeof noise);
    if (password_hash(pw, dummy_hash) != 0) dummy_hash[0] = 0;
}

void password_burn(const char *password)
{
    pthread_once(&dummy_once, make_dummy_hash);
    (void)password_verify(dummy_hash, password);
}
