/* media_fixture.h - media made by a test, no binary fixtures (test_media.c, the resource
 * library's API test): write_wav() a tone as 16-bit PCM WAV; write_mp4() 2 s of 64x48 MPEG-4 video
 * at 25 frames a second, red for the first second and blue after. Static functions: include once
 * per test, after cmocka.h and FFmpeg's libavcodec/libavformat headers. */
#ifndef KEPU_TEST_MEDIA_FIXTURE_H
#define KEPU_TEST_MEDIA_FIXTURE_H

static void put_le(FILE *f, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++) fputc((int)(v >> (8 * i)) & 0xFF, f);
}

/* seconds of a 440 Hz tone, 8 kHz mono 16-bit PCM, with the 44-byte RIFF/WAVE header. */
static void write_wav(const char *path, double seconds)
{
    uint32_t rate = 8000, n = (uint32_t)(seconds * rate), data = n * 2;
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("RIFF", f), put_le(f, 36 + data, 4), fputs("WAVEfmt ", f), put_le(f, 16, 4);
    put_le(f, 1, 2), put_le(f, 1, 2), put_le(f, rate, 4), put_le(f, rate * 2, 4), put_le(f, 2, 2), put_le(f, 16, 2);
    fputs("data", f), put_le(f, data, 4);
    for (uint32_t i = 0; i < n; i++) put_le(f, (uint32_t)(int16_t)(((i * 440 * 2 / rate) & 1) ? 8000 : -8000), 2);
    fclose(f);
}

/* Fills frame i of 50: red for the first second, blue after (YUV 4:2:0, BT.601). */
static void paint(AVFrame *fr, int i)
{
    bool red = i < 25;
    int y = red ? 81 : 41, u = red ? 90 : 240, v = red ? 240 : 110;
    av_frame_make_writable(fr);
    for (int r = 0; r < fr->height; r++) memset(fr->data[0] + r * fr->linesize[0], y, (size_t)fr->width);
    for (int r = 0; r < fr->height / 2; r++) {
        memset(fr->data[1] + r * fr->linesize[1], u, (size_t)fr->width / 2);
        memset(fr->data[2] + r * fr->linesize[2], v, (size_t)fr->width / 2);
    }
}

/* Sends frame (NULL: flush) and writes the packets the encoder gives. */
static void encode(AVCodecContext *cc, AVFormatContext *oc, AVStream *st, AVFrame *frame, AVPacket *pkt)
{
    assert_true(avcodec_send_frame(cc, frame) >= 0);
    while (avcodec_receive_packet(cc, pkt) == 0) {
        av_packet_rescale_ts(pkt, cc->time_base, st->time_base);
        pkt->stream_index = st->index;
        assert_true(av_interleaved_write_frame(oc, pkt) >= 0);
    }
}

/* 2 s of 64x48 video at 25 frames a second, MPEG-4 part 2 in an MP4. */
static void write_mp4(const char *path)
{
    AVFormatContext *oc = NULL;
    assert_true(avformat_alloc_output_context2(&oc, NULL, "mp4", path) >= 0);
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
    assert_non_null(codec);
    AVStream *st = avformat_new_stream(oc, NULL);
    AVCodecContext *cc = avcodec_alloc_context3(codec);
    cc->width = 64, cc->height = 48, cc->pix_fmt = AV_PIX_FMT_YUV420P;
    cc->time_base = (AVRational){1, 25}, cc->framerate = (AVRational){25, 1};
    cc->gop_size = 5, cc->bit_rate = 400000;
    if (oc->oformat->flags & AVFMT_GLOBALHEADER) cc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    assert_true(avcodec_open2(cc, codec, NULL) >= 0);
    assert_true(avcodec_parameters_from_context(st->codecpar, cc) >= 0);
    st->time_base = cc->time_base;
    assert_true(avio_open(&oc->pb, path, AVIO_FLAG_WRITE) >= 0);
    assert_true(avformat_write_header(oc, NULL) >= 0);
    AVFrame *fr = av_frame_alloc();
    AVPacket *pkt = av_packet_alloc();
    fr->format = cc->pix_fmt, fr->width = cc->width, fr->height = cc->height;
    assert_true(av_frame_get_buffer(fr, 0) >= 0);
    for (int i = 0; i < 50; i++) {
        paint(fr, i);
        fr->pts = i;
        encode(cc, oc, st, fr, pkt);
    }
    encode(cc, oc, st, NULL, pkt);
    assert_true(av_write_trailer(oc) >= 0);
    avio_closep(&oc->pb);
    av_frame_free(&fr), av_packet_free(&pkt), avcodec_free_context(&cc), avformat_free_context(oc);
}

#endif
