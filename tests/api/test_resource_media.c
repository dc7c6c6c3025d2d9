/* test_resource_media.c - videos and audio in the resource library (issue 18, src/resources/
 * resource_versions.c): a video resource takes an MP4 made here (its length, size and codec read by
 * the media probe, a poster frame drawn), plays by range requests (206, the asked bytes) and shows
 * its poster; an audio resource takes a WAV; a file that is not of the resource's kind, not media,
 * or a cut-off video is refused with a clear 4xx and adds no version; another district's staff
 * reach neither the file nor the poster. */
#include "harness.h"
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "../media_fixture.h"

static char *admin, *p1, *b1;
static char dir[64], wav[128], mp4[128];

static int setup(void **state)
{
    strcpy(dir, "/tmp/kepu-resmedia-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    snprintf(wav, sizeof wav, "%s/tone.wav", dir), snprintf(mp4, sizeof mp4, "%s/clip.mp4", dir);
    write_wav(wav, 1.5);
    write_mp4(mp4);
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    int64_t root = root_org_id(admin);
    int64_t dist_a = create_org(admin, root, "district", "媒体甲区");
    int64_t dist_b = create_org(admin, root, "district", "媒体乙区");
    create_user(admin, "media_p1", create_org(admin, dist_a, "point", "媒体甲区一号点"), "staff", "org", 0);
    create_user(admin, "media_b1", create_org(admin, dist_b, "point", "媒体乙区一号点"), "staff", "org", 0);
    p1 = login("media_p1", USER_PASSWORD);
    b1 = login("media_b1", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(p1), free(b1);
    remove(wav), remove(mp4), remove(dir);
    return server_stop(state);
}

/* The whole file at path, *len its size (malloc'd). */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    char *b = malloc(*len);
    assert_int_equal(fread(b, 1, *len, f), *len);
    fclose(f);
    return b;
}

static int64_t create(const char *kind, const char *title)
{
    json_t *j = NULL;
    expect_status(api("POST", "/resources", p1, jpack("{s:s, s:s}", "title", title, "kind", kind), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int upload(int64_t id, const char *name, const void *bytes, size_t len, json_t **out)
{
    char auth[512], fname[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", p1);
    snprintf(fname, sizeof fname, "X-File-Name: %s", name);
    const char *headers[] = {auth, fname, "Content-Type: application/octet-stream", NULL};
    http_resp resp;
    int st = http("POST", P(API_BASE "/resources/%lld/versions", (long long)id), headers, bytes, len, &resp);
    *out = json_incref(resp.json);
    http_resp_free(&resp);
    return st;
}

static int64_t versions(int64_t id)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/resources/%lld/versions", (long long)id), p1, NULL, &j), j, 200);
    int64_t n = (int64_t)json_array_size(jget(j, "items"));
    json_decref(j);
    return n;
}

/* A refused upload: status and code, and no version added. */
static void expect_refused(int64_t id, const char *name, const void *bytes, size_t len, int status, const char *code)
{
    json_t *j = NULL;
    expect_status(upload(id, name, bytes, len, &j), j, status);
    assert_string_equal(json_string_value(jget(jget(j, "error"), "code")), code);
    json_decref(j);
    assert_int_equal(versions(id), 0);
}

static void test_video_probed_with_poster_and_ranges(void **state)
{
    (void)state;
    size_t len;
    char *bytes = slurp(mp4, &len);
    int64_t id = create("video", "红蓝两色的短片");
    json_t *j = NULL;
    expect_status(upload(id, "短片.mp4", bytes, len, &j), j, 201);
    assert_string_equal(jstr(j, "mime"), "video/mp4");
    assert_int_equal(jint(j, "width"), 64);
    assert_int_equal(jint(j, "height"), 48);
    assert_string_equal(jstr(j, "codec"), "mpeg4");
    assert_in_range(jint(j, "duration_ms"), 1900, 2100);
    assert_true(json_is_true(jget(j, "poster")));
    assert_null(jget(j, "poster_sha256"));
    int64_t vid = jint(j, "id");
    json_decref(j);

    char auth[512];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", p1);
    const char *ranged[] = {auth, "Range: bytes=100-199", NULL};
    http_resp resp;
    assert_int_equal(http("GET", P(API_BASE "/resources/%lld/versions/%lld/file", (long long)id, (long long)vid),
                          ranged, NULL, 0, &resp), 206);
    assert_int_equal(resp.body_len, 100);
    assert_memory_equal(resp.body, bytes + 100, 100);
    http_resp_free(&resp);

    const char *plain[] = {auth, NULL};
    assert_int_equal(http("GET", P(API_BASE "/resources/%lld/versions/%lld/poster", (long long)id, (long long)vid),
                          plain, NULL, 0, &resp), 200);
    assert_true(resp.body_len > 8 && memcmp(resp.body, "\x89PNG", 4) == 0);
    http_resp_free(&resp);
    /* another district's point reaches neither */
    assert_int_equal(api("GET", P("/resources/%lld/versions/%lld/poster", (long long)id, (long long)vid), b1, NULL, NULL), 404);
    assert_int_equal(api("GET", P("/resources/%lld/versions/%lld/file", (long long)id, (long long)vid), b1, NULL, NULL), 404);
    free(bytes);
}

static void test_audio_and_refusals(void **state)
{
    (void)state;
    size_t wlen, vlen;
    char *tone = slurp(wav, &wlen), *clip = slurp(mp4, &vlen);
    int64_t audio = create("audio", "一段提示音");
    json_t *j = NULL;
    expect_status(upload(audio, "提示音.wav", tone, wlen, &j), j, 201);
    assert_string_equal(jstr(j, "mime"), "audio/wav");
    assert_in_range(jint(j, "duration_ms"), 1450, 1550);
    assert_false(json_is_true(jget(j, "poster")));
    int64_t vid = jint(j, "id");
    json_decref(j);
    expect_api_error("GET", P("/resources/%lld/versions/%lld/poster", (long long)audio, (long long)vid), p1, NULL, 404,
                     "not_found", NULL);

    int64_t video = create("video", "被拒的视频");
    expect_refused(video, "提示音.wav", tone, wlen, 415, "unsupported_type");         /* audio for a video */
    expect_refused(video, "假视频.mp4", "这不是视频，只是文字。", 33, 415, "unsupported_type");
    expect_refused(video, "截断.mp4", clip, 1500, 422, "not_media");                   /* cut off: no moov */
    int64_t doc = create("document", "文档不收视频");
    expect_refused(doc, "短片.mp4", clip, vlen, 415, "unsupported_type");
    free(tone), free(clip);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_video_probed_with_poster_and_ranges),
        cmocka_unit_test(test_audio_and_refusals),
    };
    return run_api_tests(tests, setup, teardown);
}
