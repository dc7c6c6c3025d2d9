/* media.h - what a video or audio file is, read with FFmpeg's libraries (libavformat and
 * libavcodec), and a poster frame of a video as PNG (libswscale, cairo), for the resource library
 * (issue 18). Reading is bounded: only the demuxers of common media containers, local files only,
 * a cap on the bytes and the time a probe may take; FFmpeg's own log is silenced so that the
 * server's log never gets its lines.
 *
 * Ownership: out's strings live in the caller's arena a (or are static); the caller owns the paths
 * it passes. Thread-safe: each call opens the file afresh. */
#ifndef KEPU_MEDIA_H
#define KEPU_MEDIA_H
#include "core/arena.h"
#include "core/errors.h"
#include <stddef.h>

/* Codes (issue 18 B's range -2900..-2949), answered from media_errors (http/reply.h's
 * reply_error_row). */
enum {
    MEDIA_NOT_MEDIA = -2910,      /* no container we read, or no audio or video stream: 422 */
    MEDIA_MISMATCH = -2911,       /* a media file, but not the type it claims: 422 */
    MEDIA_OVER_BUDGET = -2912,    /* the probe or decode took more time or bytes than allowed: 422 */
    MEDIA_NO_FRAME = -2913,       /* no picture could be decoded for a poster: 422 */
    MEDIA_POSTER_FAILED = -2914,  /* the PNG could not be written: 500 */
    MEDIA_UNKNOWN_TYPE = -2915,   /* a claimed type that is not a video or audio type we read: 415 */
};
extern const error_row media_errors[];

typedef struct media_info {
    const char *kind;       /* "video" | "audio" */
    double seconds;         /* duration; 0 when the container does not tell */
    int width, height;      /* of the video stream; 0 for audio */
    const char *codec;      /* the kind's stream's codec ("h264", "aac", "pcm_s16le" ...) */
} media_info;

/* Probes the file at path. claimed_mime (NULL: no claim) is the type the file was declared with
 * ("video/mp4"): its container must be that type's and it must hold a stream of its kind (a video
 * type needs a picture stream that is not only cover art). DB_OK and *out filled, or a MEDIA_*
 * code (out untouched). */
int media_probe(const char *path, const char *claimed_mime, arena *a, media_info *out);

/* Decodes the video frame nearest at_seconds (clipped to the file) and writes it as a PNG of the
 * video's size to png_path (replaced atomically through png_path.tmp). DB_OK or a MEDIA_* code. */
int media_poster_png(const char *path, double at_seconds, const char *png_path);

/* The video or audio type a file's first n bytes (16 are enough) claim, for media_probe(): MP4,
 * MOV, 3GP, M4A, WebM/Matroska, AVI, FLV, MPEG-PS, MP3, AAC, WAV, Ogg, FLAC. NULL for anything
 * else. A static string (media_sniff.c). */
const char *media_sniff(const unsigned char *head, size_t n);
/* For a container that holds either kind (MP4, MOV, 3GP, WebM): the audio type to probe again
 * with when the video claim found no picture ("video/mp4" -> "audio/mp4"); NULL otherwise. */
const char *media_audio_twin(const char *video_mime);

#endif
