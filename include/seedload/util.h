/* util.h — what every module shares: exit codes, the error struct, growable byte
 * buffers, allocation that never returns NULL, hashing, time, and "did you mean".
 *
 * Conventions (see docs/design.md): functions return 0 or a negative value and fill a
 * caller-given sl_err; only main.c turns an sl_err into an exit code. */
#ifndef SEEDLOAD_UTIL_H
#define SEEDLOAD_UTIL_H

#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SL_VERSION "0.1.0"
/* The generated-data format: bumped whenever a release changes the data an unchanged profile
 * makes (CHANGES.md says so). It is part of every dataset's identity, so a database made by
 * an older format is never taken for "already identical". */
#define SL_DATA_FORMAT 2
#define SL_STR_(x)     #x
#define SL_STR(x)      SL_STR_(x)

/* Exit codes (contract). */
enum {
    SL_EXIT_OK = 0,    /* success */
    SL_EXIT_CHECK = 1, /* a check failed: regression, threshold, SLO */
    SL_EXIT_USAGE = 2, /* bad usage or bad profile */
    SL_EXIT_IO = 3,    /* database or I/O error */
};

/* An error: the exit code it maps to and a one-line (or multi-line) message. */
typedef struct sl_err {
    int code;
    char msg[4096];
} sl_err;

/* Fill e (if not NULL) with code and a printf-style message; returns -1 so callers can
 * write `return sl_fail(e, SL_EXIT_IO, "...")`. */
int sl_fail(sl_err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prepend "context: " to e->msg (keeps the code). */
void sl_err_prefix(sl_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Make s one line in place: runs of white space (newlines, tabs) become one space, none at
 * either end. For multi-line library messages shown in tables and one-line reports. */
void sl_one_line(char *s);

/* The process-wide stop flag set by SIGINT/SIGTERM handlers; the only mutable global. A
 * lock-free atomic, not a volatile sig_atomic_t: bench threads read it while the handler
 * writes it. */
extern atomic_int sl_stop;

/* Allocation: on failure these print "seedload: out of memory" and exit(3). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A growable byte buffer. Zero-initialise ({0}) to start; sbuf_free releases. The bytes
 * are always NUL-terminated after any append (p may be NULL while cap == 0). */
typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

void sbuf_grow(sbuf *b, size_t extra);
static inline void sbuf_reserve(sbuf *b, size_t extra)
{
    if (b->len + extra + 1 > b->cap) sbuf_grow(b, extra);
}
static inline void sbuf_add(sbuf *b, const void *s, size_t n)
{
    sbuf_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}
static inline void sbuf_adds(sbuf *b, const char *s)
{
    sbuf_add(b, s, strlen(s));
}
static inline void sbuf_addc(sbuf *b, char c)
{
    sbuf_reserve(b, 1);
    b->p[b->len++] = c;
    b->p[b->len] = '\0';
}
void sbuf_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_vprintf(sbuf *b, const char *fmt, va_list ap);
static inline void sbuf_clear(sbuf *b)
{
    b->len = 0;
    if (b->p) b->p[0] = '\0';
}
void sbuf_free(sbuf *b);
/* Hand the bytes to the caller (who frees them) and reset b. Never NULL. */
char *sbuf_detach(sbuf *b);

/* Read a whole file into a NUL-terminated buffer the caller frees. */
int sl_read_file(const char *path, char **out, size_t *len, sl_err *e);

/* Monotonic clock in nanoseconds; wall clock in seconds since the epoch. */
uint64_t sl_now_ns(void);
double sl_wall_time(void);

/* 64-bit hashes. sl_hash64 is fast and well mixed (not cryptographic); sl_mix64 is a
 * bijective finaliser. Both are stable across machines and releases (contract: the
 * generated data and checksums depend on them). */
uint64_t sl_hash64(const void *data, size_t len, uint64_t seed);
static inline uint64_t sl_mix64(uint64_t x)
{
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    return x;
}
static inline uint64_t sl_hash_str(const char *s, uint64_t seed)
{
    return sl_hash64(s, strlen(s), seed);
}

/* Edit distance, and the candidate closest to word (NULL if none is close enough). */
size_t sl_levenshtein(const char *a, const char *b);
const char *sl_suggest(const char *word, const char *const *cands, size_t n);

/* A copy of a libpq connection string or URI with any password replaced by "****"
 * (key=value form: password=...; URI form: user:secret@host). Caller frees. */
char *sl_mask_conninfo(const char *conninfo);
/* A copy of msg with the password that conninfo carries (as written and percent-decoded)
 * replaced by "****" wherever it appears (libpq quotes parts of a malformed URI). */
char *sl_redact(const char *msg, const char *conninfo);

/* Parse "30s", "10m", "1h", "250ms", "5" (seconds) into nanoseconds. -1 on error. */
int64_t sl_parse_duration_ns(const char *s);

/* True when s ends with suffix. */
bool sl_ends_with(const char *s, const char *suffix);

#endif
