/* util.c — errors, buffers, allocation, hashing, clocks and small string helpers shared by
 * every module. Nothing here knows about profiles or databases. */
#include "seedload/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

atomic_int sl_stop = 0;

void sl_one_line(char *s)
{
    char *w = s;
    for (const char *p = s; *p; p++) {
        bool sp = *p == '\n' || *p == '\t' || *p == '\r' || *p == ' ';
        if (sp && (w == s || w[-1] == ' ')) continue;
        *w++ = sp ? ' ' : *p;
    }
    while (w > s && w[-1] == ' ') w--;
    *w = '\0';
}

int sl_fail(sl_err *e, int code, const char *fmt, ...)
{
    if (!e) return -1;
    va_list ap;
    va_start(ap, fmt);
    e->code = code;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return -1;
}

void sl_err_prefix(sl_err *e, const char *fmt, ...)
{
    if (!e) return;
    sbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    sbuf_adds(&b, ": ");
    sbuf_adds(&b, e->msg);
    size_t n = b.len < sizeof e->msg - 1 ? b.len : sizeof e->msg - 1;
    memcpy(e->msg, b.p, n);
    e->msg[n] = '\0';
    sbuf_free(&b);
}

static void oom(void)
{
    static const char m[] = "seedload: out of memory\n";
    if (write(2, m, sizeof m - 1) < 0) { /* nothing more to do */
    }
    _exit(SL_EXIT_IO);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom();
    return q;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void sbuf_grow(sbuf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

void sbuf_vprintf(sbuf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    sbuf_reserve(b, 64);
    int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    if (n < 0) n = 0;
    if ((size_t)n + 1 > b->cap - b->len) {
        sbuf_reserve(b, (size_t)n);
        vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap2);
    }
    va_end(ap2);
    b->len += (size_t)n;
}

void sbuf_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

void sbuf_free(sbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

char *sbuf_detach(sbuf *b)
{
    char *p = b->p ? b->p : xstrdup("");
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

int sl_read_file(const char *path, char **out, size_t *len, sl_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) return sl_fail(e, SL_EXIT_USAGE, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return sl_fail(e, SL_EXIT_USAGE, "%s: is a directory, not a file", path);
    }
    sbuf b = {0};
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) sbuf_add(&b, tmp, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        sbuf_free(&b);
        return sl_fail(e, SL_EXIT_IO, "%s: read error", path);
    }
    if (len) *len = b.len;
    *out = sbuf_detach(&b);
    return 0;
}

uint64_t sl_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

double sl_wall_time(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A multiply-fold hash in the style of wyhash: 8 bytes at a time, 128-bit products folded
 * to 64 bits. Stable by contract: checksums and generated values depend on it. */
static inline uint64_t mum(uint64_t a, uint64_t b)
{
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t rd64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

uint64_t sl_hash64(const void *data, size_t len, uint64_t seed)
{
    const uint64_t k0 = 0xa0761d6478bd642fULL, k1 = 0xe7037ed1a0b428dbULL,
                   k2 = 0x8ebc6af09c88c6e3ULL;
    const uint8_t *p = data;
    uint64_t h = seed ^ mum(seed ^ k0, (uint64_t)len ^ k1);
    size_t i = len;
    while (i >= 16) {
        h = mum(rd64(p) ^ k1, rd64(p + 8) ^ h);
        p += 16;
        i -= 16;
    }
    uint64_t a = 0, b = 0;
    if (i >= 8) {
        a = rd64(p);
        p += 8;
        i -= 8;
    }
    for (size_t j = 0; j < i; j++) b |= (uint64_t)p[j] << (8 * j);
    h = mum(a ^ k2 ^ h, b ^ k1);
    return mum(h ^ k0, (uint64_t)len ^ k2);
}

size_t sl_levenshtein(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return la > lb ? la : lb;
    size_t row[65], prev2[65], saved[65];
    for (size_t j = 0; j <= lb; j++) row[j] = prev2[j] = j;
    for (size_t i = 1; i <= la; i++) {
        memcpy(saved, row, sizeof row);
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t cost =
                tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]) ? 0 : 1;
            size_t best = prev + cost;
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            /* a swap of two neighbours is one edit (emial → email) */
            if (i > 1 && j > 1 &&
                tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) &&
                prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            row[j] = best;
            prev = cur;
        }
        memcpy(prev2, saved, sizeof saved);
    }
    return row[lb];
}

