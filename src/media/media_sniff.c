/* media_sniff.c - which video or audio type a file's first bytes claim (media.h): the claim that
 * media_probe() then holds the file to. Only the containers the probe reads are named; a file
 * that merely looks like one is caught by the probe, not here. */
#include "media/media.h"
#include <string.h>

/* ISO base media (MP4, MOV, 3GP, M4A): a box "ftyp" at offset 4, its major brand at 8. */
static const char *iso_type(const unsigned char *h, size_t n)
{
    if (n < 12 || memcmp(h + 4, "ftyp", 4) != 0) return NULL;
    if (!memcmp(h + 8, "M4A ", 4) || !memcmp(h + 8, "M4B ", 4)) return "audio/mp4";
    if (!memcmp(h + 8, "qt  ", 4)) return "video/quicktime";
    if (!memcmp(h + 8, "3gp", 3)) return "video/3gpp";
    return "video/mp4";
}

/* An MPEG audio frame's sync (11 bits set) with a layer; ADTS AAC has layer bits 00. */
static const char *mpeg_audio_type(const unsigned char *h, size_t n)
{
    if (n >= 3 && !memcmp(h, "ID3", 3)) return "audio/mpeg";
    if (n < 2 || h[0] != 0xFF || (h[1] & 0xE0) != 0xE0) return NULL;
    if ((h[1] & 0x06) == 0) return (h[1] & 0xF0) == 0xF0 ? "audio/aac" : NULL;
    return "audio/mpeg";
}

const char *media_sniff(const unsigned char *h, size_t n)
{
    const char *t = iso_type(h, n);
    if (t) return t;
    if (n >= 12 && !memcmp(h, "RIFF", 4) && !memcmp(h + 8, "WAVE", 4)) return "audio/wav";
    if (n >= 12 && !memcmp(h, "RIFF", 4) && !memcmp(h + 8, "AVI ", 4)) return "video/x-msvideo";
    if (n >= 4 && !memcmp(h, "\x1A\x45\xDF\xA3", 4)) return "video/webm";   /* EBML: WebM, Matroska */
    if (n >= 4 && !memcmp(h, "OggS", 4)) return "audio/ogg";
    if (n >= 4 && !memcmp(h, "fLaC", 4)) return "audio/flac";
    if (n >= 3 && !memcmp(h, "FLV", 3)) return "video/x-flv";
    if (n >= 4 && !memcmp(h, "\x00\x00\x01\xBA", 4)) return "video/mpeg";
    return mpeg_audio_type(h, n);
}

const char *media_audio_twin(const char *video_mime)
{
    if (!strcmp(video_mime, "video/mp4") || !strcmp(video_mime, "video/quicktime") ||
        !strcmp(video_mime, "video/3gpp"))
        return "audio/mp4";
    if (!strcmp(video_mime, "video/webm")) return "audio/webm";
    return NULL;
}
