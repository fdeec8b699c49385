/* value.c — canonical text of generated values and the calendar arithmetic behind dates.
 * Hot path: val_fmt_scalar runs once per non-text cell, so it avoids snprintf. */
#include "seedload/value.h"
#include "seedload/util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

const char *vtype_name(vtype t)
{
    static const char *names[] = {"null", "int",  "decimal",   "bool", "text",
                                  "json", "date", "timestamp", "uuid"};
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

static const char digits2[] = "00010203040506070809101112131415161718192021222324252627282930313233"
                              "34353637383940414243444546474849505152535455565758596061626364656667"
                              "68697071727374757677787980818283848586878889909192939495969798"
                              "99";

static size_t fmt_u64(uint64_t v, char *dst)
{
    char tmp[24];
    char *p = tmp + sizeof tmp;
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        p -= 2;
        memcpy(p, digits2 + 2 * r, 2);
    }
    if (v >= 10) {
        p -= 2;
        memcpy(p, digits2 + 2 * v, 2);
    } else {
        *--p = (char)('0' + v);
    }
    size_t n = (size_t)(tmp + sizeof tmp - p);
    memcpy(dst, p, n);
    return n;
}

size_t fmt_i64(int64_t v, char *dst)
{
    if (v < 0) {
        dst[0] = '-';
        return 1 + fmt_u64((uint64_t)0 - (uint64_t)v, dst + 1);
    }
    return fmt_u64((uint64_t)v, dst);
}

int64_t pow10_i64(int n)
{
    static const int64_t p[] = {1LL,
                                10LL,
                                100LL,
                                1000LL,
                                10000LL,
                                100000LL,
                                1000000LL,
                                10000000LL,
                                100000000LL,
                                1000000000LL,
                                10000000000LL,
                                100000000000LL,
                                1000000000000LL,
                                10000000000000LL,
                                100000000000000LL,
                                1000000000000000LL,
                                10000000000000000LL,
                                100000000000000000LL,
                                1000000000000000000LL};
    return (n >= 0 && n <= 18) ? p[n] : 0;
}

static inline void put2(char *d, unsigned v)
{
    memcpy(d, digits2 + 2 * (v % 100), 2);
}

static size_t fmt_date(int64_t days, char *dst)
{
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    size_t n = 0;
    if (y >= 0 && y <= 9999) {
        put2(dst, (unsigned)(y / 100));
        put2(dst + 2, (unsigned)(y % 100));
        n = 4;
    } else {
        n = fmt_i64(y, dst);
    }
    dst[n] = '-';
    put2(dst + n + 1, m);
    dst[n + 3] = '-';
    put2(dst + n + 4, d);
    return n + 6;
}

size_t val_fmt_scalar(const val *v, char *dst)
{
    switch ((vtype)v->t) {
    case VT_INT: return fmt_i64(v->i, dst);
    case VT_BOOL: dst[0] = v->i ? '1' : '0'; return 1;
    case VT_DEC: {
        int sc = v->scale;
        if (sc == 0) return fmt_i64(v->i, dst);
        int64_t p = pow10_i64(sc);
        uint64_t a = v->i < 0 ? (uint64_t)0 - (uint64_t)v->i : (uint64_t)v->i;
        size_t n = 0;
        if (v->i < 0) dst[n++] = '-';
        n += fmt_u64(a / (uint64_t)p, dst + n);
        dst[n++] = '.';
        uint64_t frac = a % (uint64_t)p;
        for (int k = sc - 1; k >= 0; k--) {
            dst[n + (size_t)k] = (char)('0' + frac % 10);
            frac /= 10;
        }
        return n + (size_t)sc;
    }
    case VT_DATE: return fmt_date(v->i, dst);
    case VT_TS: {
        int64_t us = v->i;
        int64_t days = us >= 0 ? us / 86400000000LL : -((-us + 86399999999LL) / 86400000000LL);
        int64_t rem = us - days * 86400000000LL; /* 0 .. 86399999999 */
        size_t n = fmt_date(days, dst);
        unsigned secs = (unsigned)(rem / 1000000);
        unsigned frac = (unsigned)(rem % 1000000);
        dst[n] = ' ';
        put2(dst + n + 1, secs / 3600);
        dst[n + 3] = ':';
        put2(dst + n + 4, secs / 60 % 60);
        dst[n + 6] = ':';
        put2(dst + n + 7, secs % 60);
        n += 9;
        if (frac) {
            dst[n++] = '.';
            for (int k = 5; k >= 0; k--) {
                dst[n + (size_t)k] = (char)('0' + frac % 10);
                frac /= 10;
            }
            n += 6;
        }
        return n;
    }
    case VT_UUID: {
        static const char hex[] = "0123456789abcdef";
        size_t n = 0;
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) dst[n++] = '-';
            dst[n++] = hex[v->u[i] >> 4];
            dst[n++] = hex[v->u[i] & 15];
        }
        return n;
    }
    case VT_NULL:
    case VT_TEXT:
    case VT_JSON: break;
    }
    return 0;
}

void val_append_text(const val *v, sbuf *b)
{
    if (v->t == VT_NULL) return;
    if (v->t == VT_TEXT || v->t == VT_JSON) {
        sbuf_add(b, v->s, v->len);
        return;
    }
    sbuf_reserve(b, VAL_FMT_MAX);
    b->len += val_fmt_scalar(v, b->p + b->len);
    b->p[b->len] = '\0';
}