const char *sl_suggest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t bestd = (size_t)-1;
    size_t wl = strlen(word);
    for (size_t i = 0; i < n; i++) {
        size_t d = sl_levenshtein(word, cands[i]);
        if (d < bestd) {
            bestd = d;
            best = cands[i];
        }
    }
    /* Close enough: at most a third of the word's letters differ (at least 1, at most 3). */
    size_t lim = wl / 3;
    if (lim < 1) lim = 1;
    if (lim > 3) lim = 3;
    return bestd <= lim ? best : NULL;
}

/* Is ci a URI-like string (scheme:/... with a letter-led scheme)? *rest: after the slashes. */
static bool uri_like(const char *ci, const char **rest)
{
    const char *p = ci;
    if (!isalpha((unsigned char)*p)) return false;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '.' || *p == '-') p++;
    if (*p != ':' || p[1] != '/') return false;
    p++;
    while (*p == '/') p++;
    *rest = p;
    return true;
}

/* The password a connection string carries (URI userinfo or password=...), or NULL. */
static char *conninfo_password(const char *ci)
{
    const char *rest;
    if (uri_like(ci, &rest)) {
        const char *at = strrchr(rest, '@');
        if (!at) return NULL;
        const char *colon = memchr(rest, ':', (size_t)(at - rest));
        return colon && at > colon + 1 ? xstrndup(colon + 1, (size_t)(at - colon - 1)) : NULL;
    }
    const char *pw = strstr(ci, "password");
    while (pw && pw > ci && !(isspace((unsigned char)pw[-1]) || pw[-1] == '?' || pw[-1] == '&'))
        pw = strstr(pw + 1, "password");
    if (!pw) return NULL;
    const char *v = pw + 8;
    while (isspace((unsigned char)*v)) v++;
    if (*v != '=') return NULL;
    v++;
    while (isspace((unsigned char)*v)) v++;
    if (*v == '\'') {
        sbuf b = {0};
        for (v++; *v && *v != '\''; v++) {
            if (*v == '\\' && v[1]) v++;
            sbuf_addc(&b, *v);
        }
        return sbuf_detach(&b);
    }
    size_t n = strcspn(v, " \t\n&#");
    return n ? xstrndup(v, n) : NULL;
}

static void replace_all(sbuf *out, const char *text, const char *needle)
{
    size_t nl = strlen(needle);
    const char *p = text;
    for (const char *hit; nl && (hit = strstr(p, needle)); p = hit + nl) {
        sbuf_add(out, p, (size_t)(hit - p));
        sbuf_adds(out, "****");
    }
    sbuf_adds(out, p);
}

char *sl_redact(const char *msg, const char *conninfo)
{
    char *pw = conninfo ? conninfo_password(conninfo) : NULL;
    if (!pw || strlen(pw) < 1) {
        free(pw);
        return xstrdup(msg ? msg : "");
    }
    /* The password as written, and percent-decoded (libpq may quote either). */
    sbuf dec = {0};
    for (const char *q = pw; *q; q++) {
        if (*q == '%' && isxdigit((unsigned char)q[1]) && isxdigit((unsigned char)q[2])) {
            char hx[3] = {q[1], q[2], 0};
            sbuf_addc(&dec, (char)strtol(hx, NULL, 16));
            q += 2;
        } else {
            sbuf_addc(&dec, *q);
        }
    }
    sbuf a = {0}, b = {0};
    replace_all(&a, msg ? msg : "", pw);
    if (dec.len && dec.p[0] && strcmp(dec.p, pw) != 0) {
        replace_all(&b, a.p ? a.p : "", dec.p);
        sbuf_free(&a);
        a = b;
    }
    free(pw);
    sbuf_free(&dec);
    return sbuf_detach(&a);
}

