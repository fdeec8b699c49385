/* value.h — one generated value, its canonical text form, and calendar arithmetic.
 *
 * Numbers with decimals are scaled integers (VT_DEC: i / 10^scale), so their text is exact
 * and fast to produce. Dates are days since 1970-01-01; timestamps are microseconds since
 * 1970-01-01 00:00:00 UTC. Text and JSON point into memory owned by someone else (a row
 * arena or the compiled profile); a val never owns memory.
 *
 * Canonical text (contract: CSV output and checksums are built on it):
 *   INT  -12            DEC  2.90 (always `scale` digits)     BOOL 1 / 0
 *   DATE 2025-01-06     TS   2025-01-06 08:30:00[.ffffff]     UUID 8-4-4-4-12 lower hex
 *   TEXT, JSON as is    NULL has no text (CSV: empty unquoted field). */
#ifndef SEEDLOAD_VALUE_H
#define SEEDLOAD_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum vtype {
    VT_NULL = 0,
    VT_INT,
    VT_DEC,
    VT_BOOL,
    VT_TEXT,
    VT_JSON,
    VT_DATE,
    VT_TS,
    VT_UUID,
} vtype;

typedef struct val {
    uint8_t t;     /* vtype */
    uint8_t scale; /* VT_DEC: digits after the point */
    uint32_t len;  /* VT_TEXT / VT_JSON: bytes */
    union {
        int64_t i; /* INT, DEC (scaled), BOOL, DATE (days), TS (µs) */
        const char *s;
        uint8_t u[16];
    };
} val;

/* The longest canonical text of any non-text value, plus room for a NUL. */
#define VAL_FMT_MAX 48

const char *vtype_name(vtype t);

/* Write the canonical text of a non-text value (INT, DEC, BOOL, DATE, TS, UUID) into dst,
 * which has room for VAL_FMT_MAX bytes; returns the length (no NUL written). TEXT/JSON/NULL
 * are not handled here (the caller copies or quotes them). */
size_t val_fmt_scalar(const val *v, char *dst);

/* Append the canonical text of any value to an sbuf-compatible growing buffer. */
struct sbuf;
void val_append_text(const val *v, struct sbuf *b);

/* The value as a double (DEC scaled back; DATE as days; TS as seconds); NaN for text/NULL. */
double val_as_double(const val *v);

/* Integer → decimal text into dst (up to 20 chars + sign); returns length. */
size_t fmt_i64(int64_t v, char *dst);

/* 10^n for n in 0..18. */
int64_t pow10_i64(int n);

/* Calendar: days since 1970-01-01 <-> y/m/d (proleptic Gregorian). */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
/* 0 = Monday .. 6 = Sunday. */
int weekday_from_days(int64_t z);

/* Parse "YYYY-MM-DD" into days; "YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]][Z|+00:00]" into µs.
 * Also accept "today"/"now" relative forms? No: profiles are pure. Return 0 or -1. */
int parse_date(const char *s, int64_t *days);
int parse_timestamp(const char *s, int64_t *us);

/* Parse a decimal literal ("2.9", "-0.125", "3") into a scaled integer with `scale` digits,
 * rounding half away from zero beyond them. Returns 0 or -1 (not a number / overflow). */
int parse_decimal(const char *s, int scale, int64_t *out);
/* Number of digits after the point in a decimal literal ("2.90" → 2, "3" → 0). */
int decimal_digits(const char *s);

/* Round a double to `scale` decimals as a scaled integer, half away from zero. */
int64_t dec_from_double(double x, int scale);

/* UTF-8: number of code points, and byte length of the first n code points. */
size_t utf8_len(const char *s, size_t bytes);
size_t utf8_prefix(const char *s, size_t bytes, size_t n_chars);

#endif
