/* static_files.c - the built UI from disk (see static_files.h). */
#include "http/static_files.h"
#include "http/reply.h"
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct { const char *ext, *type; } mime_types[] = {
    {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
    {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
    {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".gif", "image/gif"},
    {".webp", "image/webp"}, {".ico", "image/x-icon"}, {".woff2", "font/woff2"},
    {".woff", "font/woff"}, {".ttf", "font/ttf"}, {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json"}, {".wasm", "application/wasm"},
};

static const char *mime_for(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof mime_types / sizeof *mime_types; i++)
            if (strcmp(dot, mime_types[i].ext) == 0) return mime_types[i].type;
    return "application/octet-stream";
}

/* No "..", no backslash, no control bytes: a path that could leave web_dir is refused whole,
 * before anything touches the file system. MHD has already percent-decoded it. */
static bool path_is_safe(const char *p)
{
    if (p[0] != '/' || strstr(p, "..") || strchr(p, '\\') || strstr(p, "//")) return false;
    for (; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == '%') return false;
    return true;
}

static int open_regular(const char *file, struct stat *st)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Serves web_dir + rel, preferring a pre-gzipped copy; false when the file does not exist. */
static bool try_file(request *r, const char *web_dir, const char *rel)
{
    const char *file = arena_printf(&r->arena, "%s%s", web_dir, rel);
    struct stat st;
    const char *accept = req_header(r, "Accept-Encoding");
    bool gz = accept && strstr(accept, "gzip");
    int fd = gz ? open_regular(arena_printf(&r->arena, "%s.gz", file), &st) : -1;
    if (fd < 0) {
        gz = false;
        fd = open_regular(file, &st);
    }
    if (fd < 0) return false;
    bool immutable = strncmp(rel, "/assets/", 8) == 0;
    reply_fd_cached(r, 200, fd, (size_t)st.st_size, mime_for(rel),
                    immutable ? "public, max-age=31536000, immutable" : "no-cache");
    reply_header(r, "Vary", "Accept-Encoding");
    if (gz) reply_header(r, "Content-Encoding", "gzip");
    return true;
}

void static_serve(request *r, const char *web_dir)
{
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
        reply_error(r, 405, "method_not_allowed", NULL, "不支持该请求方法 / method not allowed");
        return;
    }
    if (!web_dir || !path_is_safe(r->path)) {
        reply_not_found(r);
        return;
    }
    const char *rel = strcmp(r->path, "/") == 0 ? "/index.html" : r->path;
    if (try_file(r, web_dir, rel)) return;
    /* A missing asset is a real 404; any other unknown path is a route of the single-page app. */
    if (strncmp(rel, "/assets/", 8) == 0 || !try_file(r, web_dir, "/index.html"))
        reply_not_found(r);
}
