/* test_media.c - media probing and poster frames (media/media.c, issue 18 B), on media made in the
 * test (no binary fixtures): a WAV written by hand probes as 2.5 s of audio; a 2 s 64x48 MPEG-4
 * video encoded here with libavcodec into an MP4 probes as video with its size and duration, and
 * its poster at a time is a PNG of that size showing that time's picture (red, then blue); a text
 * file, or a WAV claimed as video/mp4, is refused; FFmpeg writes nothing to stderr. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "db/db.h"
#include "media/media.h"
#include <cairo.h>
#include <fcntl.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../media_fixture.h"

static char dir[64], wav[128], mp4[128], text[128], cut[128];

/* The first n bytes of from, as to. */
static void copy_head(const char *from, const char *to, size_t n)
{
    char buf[4096];
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in), assert_non_null(out);
    size_t got = fread(buf, 1, n < sizeof buf ? n : sizeof buf, in);
    fwrite(buf, 1, got, out);
    fclose(in), fclose(out);
}

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/kepu-media-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    snprintf(wav, sizeof wav, "%s/tone.wav", dir), snprintf(mp4, sizeof mp4, "%s/clip.mp4", dir);
    snprintf(text, sizeof text, "%s/notes.txt", dir), snprintf(cut, sizeof cut, "%s/cut.mp4", dir);
    write_wav(wav, 2.5);
    write_mp4(mp4);
    FILE *f = fopen(text, "w");
    fputs("这不是视频。 This is a plain text file, not a video at all.\n", f);
    fclose(f);
    copy_head(mp4, cut, 1500);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    const char *files[] = {wav, mp4, text, cut, NULL};
    for (int i = 0; files[i]; i++) remove(files[i]);
    remove(dir);   /* the posters are removed by their tests */
    return 0;
}

static void test_wav_is_audio_of_its_length(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    const char *claims[] = {"audio/wav", "audio/x-wav", NULL};
    for (int i = 0; i < 3; i++) {
        media_info m = {0};
        assert_int_equal(media_probe(wav, i < 2 ? claims[i] : NULL, &a, &m), DB_OK);
        assert_string_equal(m.kind, "audio");
        assert_true(m.seconds > 2.49 && m.seconds < 2.51);
        assert_int_equal(m.width, 0), assert_int_equal(m.height, 0);
        assert_string_equal(m.codec, "pcm_s16le");
    }
    arena_free(&a);
}

static void test_mp4_is_video_of_its_size_and_length(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    media_info m = {0};
    assert_int_equal(media_probe(mp4, "video/mp4", &a, &m), DB_OK);
    assert_string_equal(m.kind, "video");
    assert_int_equal(m.width, 64), assert_int_equal(m.height, 48);
    assert_true(m.seconds > 1.9 && m.seconds < 2.1);
    assert_string_equal(m.codec, "mpeg4");
    assert_int_equal(media_probe(mp4, NULL, &a, &m), DB_OK);
    assert_string_equal(m.kind, "video");
    arena_free(&a);
}

/* The poster at t is a 64x48 PNG whose centre is red (or blue): the picture of that time. */
static void expect_poster(double t, bool red)
{
    char png[160];
    snprintf(png, sizeof png, "%s/poster.png", dir);
    assert_int_equal(media_poster_png(mp4, t, png), DB_OK);
    cairo_surface_t *s = cairo_image_surface_create_from_png(png);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(s), 64);
    assert_int_equal(cairo_image_surface_get_height(s), 48);
    const unsigned char *px = cairo_image_surface_get_data(s) + 24 * cairo_image_surface_get_stride(s) + 32 * 4;
    uint32_t word = *(const uint32_t *)px;
    int r = (int)(word >> 16) & 0xFF, b = (int)word & 0xFF;
    if (red) assert_true(r > 180 && b < 80);
    else assert_true(b > 180 && r < 80);
    cairo_surface_destroy(s);
    struct stat st;
    char tmp[180];
    snprintf(tmp, sizeof tmp, "%s.tmp", png);
    assert_int_equal(stat(tmp, &st), -1);   /* no temporary left */
    remove(png);
}

