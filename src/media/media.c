/* media.c - media probing and poster frames with FFmpeg's libraries (see media.h).
 * FFmpeg's demuxers parse untrusted bytes here, so every open is fenced: the "file:" protocol
 * only (a name like "concat:..." or a playlist cannot reach other files or the network), a
 * whitelist of media demuxers (no HLS, concat or image2 that open further files), a cap on the
 * bytes read while probing and a deadline checked by FFmpeg's interrupt callback. */
#include "media/media.h"
#include "db/db.h"
#include "http/reply.h"
#include <cairo.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/log.h>
#include <libswscale/swscale.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define PROBE_BYTES (8 << 20)            /* what the demuxer may read to find the streams */
#define PROBE_ANALYZE_US (10 * 1000000)  /* the media time it may look at for them */
#define OPEN_BUDGET_MS 5000              /* wall time for a probe, or for a poster's decode */
#define POSTER_MAX_PACKETS 2000          /* packets read after the seek before giving up */
#define POSTER_MAX_SIDE 8192             /* a bigger picture is refused, not allocated */
#define POSTER_MAX_SECONDS 1e6           /* a poster time beyond any real video */

const error_row media_errors[] = {
    {MEDIA_NOT_MEDIA, 422, "not_media", "file", "文件不是可识别的音频或视频 / the file is not a readable audio or video file"},
    {MEDIA_MISMATCH, 422, "type_mismatch", "file", "文件内容与其声明的类型不符 / the file's content does not match its declared type"},
    {MEDIA_OVER_BUDGET, 422, "media_too_costly", "file",
     "读取该媒体文件超出了时间或数据量限制 / reading the media file exceeded its time or size budget"},
    {MEDIA_NO_FRAME, 422, "no_frame", "file", "无法从该视频解出画面 / no picture could be decoded from the video"},
    {MEDIA_POSTER_FAILED, 500, "poster_failed", NULL, "无法写出封面图片 / the poster image could not be written"},
    {MEDIA_UNKNOWN_TYPE, 415, "unsupported_type", "file", "不支持该媒体类型 / this media type is not supported"},
    {0},
};
ERRORS_IN_CATALOG(media_errors);

/* The demuxers we open, and the claimed types each answers to (a demuxer's name is a list). */
#define MOV "mov,mp4,m4a,3gp,3g2,mj2"
static const char demuxers[] = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mpeg,mpegts,avi,flv,mp3,aac,wav,ogg,flac";
static const struct claim { const char *mime, *kind, *demuxer; } claims[] = {
    {"video/mp4", "video", MOV}, {"video/quicktime", "video", MOV}, {"video/3gpp", "video", MOV},
    {"video/webm", "video", "matroska,webm"}, {"video/x-matroska", "video", "matroska,webm"},
    {"video/mpeg", "video", "mpeg"}, {"video/mp2t", "video", "mpegts"}, {"video/x-msvideo", "video", "avi"},
    {"video/x-flv", "video", "flv"}, {"audio/mpeg", "audio", "mp3"}, {"audio/mp4", "audio", MOV},
    {"audio/x-m4a", "audio", MOV}, {"audio/aac", "audio", "aac"}, {"audio/wav", "audio", "wav"},
    {"audio/x-wav", "audio", "wav"}, {"audio/wave", "audio", "wav"}, {"audio/ogg", "audio", "ogg"},
    {"audio/flac", "audio", "flac"}, {"audio/webm", "audio", "matroska,webm"},
};

static void quiet_log(void *avcl, int level, const char *fmt, va_list ap) { (void)avcl, (void)level, (void)fmt, (void)ap; }

/* FFmpeg logs to stderr, the server's log, unless told otherwise: silenced once per process. */
static void silence_ffmpeg(void)
{
    av_log_set_level(AV_LOG_QUIET);
    av_log_set_callback(quiet_log);
}

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

typedef struct budget {
    int64_t deadline_ms;
    bool expired;
} budget;

/* FFmpeg's interrupt callback: nonzero stops the blocking call it is in. */
static int over_budget(void *cls)
{
    budget *b = cls;
    if (now_ms() > b->deadline_ms) b->expired = true;
    return b->expired;
}