double val_as_double(const val *v)
{
    switch ((vtype)v->t) {
    case VT_INT:
    case VT_BOOL:
    case VT_DATE: return (double)v->i;
    case VT_DEC: return (double)v->i / (double)pow10_i64(v->scale);
    case VT_TS: return (double)v->i / 1e6;
    case VT_TEXT: {
        char tmp[64];
        size_t n = v->len < 63 ? v->len : 63;
        memcpy(tmp, v->s, n);
        tmp[n] = '\0';
        char *end;
        double d = strtod(tmp, &end);
        if (end != tmp && *end == '\0') return d;
        /* Text that spells a date or a timestamp reads as one (days / seconds). */
        int64_t x;
        if (parse_date(tmp, &x) == 0) return (double)x;
        if (parse_timestamp(tmp, &x) == 0) return (double)x / 1e6;
        return NAN;
    }
    default: return NAN;
    }
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int weekday_from_days(int64_t z)
{
    /* 1970-01-01 was a Thursday (3 when Monday = 0). */
    int64_t w = (z + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static int dim(int64_t y, unsigned m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

static int parse_ymd(const char **sp, int64_t *days)
{
    const char *s = *sp;
    char *end;
    errno = 0;
    long y = strtol(s, &end, 10);
    if (end == s || *end != '-' || errno) return -1;
    s = end + 1;
    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != '-') return -1;
    unsigned m = (unsigned)((s[0] - '0') * 10 + (s[1] - '0'));
    s += 3;
    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1])) return -1;
    unsigned d = (unsigned)((s[0] - '0') * 10 + (s[1] - '0'));
    s += 2;
    if (y < -100000 || y > 100000 || m < 1 || m > 12 || d < 1 || (int)d > dim(y, m)) return -1;
    *days = days_from_civil(y, m, d);
    *sp = s;
    return 0;
}

int parse_date(const char *s, int64_t *days)
{
    while (isspace((unsigned char)*s)) s++;
    if (parse_ymd(&s, days) < 0) return -1;
    while (isspace((unsigned char)*s)) s++;
    return *s ? -1 : 0;
}

static int two(const char *s, unsigned max, unsigned *out)
{
    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1])) return -1;
    *out = (unsigned)((s[0] - '0') * 10 + (s[1] - '0'));
    return *out <= max ? 0 : -1;
}

int parse_timestamp(const char *s, int64_t *us)
{
    int64_t days;
    while (isspace((unsigned char)*s)) s++;
    if (parse_ymd(&s, &days) < 0) return -1;
    unsigned h = 0, mi = 0, se = 0;
    int64_t frac = 0;
    if (*s == ' ' || *s == 'T') {
        s++;
        if (two(s, 23, &h) < 0 || s[2] != ':' || two(s + 3, 59, &mi) < 0) return -1;
        s += 5;
        if (*s == ':') {
            if (two(s + 1, 59, &se) < 0) return -1;
            s += 3;
            if (*s == '.') {
                s++;
                int nd = 0;
                while (isdigit((unsigned char)*s)) {
                    if (nd < 6) frac = frac * 10 + (*s - '0');
                    nd++;
                    s++;
                }
                if (nd == 0) return -1;
                for (; nd < 6; nd++) frac *= 10;
            }
        }
        if (*s == 'Z')
            s++;
        else if (strncmp(s, "+00:00", 6) == 0)
            s += 6;
        else if (strncmp(s, "+00", 3) == 0)
            s += 3;
    }
    while (isspace((unsigned char)*s)) s++;
    if (*s) return -1;
    *us = days * 86400000000LL + ((int64_t)h * 3600 + mi * 60 + se) * 1000000LL + frac;
    return 0;
}

int decimal_digits(const char *s)
{
    const char *dot = strchr(s, '.');
    if (!dot) return 0;
    int n = 0;
    for (const char *p = dot + 1; isdigit((unsigned char)*p); p++) n++;
    return n;
}

int parse_decimal(const char *s, int scale, int64_t *out)
{
    while (isspace((unsigned char)*s)) s++;
    bool neg = false;
    if (*s == '-' || *s == '+') neg = *s++ == '-';
    if (!isdigit((unsigned char)*s) && !(*s == '.' && isdigit((unsigned char)s[1]))) return -1;
    __int128 v = 0;
    int fd = 0;
    bool dot = false, round_up = false;
    for (; *s; s++) {
        if (*s == '.' && !dot) {
            dot = true;
            continue;
        }
        if (!isdigit((unsigned char)*s)) break;
        if (dot && fd >= scale) {
            if (fd == scale) round_up = *s >= '5';
            fd++;
            continue;
        }
        v = v * 10 + (*s - '0');
        if (dot) fd++;
        if (v > (__int128)INT64_MAX * 10) return -1;
    }
    if (*s == 'e' || *s == 'E') {
        /* Exponent form: go through double (rare in profiles). */
        return -1;
    }
    while (isspace((unsigned char)*s)) s++;
    if (*s) return -1;
    if (fd > scale) fd = scale;
    for (; fd < scale; fd++) v *= 10;
    if (round_up) v += 1;
    if (neg) v = -v;
    if (v > INT64_MAX || v < INT64_MIN) return -1;
    *out = (int64_t)v;
    return 0;
}

int64_t dec_from_double(double x, int scale)
{
    double y = x * (double)pow10_i64(scale);
    y = y < 0 ? -floor(-y + 0.5) : floor(y + 0.5);
    if (y > 9.2e18) return INT64_MAX;
    if (y < -9.2e18) return INT64_MIN;
    return (int64_t)y;
}

size_t utf8_len(const char *s, size_t bytes)
{
    size_t n = 0;
    for (size_t i = 0; i < bytes; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
    return n;
}

size_t utf8_prefix(const char *s, size_t bytes, size_t n_chars)
{
    size_t chars = 0, i = 0;
    for (; i < bytes; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (chars == n_chars) return i;
            chars++;
        }
    }
    return bytes;
}
