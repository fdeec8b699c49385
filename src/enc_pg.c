/* enc_pg.c — rows in PostgreSQL's binary COPY format. Binary pays for wide rows (no text
 * parsing on the server; see ANCHORS: EduPulse-shaped rows load ~2x faster). Each field is a
 * 32-bit big-endian length and the type's send format: integers and floats big-endian,
 * numeric in base-10000 digits, date/timestamp relative to 2000-01-01, uuid as 16 bytes, jsonb
 * with a version byte, and text types as raw UTF-8 (char(n) without trailing blanks: the
 * server pads it back). */
#include "seedload/enc.h"

#include <stdio.h>
#include <stdlib.h>

#define PG_EPOCH_DAYS 10957LL /* 1970-01-01 .. 2000-01-01 */
#define PG_EPOCH_US   (PG_EPOCH_DAYS * 86400000000LL)

static const char header[] = "PGCOPY\n\377\r\n\0";

void enc_pg_header(sbuf *out)
{
    sbuf_add(out, header, 11);
    sbuf_add(out, "\0\0\0\0\0\0\0\0", 8); /* flags, header extension length */
}

void enc_pg_trailer(sbuf *out)
{
    sbuf_add(out, "\xff\xff", 2);
}

pgt enc_pg_type(const char *n, char typtype)
{
    if (typtype == 'e') return PGT_TEXT; /* enums take their label */
    if (typtype != 'b') return PGT_OTHER;
    static const struct {
        const char *name;
        pgt t;
    } map[] = {
        {"text", PGT_TEXT},       {"varchar", PGT_TEXT},        {"bpchar", PGT_BPCHAR},
        {"name", PGT_TEXT},       {"json", PGT_TEXT},           {"citext", PGT_TEXT},
        {"jsonb", PGT_JSONB},     {"int2", PGT_INT2},           {"int4", PGT_INT4},
        {"int8", PGT_INT8},       {"float4", PGT_FLOAT4},       {"float8", PGT_FLOAT8},
        {"numeric", PGT_NUMERIC}, {"bool", PGT_BOOL},           {"uuid", PGT_UUID},
        {"date", PGT_DATE},       {"timestamp", PGT_TIMESTAMP}, {"timestamptz", PGT_TIMESTAMP}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i].name, n) == 0) return map[i].t;
    return PGT_OTHER;
}

bool enc_pg_compatible(vtype t, pgt p)
{
    if (p == PGT_OTHER) return false;
    if (t == VT_NULL || p == PGT_TEXT || p == PGT_BPCHAR) return true;
    switch (p) {
    case PGT_JSONB: return t == VT_JSON || t == VT_TEXT;
    case PGT_INT2:
    case PGT_INT4:
    case PGT_INT8:
    case PGT_BOOL: return t == VT_INT || t == VT_BOOL;
    case PGT_FLOAT4:
    case PGT_FLOAT8:
    case PGT_NUMERIC: return t == VT_INT || t == VT_DEC || t == VT_BOOL;
    case PGT_UUID: return t == VT_UUID;
    case PGT_DATE: return t == VT_DATE;
    case PGT_TIMESTAMP: return t == VT_TS || t == VT_DATE;
    default: return false;
    }
}

static inline void put16(sbuf *b, uint16_t v)
{
    sbuf_reserve(b, 2);
    b->p[b->len++] = (char)(v >> 8);
    b->p[b->len++] = (char)v;
}

static inline void put32(sbuf *b, uint32_t v)
{
    sbuf_reserve(b, 4);
    for (int i = 3; i >= 0; i--) b->p[b->len++] = (char)(v >> (8 * i));
}

static inline void put64(sbuf *b, uint64_t v)
{
    sbuf_reserve(b, 8);
    for (int i = 7; i >= 0; i--) b->p[b->len++] = (char)(v >> (8 * i));
}

/* numeric: |v| / 10^scale as base-10000 digit groups aligned on the decimal point. */
static void put_numeric(sbuf *b, int64_t v, int scale)
{
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    /* Pad the fraction to a multiple of 4 digits so groups align with the point. */
    int fd = (scale + 3) / 4 * 4;
    __uint128_t x = (__uint128_t)a * (uint64_t)pow10_i64(fd - scale);
    uint16_t groups[16];
    int n = 0;
    while (x > 0 && n < 16) {
        groups[n++] = (uint16_t)(x % 10000);
        x /= 10000;
    }
    int frac_groups = fd / 4;
    /* groups[0] is the least significant; weight of the most significant group: */
    int weight = n - frac_groups - 1;
    /* Strip trailing zero groups (least significant). */
    int lo = 0;
    while (lo < n && groups[lo] == 0) lo++;
    int nd = n - lo;
    sbuf_reserve(b, 4 + 8 + (size_t)nd * 2);
    put32(b, (uint32_t)(8 + nd * 2));
    put16(b, (uint16_t)nd);
    put16(b, (uint16_t)(int16_t)(nd ? weight : 0));
    put16(b, v < 0 && nd ? 0x4000 : 0x0000);
    put16(b, (uint16_t)scale);
    for (int i = n - 1; i >= lo; i--) put16(b, groups[i]);
}