char *sl_mask_conninfo(const char *ci)
{
    sbuf b = {0};
    if (!ci) return xstrdup("");
    const char *s;
    if (uri_like(ci, &s)) {
        sbuf_add(&b, ci, (size_t)(s - ci));
        /* userinfo ends at the last '@' (a password may itself hold '/', '@' or ':'). */
        const char *at = strrchr(s, '@');
        if (at) {
            const char *colon = memchr(s, ':', (size_t)(at - s));
            if (colon) {
                sbuf_add(&b, s, (size_t)(colon - s));
                sbuf_adds(&b, ":****");
                s = at;
            }
        }
        /* Query parameters may carry password=... too. */
        const char *q = s;
        while (*q) {
            const char *pw = strstr(q, "password=");
            if (!pw) break;
            bool param = pw > s && (pw[-1] == '?' || pw[-1] == '&');
            sbuf_add(&b, q, (size_t)(pw - q) + 9);
            q = pw + 9;
            if (param) {
                sbuf_adds(&b, "****");
                q += strcspn(q, "&#");
            }
        }
        sbuf_adds(&b, q);
        return sbuf_detach(&b);
    }
    if (!strchr(ci, '=')) {
        /* Neither a URI nor key=value (a typo): still never show what looks like a password. */
        char *r = sl_redact(ci, ci);
        size_t n = strlen(r), at = n, colon = n;
        for (size_t i = n; i > 0; i--)
            if (r[i - 1] == '@') {
                at = i - 1;
                break;
            }
        for (size_t i = 0; at < n && i < at; i++)
            if (r[i] == ':') {
                colon = i;
                break;
            }
        if (at < n && colon + 1 < at) {
            r[colon] = '\0';
            sbuf_adds(&b, r);
            sbuf_adds(&b, ":****");
            sbuf_adds(&b, r + at);
            free(r);
            return sbuf_detach(&b);
        }
        sbuf_adds(&b, r);
        free(r);
        return sbuf_detach(&b);
    }
    /* key=value form: values may be quoted with '...' and backslash escapes. */
    const char *p = ci;
    while (*p) {
        const char *kstart = p;
        while (*p && (isspace((unsigned char)*p))) p++;
        const char *k = p;
        while (*p && *p != '=' && !isspace((unsigned char)*p)) p++;
        size_t klen = (size_t)(p - k);
        while (*p && isspace((unsigned char)*p)) p++;
        if (*p != '=') {
            sbuf_adds(&b, kstart);
            break;
        }
        p++;
        while (*p && isspace((unsigned char)*p)) p++;
        const char *v = p;
        if (*p == '\'') {
            p++;
            while (*p && *p != '\'') {
                if (*p == '\\' && p[1]) p++;
                p++;
            }
            if (*p) p++;
        } else {
            while (*p && !isspace((unsigned char)*p)) p++;
        }
        sbuf_add(&b, kstart, (size_t)(v - kstart));
        if (klen == 8 && strncmp(k, "password", 8) == 0)
            sbuf_adds(&b, "****");
        else
            sbuf_add(&b, v, (size_t)(p - v));
    }
    return sbuf_detach(&b);
}

int64_t sl_parse_duration_ns(const char *s)
{
    if (!s || !*s) return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v < 0) return -1;
    double mul;
    if (!*end || strcmp(end, "s") == 0)
        mul = 1e9;
    else if (strcmp(end, "ms") == 0)
        mul = 1e6;
    else if (strcmp(end, "us") == 0)
        mul = 1e3;
    else if (strcmp(end, "ns") == 0)
        mul = 1;
    else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
        mul = 60e9;
    else if (strcmp(end, "h") == 0)
        mul = 3600e9;
    else if (strcmp(end, "d") == 0)
        mul = 86400e9;
    else
        return -1;
    double ns = v * mul;
    if (ns > 9e18) return -1;
    return (int64_t)(ns + 0.5);
}

bool sl_ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}
