/* pii.c - encryption and blind indexes of personal numbers (see pii.h). */
#define _XOPEN_SOURCE 700   /* realpath() */
#include "core/pii.h"
#include "core/config.h"
#include "core/log.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned char enc_key[crypto_secretbox_KEYBYTES], index_key[crypto_generichash_KEYBYTES];
static bool have_key;

/* Two keys derived from the one stored: encrypting and indexing never share a key. */
void pii_set_key(const unsigned char key[32])
{
    crypto_kdf_derive_from_key(enc_key, sizeof enc_key, 1, "kepu-pii", key);
    crypto_kdf_derive_from_key(index_key, sizeof index_key, 2, "kepu-pii", key);
    have_key = true;
}

static bool key_from_hex(const char *hex, unsigned char key[32])
{
    size_t len = 0;
    return hex && sodium_hex2bin(key, 32, hex, strlen(hex), " \n\r\t", &len, NULL) == 0 && len == 32;
}

static bool read_key_file(const char *path, unsigned char key[32])
{
    char hex[200] = "";
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t n = read(fd, hex, sizeof hex - 1);
    close(fd);
    if (n > 0) hex[n] = 0;
    return key_from_hex(hex, key);
}

/* A new random key, written once with mode 0600. Two nodes starting together on one shared
 * directory must agree on one key, and neither may read a half-written file: the key is written
 * whole to a private temporary file and link()ed into place, which fails with EEXIST for every
 * node but the first; the others then read the winner's complete file. */
static bool create_key_file(const char *path, unsigned char key[32])
{
    char hex[65], tmp[4300];
    crypto_kdf_keygen(key);
    sodium_bin2hex(hex, sizeof hex, key, 32);
    snprintf(tmp, sizeof tmp, "%s.%ld.%08x.tmp", path, (long)getpid(), randombytes_random());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    bool ok = write(fd, hex, 64) == 64 && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
    close(fd);
    bool lost = ok && link(tmp, path) != 0;
    int link_errno = errno;
    unlink(tmp);
    sodium_memzero(hex, sizeof hex);
    if (lost) return link_errno == EEXIST && read_key_file(path, key);
    if (ok) log_info("pii: created a new key in %s; back it up: without it the stored numbers are lost", path);
    return ok;
}

/* Whether path (an existing file) lies inside dir, both resolved (symbolic links, "..").
 * false when either cannot be resolved. */
static bool lies_inside(const char *path, const char *dir)
{
    char rp[PATH_MAX], rd[PATH_MAX];
    if (!dir || !realpath(path, rp) || !realpath(dir, rd)) return false;
    size_t n = strlen(rd);
    return strncmp(rp, rd, n) == 0 && (rp[n] == '/' || rd[n - 1] == '/');
}

/* A key kept with the data it protects protects nothing against a copy of that data: a
 * copied data directory, an rsync of the files directory or a stolen backup then carries its
 * own key. Said loudly on every start until the key is moved (docs/operations.md). */
static void warn_if_beside_data(const char *key_path, const char *files_dir, const char *db_dir)
{
    const char *where = lies_inside(key_path, files_dir) ? files_dir : lies_inside(key_path, db_dir) ? db_dir : NULL;
    if (!where) return;
    fprintf(stderr,
            "kepu: WARNING: ********************************************************************\n"
            "kepu: WARNING: 个人信息密钥 %s 位于数据目录 %s 之内：数据目录的副本或备份会连同密钥一起泄露。\n"
            "kepu: WARNING: the personal-data key %s lies inside the data directory %s: any copy\n"
            "kepu: WARNING: or backup of that directory carries its own key and reveals every ID number\n"
            "kepu: WARNING: and phone. Move it out and set KEPU_PII_KEY_FILE (docs/operations.md,\n"
            "kepu: WARNING: \"Personal-data key\"). The server keeps using it until then.\n"
            "kepu: WARNING: ********************************************************************\n",
            key_path, where, key_path, where);
}

bool pii_configure(const char *files_dir, const char *db_dir)
{
    unsigned char key[32];
    const char *hex = env_or("KEPU_PII_KEY", NULL), *file = env_or("KEPU_PII_KEY_FILE", NULL);
    char path[4200];
    bool ok;
    if (hex) {
        ok = key_from_hex(hex, key);
        if (!ok) fprintf(stderr, "kepu: KEPU_PII_KEY must be 64 hex characters\n");
    } else if (file) {
        /* Never created here: a mistyped path must stop the server, not start a new key
         * under which the stored numbers cannot be read. */
        ok = read_key_file(file, key);
        if (!ok) fprintf(stderr, "kepu: KEPU_PII_KEY_FILE %s does not hold a 64-hex-character key\n", file);
        if (ok) warn_if_beside_data(file, files_dir, db_dir);
    } else {
        /* The historical default. An existing key there is always used (a new one would lose
         * every stored number); a new deployment gets one there too, with the warning, so
         * that a first start works without setup. */
        snprintf(path, sizeof path, "%s/pii.key", files_dir);
        ok = read_key_file(path, key) || create_key_file(path, key);
        if (!ok) fprintf(stderr, "kepu: no personal-data key in %s and none can be created there\n", path);
        if (ok) warn_if_beside_data(path, files_dir, db_dir);
    }
    if (ok) pii_set_key(key);
    sodium_memzero(key, sizeof key);
    return ok;
}

const char *pii_encrypt(arena *a, const char *plain)
{
    if (!plain || !have_key) return NULL;
    size_t n = strlen(plain), blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
    unsigned char *box = arena_alloc(a, blen);
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, n, box, enc_key);
    size_t b64 = sodium_base64_ENCODED_LEN(blen, sodium_base64_VARIANT_ORIGINAL);
    char *out = arena_alloc(a, b64 + 3);
    memcpy(out, "v1:", 3);
    sodium_bin2base64(out + 3, b64, box, blen, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

const char *pii_decrypt(arena *a, const char *stored)
{
    if (!stored || !have_key || strncmp(stored, "v1:", 3) != 0) return NULL;
    size_t slen = strlen(stored + 3), blen = 0;
    unsigned char *box = arena_alloc(a, slen + 1);
    if (sodium_base642bin(box, slen + 1, stored + 3, slen, NULL, &blen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return NULL;
    size_t n = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    char *plain = arena_alloc(a, n + 1);
    if (crypto_secretbox_open_easy((unsigned char *)plain, box + crypto_secretbox_NONCEBYTES,
                                   blen - crypto_secretbox_NONCEBYTES, box, enc_key) != 0)
        return NULL;
    plain[n] = 0;
    return plain;
}

bool pii_blind_raw(const char *kind, const char *value, unsigned char out[32])
{
    if (!value || !have_key) return false;
    crypto_generichash_state st;
    crypto_generichash_init(&st, index_key, sizeof index_key, 32);
    crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind) + 1);   /* the NUL separates */
    crypto_generichash_update(&st, (const unsigned char *)value, strlen(value));
    crypto_generichash_final(&st, out, 32);
    return true;
}

const char *pii_blind(arena *a, const char *kind, const char *value)
{
    unsigned char out[32];
    if (!pii_blind_raw(kind, value, out)) return NULL;
    char *hex = arena_alloc(a, 65);
    sodium_bin2hex(hex, 65, out, sizeof out);
    return hex;
}
