/* hist_codec.c — HdrHistogram's compressed V2 encoding of a histogram, in base64.
 *
 * This is the form HdrHistogram (C and Java) writes in .hlog files, and the form seedload's
 * results JSON carries, so histograms from many machines and tools merge exactly. Layout
 * (all integers big-endian):
 *
 *   compression header  u32 cookie 0x1c849304|0x10, i32 length of the zlib stream
 *   zlib stream of      u32 cookie 0x1c849303|0x10, i32 payload length,
 *                       i32 normalizing index offset (0), i32 significant figures,
 *                       i64 lowest discernible, i64 highest trackable,
 *                       f64 bits of the integer-to-double conversion ratio (1.0),
 *                       payload: counters 0..index(max) as ZigZag LEB128 (at most 9 bytes,
 *                       the 9th carrying 8 bits); a run of k empty counters is written -k.
 *
 * Decoding treats every byte as hostile: every length is checked before use, and failures
 * come back as SL_EXIT_USAGE errors. */
#include "seedload/hist.h"

#include <inttypes.h>
#include <stdlib.h>
#include <zlib.h>

#define COMPRESSION_COOKIE  UINT32_C(0x1c849304)
#define ENCODING_COOKIE     UINT32_C(0x1c849303)
#define COOKIE_WORD_MASK    UINT32_C(0xf0)
#define ENCODING_HDR_LEN    40
#define COMPRESSION_HDR_LEN 8
#define LEB128_MAX          9

/* ---- big-endian fields ---------------------------------------------------------------- */

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (24 - 8 * i));
}

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint64_t get_u64(const uint8_t *p)
{
    return (uint64_t)get_u32(p) << 32 | get_u32(p + 4);
}

/* ---- ZigZag LEB128 -------------------------------------------------------------------- */