static void test_poster_is_the_picture_at_its_time(void **state)
{
    (void)state;
    expect_poster(0.2, true);
    expect_poster(1.5, false);
    expect_poster(0, true);
    expect_poster(99, false);     /* past the end: clipped to the last picture */
    expect_poster(1e300, false);  /* far past it: no overflow on the way */
    expect_poster(-5, true);      /* before the start: the first picture */
}

static void test_what_is_not_its_claim_is_refused(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    media_info m = {.kind = "untouched"};
    assert_int_equal(media_probe(text, "video/mp4", &a, &m), MEDIA_NOT_MEDIA);
    assert_int_equal(media_probe(text, NULL, &a, &m), MEDIA_NOT_MEDIA);
    assert_int_equal(media_probe(wav, "video/mp4", &a, &m), MEDIA_MISMATCH);     /* a WAV is no MP4 */
    assert_int_equal(media_probe(mp4, "audio/wav", &a, &m), MEDIA_MISMATCH);
    assert_int_equal(media_probe(mp4, "video/webm", &a, &m), MEDIA_MISMATCH);    /* another container */
    assert_int_equal(media_probe(mp4, "audio/mp4", &a, &m), MEDIA_MISMATCH);     /* no sound in it */
    assert_int_equal(media_probe(mp4, "application/pdf", &a, &m), MEDIA_UNKNOWN_TYPE);
    assert_int_equal(media_probe("/nonexistent/kepu/clip.mp4", NULL, &a, &m), MEDIA_NOT_MEDIA);
    assert_string_equal(m.kind, "untouched");
    char png[160];
    snprintf(png, sizeof png, "%s/none.png", dir);
    assert_int_equal(media_poster_png(wav, 0, png), MEDIA_NOT_MEDIA);          /* audio has no picture */
    assert_int_equal(media_poster_png(text, 0, png), MEDIA_NOT_MEDIA);
    struct stat st;
    assert_int_equal(stat(png, &st), -1);
    arena_free(&a);
}

/* A cut file makes FFmpeg complain; none of it may reach stderr, the server's log. */
static void test_ffmpeg_writes_nothing_to_the_log(void **state)
{
    (void)state;
    char log[160];
    snprintf(log, sizeof log, "%s/stderr.txt", dir);
    fflush(stderr);
    int saved = dup(2), fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, 2);
    arena a;
    arena_init(&a);
    media_info m;
    int rc = media_probe(cut, "video/mp4", &a, &m);
    char png[160];
    snprintf(png, sizeof png, "%s/cut.png", dir);
    int poster = media_poster_png(cut, 1, png);
    fflush(stderr);
    dup2(saved, 2), close(saved), close(fd);
    arena_free(&a);
    struct stat st;
    assert_int_equal(stat(log, &st), 0);
    assert_int_equal(st.st_size, 0);
    remove(log), remove(png);
    assert_true(rc == MEDIA_NOT_MEDIA || rc == MEDIA_MISMATCH);
    assert_true(poster != DB_OK);
}

static void test_messages_are_bilingual(void **state)
{
    (void)state;
    for (const error_row *e = media_errors; e->rc; e++) {
        assert_true(e->rc <= -2900 && e->rc >= -2949);
        assert_non_null(strstr(e->message, " / "));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wav_is_audio_of_its_length),
        cmocka_unit_test(test_mp4_is_video_of_its_size_and_length),
        cmocka_unit_test(test_poster_is_the_picture_at_its_time),
        cmocka_unit_test(test_what_is_not_its_claim_is_refused),
        cmocka_unit_test(test_ffmpeg_writes_nothing_to_the_log),
        cmocka_unit_test(test_messages_are_bilingual),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