/* Opens path through the fence, with streams found; DB_OK or a MEDIA_* code. */
static int open_media(const char *path, budget *b, AVFormatContext **out)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, silence_ffmpeg);
    AVFormatContext *fc = avformat_alloc_context();
    if (!fc) return MEDIA_NOT_MEDIA;
    b->deadline_ms = now_ms() + OPEN_BUDGET_MS, b->expired = false;
    fc->interrupt_callback = (AVIOInterruptCB){over_budget, b};
    fc->probesize = PROBE_BYTES;
    fc->max_analyze_duration = PROBE_ANALYZE_US;
    AVDictionary *opt = NULL;
    av_dict_set(&opt, "protocol_whitelist", "file", 0);
    av_dict_set(&opt, "format_whitelist", demuxers, 0);
    char url[4200];
    if (snprintf(url, sizeof url, "file:%s", path) >= (int)sizeof url) return avformat_free_context(fc), MEDIA_NOT_MEDIA;
    int rc = avformat_open_input(&fc, url, NULL, &opt);   /* frees fc when it fails */
    av_dict_free(&opt);
    if (rc < 0) return b->expired ? MEDIA_OVER_BUDGET : MEDIA_NOT_MEDIA;
    if (avformat_find_stream_info(fc, NULL) < 0 || b->expired) {
        avformat_close_input(&fc);
        return b->expired ? MEDIA_OVER_BUDGET : MEDIA_NOT_MEDIA;
    }
    *out = fc;
    return DB_OK;
}

/* The first stream of a kind with a codec we know; cover art is not video. NULL when none. */
static AVStream *stream_of(AVFormatContext *fc, enum AVMediaType type)
{
    for (unsigned i = 0; i < fc->nb_streams; i++) {
        AVStream *s = fc->streams[i];
        if (s->codecpar->codec_type != type || s->codecpar->codec_id == AV_CODEC_ID_NONE) continue;
        if (type == AVMEDIA_TYPE_VIDEO && (s->disposition & AV_DISPOSITION_ATTACHED_PIC)) continue;
        if (type == AVMEDIA_TYPE_VIDEO && (s->codecpar->width <= 0 || s->codecpar->height <= 0)) continue;
        return s;
    }
    return NULL;
}

static const struct claim *claim_of(const char *mime)
{
    for (size_t i = 0; i < sizeof claims / sizeof *claims; i++)
        if (!strcasecmp(claims[i].mime, mime)) return &claims[i];
    return NULL;
}

static double seconds_of(AVFormatContext *fc, AVStream *s)
{
    if (fc->duration > 0) return (double)fc->duration / AV_TIME_BASE;
    if (s->duration > 0) return (double)s->duration * av_q2d(s->time_base);
    return 0;
}

/* Which stream the file is judged by, given the claim (NULL: any). */
static int judge(AVFormatContext *fc, const struct claim *c, AVStream **out, const char **kind)
{
    AVStream *video = stream_of(fc, AVMEDIA_TYPE_VIDEO), *audio = stream_of(fc, AVMEDIA_TYPE_AUDIO);
    if (!video && !audio) return MEDIA_NOT_MEDIA;
    if (!c) {
        *out = video ? video : audio, *kind = video ? "video" : "audio";
        return DB_OK;
    }
    if (strcmp(fc->iformat->name, c->demuxer) != 0) return MEDIA_MISMATCH;   /* another container */
    *out = !strcmp(c->kind, "video") ? video : audio, *kind = c->kind;
    return *out ? DB_OK : MEDIA_MISMATCH;                                   /* no stream of its kind */
}

int media_probe(const char *path, const char *claimed_mime, arena *a, media_info *out)
{
    const struct claim *c = claimed_mime ? claim_of(claimed_mime) : NULL;
    if (claimed_mime && !c) return MEDIA_UNKNOWN_TYPE;
    AVFormatContext *fc = NULL;
    budget b;
    int rc = open_media(path, &b, &fc);
    if (rc != DB_OK) return rc;
    AVStream *s = NULL;
    const char *kind = NULL;
    rc = judge(fc, c, &s, &kind);
    if (rc == DB_OK) {
        bool video = !strcmp(kind, "video");
        *out = (media_info){.kind = kind, .seconds = seconds_of(fc, s),
                            .width = video ? s->codecpar->width : 0, .height = video ? s->codecpar->height : 0,
                            .codec = arena_strdup(a, avcodec_get_name(s->codecpar->codec_id))};
    }
    avformat_close_input(&fc);
    return rc;
}

/* ---- poster frames ---- */

typedef struct decoder {
    AVFormatContext *fc;
    AVCodecContext *cc;
    AVStream *s;
    AVPacket *pkt;
    AVFrame *frame, *next;    /* the kept picture; the one being received */
    budget b;
} decoder;

static void decoder_close(decoder *d)
{
    av_frame_free(&d->frame);
    av_frame_free(&d->next);
    av_packet_free(&d->pkt);
    avcodec_free_context(&d->cc);
    if (d->fc) avformat_close_input(&d->fc);
}

