/* fuzz_media_probe.c - libFuzzer harness for media probing (media/media.c, issue 18 B): FFmpeg's
 * demuxers are the parser, behind our fence (file protocol, demuxer whitelist, budgets).
 * Input: the first byte picks the claimed type (none, a video type or an audio type), the rest is
 * the file, written to a temporary file and probed; a file probed as video also gets a poster.
 * Promises checked: the answer is DB_OK or one of media.h's codes; a probed file has a kind of
 * "video" or "audio", a codec name, a duration that is a number >= 0, a picture size for video
 * and none for audio; a claim that is answered DB_OK is the kind probed. Crashes and leaks are
 * libFuzzer's and ASan's to find. A seventh choice takes the claim from media_sniff() of the
 * file's head, as the resource library's upload does: a sniffed type is always one the probe
 * knows (never MEDIA_UNKNOWN_TYPE). Seeds: a 0.05 s WAV, a text file. */
#include "db/db.h"
#include "fuzz.h"
#include "media/media.h"
#include <unistd.h>

static char path[64], png[80];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    strcpy(path, "/tmp/kepu-fuzz-media-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) abort();
    close(fd);
    snprintf(png, sizeof png, "%s.png", path);
    return 0;
}

static bool known_code(int rc)
{
    return rc == DB_OK || rc == MEDIA_NOT_MEDIA || rc == MEDIA_MISMATCH || rc == MEDIA_OVER_BUDGET ||
           rc == MEDIA_NO_FRAME || rc == MEDIA_POSTER_FAILED;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const claims[] = {NULL, "video/mp4", "audio/wav", "video/webm", "audio/mpeg", "video/mpeg"};
    const char *claim = size ? claims[data[0] % 7 % 6] : NULL;
    if (size && data[0] % 7 == 6) claim = media_sniff(data + 1, size - 1);
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (size > 1) fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    arena a;
    arena_init(&a);
    media_info m = {0};
    int rc = media_probe(path, claim, &a, &m);
    FUZZ_CHECK(known_code(rc));   /* MEDIA_UNKNOWN_TYPE is not: every claim here is known */
    if (rc == DB_OK) {
        bool video = !strcmp(m.kind, "video");
        FUZZ_CHECK(video || !strcmp(m.kind, "audio"));
        FUZZ_CHECK(m.codec && m.seconds >= 0);
        FUZZ_CHECK(video ? m.width > 0 && m.height > 0 : m.width == 0 && m.height == 0);
        if (claim) FUZZ_CHECK(!strncmp(claim, m.kind, strlen(m.kind)));
        if (video) {
            FUZZ_CHECK(known_code(media_poster_png(path, 0.5, png)));
            remove(png);
        }
    }
    arena_free(&a);
    return 0;
}
