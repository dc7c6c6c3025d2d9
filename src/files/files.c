/* files.c - the content-addressed file store (see files.h). */
#include "files/files.h"
#include "core/log.h"
#include "core/validate.h"
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

static char root[4096], spool[4200];

/* mkdir -p: every missing directory along the path. */
static int make_dirs(const char *path)
{
    char p[4200];
    snprintf(p, sizeof p, "%s", path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(p, 0750) != 0 && errno != EEXIST) return -1;
        *s = '/';
    }
    return mkdir(p, 0750) != 0 && errno != EEXIST ? -1 : 0;
}

bool files_configure(const char *dir)
{
    snprintf(root, sizeof root, "%s", dir);
    snprintf(spool, sizeof spool, "%s/tmp", dir);
    if (make_dirs(spool) != 0) {
        log_error("file store %s: %s", dir, strerror(errno));
        return false;
    }
    return true;
}

const char *files_spool_dir(void) { return spool; }

static bool starts(const unsigned char *h, size_t n, const char *magic, size_t m)
{
    return n >= m && memcmp(h, magic, m) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* The Office Open XML kinds: the name's ending, the type, and the parts a package of the kind
 * must hold (ECMA-376 part 2, and the main part each application opens). */
static const struct { const char *ending, *mime, *main_part; } office_parts[] = {
    {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/document.xml"},
    {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/workbook.xml"},
    {".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/presentation.xml"},
};

const char *files_sniff(const unsigned char *h, size_t n, const char *name)
{
    if (starts(h, n, "\xFF\xD8\xFF", 3)) return "image/jpeg";
    if (starts(h, n, "\x89PNG\r\n\x1A\n", 8)) return "image/png";
    if (starts(h, n, "GIF87a", 6) || starts(h, n, "GIF89a", 6)) return "image/gif";
    if (n >= 12 && starts(h, n, "RIFF", 4) && memcmp(h + 8, "WEBP", 4) == 0) return "image/webp";
    if (starts(h, n, "%PDF-", 5)) return "application/pdf";
    /* Office Open XML files are zip archives; the bytes cannot tell a docx from an xlsx
     * cheaply, so a zip is accepted only under one of those names. */
    for (size_t i = 0; i < sizeof office_parts / sizeof *office_parts && name; i++)
        if (starts(h, n, "PK\x03\x04", 4) && ends_with(name, office_parts[i].ending)) return office_parts[i].mime;
    return NULL;
}

bool files_is_office_package(const char *path, const char *mime)
{
    const char *main_part = NULL;
    for (size_t i = 0; i < sizeof office_parts / sizeof *office_parts; i++)
        if (!strcmp(mime, office_parts[i].mime)) main_part = office_parts[i].main_part;
    if (!main_part) return true;   /* not a zip-based type: nothing more to check */
    int err = 0;
    /* ZIP_CHECKCONS: the central directory must agree with the local headers, so that what
     * we looked at is what an office program unpacks. */
    zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    if (!z) return false;
    bool ok = zip_name_locate(z, "[Content_Types].xml", 0) >= 0 && zip_name_locate(z, main_part, 0) >= 0;
    zip_discard(z);
    return ok;
}

long files_read_head(const char *path, unsigned char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, cap);
    close(fd);
    return n;
}

static int hash_file(const char *path, char hex[65])
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char buf[65536], out[crypto_hash_sha256_BYTES];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) crypto_hash_sha256_update(&st, buf, (unsigned long long)n);
    close(fd);
    if (n < 0) return -1;
    crypto_hash_sha256_final(&st, out);
    sodium_bin2hex(hex, 65, out, sizeof out);
    return 0;
}

static void stored_path(const char *sha, char *out, size_t len, bool make_dir)
{
    snprintf(out, len, "%s/%.2s", root, sha);
    if (make_dir) mkdir(out, 0750);
    snprintf(out, len, "%s/%.2s/%s", root, sha, sha);
}

int files_store(const char *path, char sha256[65])
{
    if (hash_file(path, sha256) != 0) return -1;
    char dest[4400];
    stored_path(sha256, dest, sizeof dest, true);
    struct stat st;
    if (stat(dest, &st) == 0) return unlink(path) == 0 ? 0 : -1;   /* the same bytes are stored */
    /* fsync before the rename: a crash must not leave a named but empty file */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) fsync(fd), close(fd);
    chmod(path, 0640);
    if (rename(path, dest) != 0) {
        log_error("file store: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int files_open(const char *sha256, size_t *size)
{
    if (strlen(sha256) != 64 || strspn(sha256, "0123456789abcdef") != 64) return -1;
    char p[4400];
    stored_path(sha256, p, sizeof p, false);
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0) close(fd);
        return -1;
    }
    *size = (size_t)st.st_size;
    return fd;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

const char *files_clean_name(arena *a, const char *raw)
{
    if (!raw) return NULL;
    size_t n = strlen(raw), k = 0;
    if (n == 0 || n > 1200) return NULL;
    char *out = arena_alloc(a, n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)raw[i];
        if (ch == '%' && i + 2 < n && hexval(raw[i + 1]) >= 0 && hexval(raw[i + 2]) >= 0) {
            ch = (unsigned char)(hexval(raw[i + 1]) * 16 + hexval(raw[i + 2]));
            i += 2;
        }
        if (ch < 0x20 || ch == 0x7F || ch == '/' || ch == '\\' || ch == '"') return NULL;
        out[k++] = (char)ch;
    }
    out[k] = 0;
    if (k == 0 || k > 200 || !utf8_valid(out, k) || !strcmp(out, ".") || !strcmp(out, "..")) return NULL;
    return out;
}

const char *files_disposition(arena *a, const char *name)
{
    /* filename= an ASCII stand-in, filename*= the real UTF-8 name percent-encoded */
    size_t n = strlen(name);
    char *enc = arena_alloc(a, 3 * n + 1), *p = enc;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)name[i];
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || strchr(".-_", ch))
            *p++ = (char)ch;
        else
            p += sprintf(p, "%%%02X", ch);
    }
    *p = 0;
    const char *dot = strrchr(name, '.');
    char ext[16] = "";
    if (dot && strlen(dot) < sizeof ext && strspn(dot + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == strlen(dot + 1))
        snprintf(ext, sizeof ext, "%s", dot);
    return arena_printf(a, "attachment; filename=\"file%s\"; filename*=UTF-8''%s", ext, enc);
}