/* Opens the file's video stream and its decoder (one thread: a poster is one frame). */
static int decoder_open(decoder *d, const char *path)
{
    int rc = open_media(path, &d->b, &d->fc);
    if (rc != DB_OK) return rc;
    d->s = stream_of(d->fc, AVMEDIA_TYPE_VIDEO);
    if (!d->s) return MEDIA_NOT_MEDIA;
    if (d->s->codecpar->width > POSTER_MAX_SIDE || d->s->codecpar->height > POSTER_MAX_SIDE) return MEDIA_OVER_BUDGET;
    const AVCodec *codec = avcodec_find_decoder(d->s->codecpar->codec_id);
    if (!codec || !(d->cc = avcodec_alloc_context3(codec))) return MEDIA_NO_FRAME;
    if (avcodec_parameters_to_context(d->cc, d->s->codecpar) < 0) return MEDIA_NO_FRAME;
    d->cc->thread_count = 1;
    if (avcodec_open2(d->cc, codec, NULL) < 0) return MEDIA_NO_FRAME;
    d->pkt = av_packet_alloc(), d->frame = av_frame_alloc(), d->next = av_frame_alloc();
    return d->pkt && d->frame && d->next ? DB_OK : MEDIA_NO_FRAME;
}

/* Decodes up to the first frame at or after target (in the stream's time base), or the last
 * one decoded when the stream ends first; d->frame holds it. */
static int decode_to(decoder *d, int64_t target)
{
    bool have = false, draining = false;
    for (int packets = 0; packets < POSTER_MAX_PACKETS && !d->b.expired;) {
        /* into next: a call that finds no frame empties the frame it is given */
        int rc = avcodec_receive_frame(d->cc, d->next);
        if (rc == 0) {
            av_frame_unref(d->frame);
            av_frame_move_ref(d->frame, d->next);
            have = true;
            if (d->frame->best_effort_timestamp == AV_NOPTS_VALUE || d->frame->best_effort_timestamp >= target) return DB_OK;
            continue;
        }
        if (rc == AVERROR_EOF) break;
        if (draining) break;
        rc = av_read_frame(d->fc, d->pkt);
        if (rc < 0) {
            draining = true;
            avcodec_send_packet(d->cc, NULL);   /* flush: the decoder gives its held frames */
            continue;
        }
        if (d->pkt->stream_index == d->s->index) avcodec_send_packet(d->cc, d->pkt), packets++;
        av_packet_unref(d->pkt);
    }
    if (d->b.expired) return MEDIA_OVER_BUDGET;
    return have && d->frame->data[0] ? DB_OK : MEDIA_NO_FRAME;
}

/* Writes the frame as PNG at png_path, through a temporary name renamed over it. */
static int write_png(const AVFrame *f, const char *png_path)
{
    int w = f->width, h = f->height, stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, w);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) return cairo_surface_destroy(img), MEDIA_POSTER_FAILED;
    /* AV_PIX_FMT_RGB32 is a native-endian 0xAARRGGBB word, the layout of cairo's RGB24 */
    struct SwsContext *sws = sws_getContext(w, h, f->format, w, h, AV_PIX_FMT_RGB32, SWS_BILINEAR, NULL, NULL, NULL);
    int rc = MEDIA_POSTER_FAILED;
    if (sws) {
        cairo_surface_flush(img);
        uint8_t *dst[4] = {cairo_image_surface_get_data(img)};
        int dst_stride[4] = {stride};
        if (sws_scale(sws, (const uint8_t *const *)f->data, f->linesize, 0, h, dst, dst_stride) == h) {
            cairo_surface_mark_dirty(img);
            char tmp[4200];
            if (snprintf(tmp, sizeof tmp, "%s.tmp", png_path) < (int)sizeof tmp &&
                cairo_surface_write_to_png(img, tmp) == CAIRO_STATUS_SUCCESS)
                rc = rename(tmp, png_path) == 0 ? DB_OK : (remove(tmp), MEDIA_POSTER_FAILED);
        }
        sws_freeContext(sws);
    }
    cairo_surface_destroy(img);
    return rc;
}

int media_poster_png(const char *path, double at_seconds, const char *png_path)
{
    decoder d = {0};
    int rc = decoder_open(&d, path);
    if (rc == DB_OK) {
        double total = seconds_of(d.fc, d.s);
        if (at_seconds < 0 || at_seconds != at_seconds) at_seconds = 0;
        if (total > 0 && at_seconds > total) at_seconds = total;
        if (at_seconds > POSTER_MAX_SECONDS) at_seconds = POSTER_MAX_SECONDS;   /* keeps the target in 64 bits */
        int64_t start = d.s->start_time == AV_NOPTS_VALUE ? 0 : d.s->start_time;
        double unit = av_q2d(d.s->time_base);
        int64_t target = start + (unit > 1e-9 ? (int64_t)(at_seconds / unit) : 0);
        d.b.deadline_ms = now_ms() + OPEN_BUDGET_MS;   /* a fresh budget for the decode */
        /* to the key frame at or before the target; a file that cannot seek decodes from its start */
        if (at_seconds > 0 && av_seek_frame(d.fc, d.s->index, target, AVSEEK_FLAG_BACKWARD) >= 0)
            avcodec_flush_buffers(d.cc);
        rc = decode_to(&d, target);
    }
    if (rc == DB_OK) rc = write_png(d.frame, png_path);
    decoder_close(&d);
    return rc;
}