static size_t zz_put(uint8_t *p, int64_t sv)
{
    uint64_t v = ((uint64_t)sv << 1) ^ (uint64_t)(sv >> 63);
    size_t n = 0;
    while (n < 8 && v >> 7) {
        p[n++] = (uint8_t)((v & 0x7f) | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v; /* 9th byte: the remaining 8 bits, no continuation flag */
    return n;
}

/* Read one value from p[0..len); 0 if it runs past the end. */
static size_t zz_get(const uint8_t *p, size_t len, int64_t *out)
{
    uint64_t v = 0;
    size_t n = 0;
    for (;;) {
        if (n >= len) return 0;
        uint8_t b = p[n];
        if (n == 8) {
            v |= (uint64_t)b << 56;
            n++;
            break;
        }
        v |= (uint64_t)(b & 0x7f) << (7 * n);
        n++;
        if (!(b & 0x80)) break;
    }
    *out = (int64_t)((v >> 1) ^ (0 - (v & 1)));
    return n;
}

/* ---- base64 --------------------------------------------------------------------------- */

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *b64_encode(const uint8_t *p, size_t n)
{
    char *out = xmalloc((n + 2) / 3 * 4 + 1);
    char *o = out;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t w = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        *o++ = B64[w >> 18];
        *o++ = B64[(w >> 12) & 63];
        *o++ = B64[(w >> 6) & 63];
        *o++ = B64[w & 63];
    }
    if (n - i == 1) {
        uint32_t w = (uint32_t)p[i] << 16;
        *o++ = B64[w >> 18];
        *o++ = B64[(w >> 12) & 63];
        *o++ = '=';
        *o++ = '=';
    } else if (n - i == 2) {
        uint32_t w = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
        *o++ = B64[w >> 18];
        *o++ = B64[(w >> 12) & 63];
        *o++ = B64[(w >> 6) & 63];
        *o++ = '=';
    }
    *o = '\0';
    return out;
}

static int b64_val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Strict padded base64 → bytes (caller frees *out). */
static int b64_decode(const char *s, size_t len, uint8_t **out, size_t *out_len, sl_err *e)
{
    while (len > 0 && is_space(s[0])) s++, len--;
    while (len > 0 && is_space(s[len - 1])) len--;
    if (len == 0) return sl_fail(e, SL_EXIT_USAGE, "histogram: empty base64 input");
    if (len % 4 != 0)
        return sl_fail(e, SL_EXIT_USAGE, "histogram: base64 length %zu is not a multiple of 4",
                       len);
    size_t pad = (s[len - 1] == '=') + (s[len - 2] == '=');
    uint8_t *buf = xmalloc(len / 4 * 3);
    size_t o = 0;
    for (size_t i = 0; i < len; i += 4) {
        int v[4];
        bool last = i + 4 == len;
        for (int k = 0; k < 4; k++) {
            v[k] = b64_val((unsigned char)s[i + k]);
            if (v[k] < 0 && !(last && s[i + k] == '=' && k >= 4 - (int)pad)) {
                free(buf);
                return sl_fail(e, SL_EXIT_USAGE, "histogram: invalid base64 character at %zu",
                               i + (size_t)k);
            }
            if (v[k] < 0) v[k] = 0;
        }
        uint32_t w =
            (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        buf[o++] = (uint8_t)(w >> 16);
        if (!(last && pad == 2)) buf[o++] = (uint8_t)(w >> 8);
        if (!(last && pad >= 1)) buf[o++] = (uint8_t)w;
    }
    *out = buf;
    *out_len = o;
    return 0;
}

/* ---- encode --------------------------------------------------------------------------- */

int hist_encode_b64(const hist *h, char **out, sl_err *e)
{
    *out = NULL;
    size_t n = hist_counts_len(h);
    /* Counters up to the last non-empty one (the reference stops at index(max)). */
    size_t limit = n;
    while (limit > 1 && hist_count_at_index(h, limit - 1) == 0) limit--;

    uint8_t *enc = xmalloc(ENCODING_HDR_LEN + LEB128_MAX * limit);
    size_t p = ENCODING_HDR_LEN;
    for (size_t i = 0; i < limit;) {
        int64_t c = hist_count_at_index(h, i++);
        if (c == 0) {
            int64_t zeros = 1;
            while (i < limit && hist_count_at_index(h, i) == 0) zeros++, i++;
            p += zz_put(enc + p, -zeros);
        } else {
            p += zz_put(enc + p, c);
        }
    }
    size_t payload = p - ENCODING_HDR_LEN;
    double ratio = 1.0;
    uint64_t ratio_bits;
    memcpy(&ratio_bits, &ratio, sizeof ratio_bits);
    put_u32(enc, ENCODING_COOKIE | 0x10);
    put_u32(enc + 4, (uint32_t)payload);
    put_u32(enc + 8, 0);
    put_u32(enc + 12, (uint32_t)hist_sigfigs(h));
    put_u64(enc + 16, (uint64_t)hist_lowest_trackable(h));
    put_u64(enc + 24, (uint64_t)hist_highest_trackable(h));
    put_u64(enc + 32, ratio_bits);

    uLongf zlen = compressBound((uLong)p);
    uint8_t *blob = xmalloc(COMPRESSION_HDR_LEN + zlen);
    int zrc = compress(blob + COMPRESSION_HDR_LEN, &zlen, enc, (uLong)p);
    free(enc);
    if (zrc != Z_OK) {
        free(blob);
        return sl_fail(e, SL_EXIT_IO, "histogram: zlib compress failed (%d)", zrc);
    }
    put_u32(blob, COMPRESSION_COOKIE | 0x10);
    put_u32(blob + 4, (uint32_t)zlen);
    *out = b64_encode(blob, COMPRESSION_HDR_LEN + zlen);
    free(blob);
    return 0;
}

/* ---- decode --------------------------------------------------------------------------- */

/* Inflate exactly `want` bytes into dst from the stream; `last` says the stream must end
 * there. */
static int inflate_exact(z_stream *zs, uint8_t *dst, size_t want, bool last, sl_err *e)
{
    zs->next_out = dst;
    zs->avail_out = (uInt)want;
    int zrc = inflate(zs, last ? Z_FINISH : Z_SYNC_FLUSH);
    if (zs->avail_out != 0 || (zrc != Z_OK && zrc != Z_STREAM_END) || (last && zrc != Z_STREAM_END))
        return sl_fail(e, SL_EXIT_USAGE, "histogram: corrupt or truncated zlib stream (%s)",
                       zs->msg ? zs->msg : (zrc == Z_STREAM_END ? "ends early" : "inflate"));
    return 0;
}

static hist *decode_blob(const uint8_t *b, size_t n, sl_err *e)
{
    hist *h = NULL;
    uint8_t *payload = NULL;
    uint8_t hdr[ENCODING_HDR_LEN];
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    bool zs_live = false;

    if (n < COMPRESSION_HDR_LEN) {
        sl_fail(e, SL_EXIT_USAGE, "histogram: %zu bytes is too short", n);
        goto fail;
    }
    if ((get_u32(b) & ~COOKIE_WORD_MASK) != COMPRESSION_COOKIE) {
        sl_fail(e, SL_EXIT_USAGE, "histogram: not a V2 compressed histogram (cookie 0x%08x)",
                (unsigned)get_u32(b));
        goto fail;
    }
    uint32_t zlen = get_u32(b + 4);
    if ((size_t)zlen != n - COMPRESSION_HDR_LEN) {
        sl_fail(e, SL_EXIT_USAGE, "histogram: compressed length %u but %zu bytes follow",
                (unsigned)zlen, n - COMPRESSION_HDR_LEN);
        goto fail;
    }
    if (inflateInit(&zs) != Z_OK) {
        sl_fail(e, SL_EXIT_IO, "histogram: zlib inflateInit failed");
        goto fail;
    }
    zs_live = true;
    zs.next_in = (Bytef *)(uintptr_t)(b + COMPRESSION_HDR_LEN);
    zs.avail_in = (uInt)zlen;
    if (inflate_exact(&zs, hdr, sizeof hdr, false, e) < 0) goto fail;

    if ((get_u32(hdr) & ~COOKIE_WORD_MASK) != ENCODING_COOKIE) {
        sl_fail(e, SL_EXIT_USAGE, "histogram: encoding cookie 0x%08x is not V2",
                (unsigned)get_u32(hdr));
        goto fail;
    }
    int32_t payload_len = (int32_t)get_u32(hdr + 4);
    int32_t norm_offset = (int32_t)get_u32(hdr + 8);
    int32_t sigfigs = (int32_t)get_u32(hdr + 12);
    int64_t lowest = (int64_t)get_u64(hdr + 16);
    int64_t highest = (int64_t)get_u64(hdr + 24);
    if (norm_offset != 0) {
        sl_fail(e, SL_EXIT_USAGE, "histogram: normalizing index offset %d is not supported",
                (int)norm_offset);
        goto fail;
    }
    h = hist_new(lowest, highest, sigfigs);
    if (!h) {
        sl_fail(e, SL_EXIT_USAGE,
                "histogram: invalid configuration (lowest %" PRId64 ", highest %" PRId64
                ", %d significant figures)",
                lowest, highest, (int)sigfigs);
        goto fail;
    }
    size_t counts_len = hist_counts_len(h);
    if (payload_len < 0 || (size_t)payload_len > LEB128_MAX * counts_len) {
        sl_fail(e, SL_EXIT_USAGE, "histogram: payload length %d is impossible", (int)payload_len);
        goto fail;
    }
    payload = xmalloc((size_t)payload_len + 1);
    if (inflate_exact(&zs, payload, (size_t)payload_len, true, e) < 0) goto fail;
    if (zs.avail_in != 0) {
        sl_fail(e, SL_EXIT_USAGE, "histogram: %u bytes after the zlib stream",
                (unsigned)zs.avail_in);
        goto fail;
    }

    size_t at = 0, idx = 0;
    while (at < (size_t)payload_len) {
        int64_t v;
        size_t used = zz_get(payload + at, (size_t)payload_len - at, &v);
        if (used == 0) {
            sl_fail(e, SL_EXIT_USAGE, "histogram: truncated count at payload byte %zu", at);
            goto fail;
        }
        at += used;
        if (idx >= counts_len) {
            sl_fail(e, SL_EXIT_USAGE, "histogram: more counts than the %zu counters", counts_len);
            goto fail;
        }
        if (v < 0) {
            if (v == INT64_MIN || (uint64_t)-v > counts_len - idx) {
                sl_fail(e, SL_EXIT_USAGE, "histogram: run of empty counters overflows");
                goto fail;
            }
            idx += (size_t)-v;
        } else {
            if (!hist_record_at_index(h, idx, v)) {
                sl_fail(e, SL_EXIT_USAGE, "histogram: total count overflows");
                goto fail;
            }
            idx++;
        }
    }
    inflateEnd(&zs);
    free(payload);
    return h;

fail:
    free(payload);
    hist_free(h);
    if (zs_live) inflateEnd(&zs);
    return NULL;
}

hist *hist_decode_b64(const char *b64, size_t len, sl_err *e)
{
    uint8_t *blob = NULL;
    size_t n = 0;
    if (!b64) {
        sl_fail(e, SL_EXIT_USAGE, "histogram: no input");
        return NULL;
    }
    if (b64_decode(b64, len, &blob, &n, e) < 0) return NULL;
    hist *h = decode_blob(blob, n, e);
    free(blob);
    return h;
}