static int bad(enc_scratch *sc, const mtable *t, int col, uint64_t row, const char *why)
{
    sbuf_clear(&sc->err);
    sbuf_printf(&sc->err, "table '%s', row %llu, column '%s': %s", t->name, (unsigned long long)row,
                t->cols[col].name, why);
    return -1;
}

int enc_pg_row(const enc_pgtable *pt, const mtable *t, const val *v, sbuf *out, enc_scratch *sc,
               uint64_t row)
{
    put16(out, (uint16_t)t->nout);
    for (size_t i = 0; i < t->nout; i++) {
        int col = t->out[i];
        const val *x = &v[col];
        pgt p = (pgt)pt->types[i];
        if (x->t == VT_NULL) {
            put32(out, 0xffffffffu);
            continue;
        }
        switch (p) {
        case PGT_TEXT:
        case PGT_BPCHAR:
        case PGT_JSONB: {
            char tmp[VAL_FMT_MAX];
            const char *s = tmp;
            size_t n;
            if (x->t == VT_TEXT || x->t == VT_JSON) {
                s = x->s;
                n = x->len;
            } else {
                n = val_fmt_scalar(x, tmp);
            }
            /* char(n) keeps no trailing blanks of its own (the server pads to n on input
             * and ignores them in comparisons): pgbench's 84-space filler travels as ''. */
            if (p == PGT_BPCHAR)
                while (n && s[n - 1] == ' ') n--;
            bool jb = p == PGT_JSONB;
            put32(out, (uint32_t)(n + jb));
            if (jb) sbuf_addc(out, 1);
            sbuf_add(out, s, n);
            break;
        }
        case PGT_INT2:
        case PGT_INT4:
        case PGT_INT8: {
            int64_t iv = x->i;
            if (x->t == VT_DEC && x->scale) {
                if (iv % pow10_i64(x->scale))
                    return bad(sc, t, col, row, "a decimal value for an integer column");
                iv /= pow10_i64(x->scale);
            }
            if (p == PGT_INT2 && (iv < -32768 || iv > 32767))
                return bad(sc, t, col, row, "value out of range for smallint");
            if (p == PGT_INT4 && (iv < INT32_MIN || iv > INT32_MAX))
                return bad(sc, t, col, row, "value out of range for integer");
            if (p == PGT_INT2)
                put32(out, 2), put16(out, (uint16_t)iv);
            else if (p == PGT_INT4)
                put32(out, 4), put32(out, (uint32_t)iv);
            else
                put32(out, 8), put64(out, (uint64_t)iv);
            break;
        }
        case PGT_BOOL:
            put32(out, 1);
            sbuf_addc(out, x->i ? 1 : 0);
            break;
        case PGT_FLOAT4: {
            /* Exactly what the server's text input would store: strtof of the decimal. */
            char tmp[VAL_FMT_MAX + 1];
            size_t n = val_fmt_scalar(x, tmp);
            tmp[n] = '\0';
            float f = strtof(tmp, NULL);
            uint32_t u;
            memcpy(&u, &f, 4);
            put32(out, 4);
            put32(out, u);
            break;
        }
        case PGT_FLOAT8: {
            double d = x->t == VT_DEC ? (double)x->i / (double)pow10_i64(x->scale) : (double)x->i;
            uint64_t u;
            memcpy(&u, &d, 8);
            put32(out, 8);
            put64(out, u);
            break;
        }
        case PGT_NUMERIC: put_numeric(out, x->i, x->t == VT_DEC ? x->scale : 0); break;
        case PGT_UUID:
            if (x->t != VT_UUID) return bad(sc, t, col, row, "not a UUID");
            put32(out, 16);
            sbuf_add(out, x->u, 16);
            break;
        case PGT_DATE:
            if (x->t != VT_DATE) return bad(sc, t, col, row, "not a date");
            put32(out, 4);
            put32(out, (uint32_t)(int32_t)(x->i - PG_EPOCH_DAYS));
            break;
        case PGT_TIMESTAMP: {
            int64_t us = x->t == VT_DATE ? x->i * 86400000000LL : x->i;
            put32(out, 8);
            put64(out, (uint64_t)(us - PG_EPOCH_US));
            break;
        }
        default: return bad(sc, t, col, row, "no binary form for this column type");
        }
    }
    return 0;
}
