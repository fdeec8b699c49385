/* enc.c — row encodings (CSV, COPY text, SQL INSERT, typed binary for SQLite) and the
 * order-independent table checksum. This is the hot loop of `generate`: values are written
 * straight into the output buffer, without snprintf or per-value allocation. */
#include "seedload/enc.h"

#include <stdio.h>
#include <stdlib.h>

#define DIGEST_K 0x243f6a8885a308d3ULL

static inline bool csv_needs_quotes(const char *s, size_t n)
{
    if (n == 0) return true; /* "" is the empty string; an empty field is NULL */
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ',' || c == '"' || c == '\n' || c == '\r') return true;
    }
    return false;
}

void enc_csv_value(const val *v, sbuf *out)
{
    if (v->t == VT_NULL) return;
    if (v->t == VT_TEXT || v->t == VT_JSON) {
        if (!csv_needs_quotes(v->s, v->len)) {
            sbuf_add(out, v->s, v->len);
            return;
        }
        sbuf_reserve(out, (size_t)v->len * 2 + 2);
        char *d = out->p + out->len;
        *d++ = '"';
        for (uint32_t i = 0; i < v->len; i++) {
            if (v->s[i] == '"') *d++ = '"';
            *d++ = v->s[i];
        }
        *d++ = '"';
        out->len = (size_t)(d - out->p);
        out->p[out->len] = '\0';
        return;
    }
    sbuf_reserve(out, VAL_FMT_MAX);
    out->len += val_fmt_scalar(v, out->p + out->len);
    out->p[out->len] = '\0';
}

void enc_copy_text_value(const val *v, sbuf *out)
{
    if (v->t == VT_NULL) {
        sbuf_add(out, "\\N", 2);
        return;
    }
    if (v->t == VT_TEXT || v->t == VT_JSON) {
        sbuf_reserve(out, (size_t)v->len * 2);
        char *d = out->p + out->len;
        for (uint32_t i = 0; i < v->len; i++) {
            char c = v->s[i];
            switch (c) {
            case '\\': *d++ = '\\', *d++ = '\\'; break;
            case '\t': *d++ = '\\', *d++ = 't'; break;
            case '\n': *d++ = '\\', *d++ = 'n'; break;
            case '\r': *d++ = '\\', *d++ = 'r'; break;
            default: *d++ = c;
            }
        }
        out->len = (size_t)(d - out->p);
        out->p[out->len] = '\0';
        return;
    }
    enc_csv_value(v, out);
}

void enc_sql_value(const val *v, sbuf *out)
{
    switch ((vtype)v->t) {
    case VT_NULL: sbuf_add(out, "NULL", 4); return;
    case VT_INT:
    case VT_DEC:
    case VT_BOOL: enc_csv_value(v, out); return;
    case VT_TEXT:
    case VT_JSON: {
        sbuf_reserve(out, (size_t)v->len * 2 + 2);
        char *d = out->p + out->len;
        *d++ = '\'';
        for (uint32_t i = 0; i < v->len; i++) {
            if (v->s[i] == '\'') *d++ = '\'';
            *d++ = v->s[i];
        }
        *d++ = '\'';
        out->len = (size_t)(d - out->p);
        out->p[out->len] = '\0';
        return;
    }
    default: {
        char tmp[VAL_FMT_MAX];
        size_t n = val_fmt_scalar(v, tmp);
        sbuf_reserve(out, n + 2);
        sbuf_addc(out, '\'');
        sbuf_add(out, tmp, n);
        sbuf_addc(out, '\'');
    }
    }
}

static void bin_value(const val *v, sbuf *out)
{
    sbuf_reserve(out, 1 + 8 + 4 + VAL_FMT_MAX);
    char *d = out->p + out->len;
    switch ((vtype)v->t) {
    case VT_NULL: *d++ = BIN_NULL; break;
    case VT_INT:
    case VT_BOOL:
        *d++ = BIN_INT;
        memcpy(d, &v->i, 8);
        d += 8;
        break;
    case VT_DEC: {
        if (v->scale == 0) {
            *d++ = BIN_INT;
            memcpy(d, &v->i, 8);
        } else {
            double x = (double)v->i / (double)pow10_i64(v->scale);
            *d++ = BIN_REAL;
            memcpy(d, &x, 8);
        }
        d += 8;
        break;
    }
    case VT_TEXT:
    case VT_JSON: {
        out->len = (size_t)(d - out->p);
        sbuf_reserve(out, 5 + (size_t)v->len);
        d = out->p + out->len;
        *d++ = BIN_TEXT;
        uint32_t n = v->len;
        memcpy(d, &n, 4);
        memcpy(d + 4, v->s, n);
        d += 4 + n;
        break;
    }
    default: {
        *d++ = BIN_TEXT;
        uint32_t n = (uint32_t)val_fmt_scalar(v, d + 4);
        memcpy(d, &n, 4);
        d += 4 + n;
    }
    }
    out->len = (size_t)(d - out->p);
}

static inline void row_digest(enc_digest *dg, const char *line, size_t n, uint64_t row)
{
    uint64_t h = sl_hash64(line, n, row);
    dg->a += h;
    dg->b += sl_mix64(h ^ DIGEST_K);
}

int enc_rows(const enc_cfg *cfg, genctx *ctx, const mtable *t, uint64_t start, uint64_t end,
             sbuf *out, enc_digest *dg, enc_scratch *sc)
{
    const enc_pgtable *pt = cfg->kind == ENC_PG ? &cfg->pg[t->idx] : NULL;
    enc_kind kind = pt && !pt->binary ? ENC_COPY_TEXT : cfg->kind;
    size_t nc = t->nout;
    const int *oc = t->out;
    for (uint64_t r = start; r < end; r++) {
        const val *v = gen_row(ctx, t, r);
        switch (kind) {
        case ENC_PG:
            if (enc_pg_row(pt, t, v, out, sc, r) < 0) return -1;
            break;
        case ENC_CSV: {
            size_t from = out->len;
            for (size_t i = 0; i < nc; i++) {
                if (i) sbuf_addc(out, ',');
                enc_csv_value(&v[oc[i]], out);
            }
            if (cfg->digest) row_digest(dg, out->p + from, out->len - from, r);
            sbuf_addc(out, '\n');
            continue;
        }
        case ENC_COPY_TEXT:
            for (size_t i = 0; i < nc; i++) {
                if (i) sbuf_addc(out, '\t');
                enc_copy_text_value(&v[oc[i]], out);
            }
            sbuf_addc(out, '\n');
            break;
        case ENC_SQL_INSERT: {
            uint64_t k = (r - start) % cfg->rows_per_insert;
            if (k == 0) {
                sbuf_adds(out, cfg->insert_heads[t->idx]);
                sbuf_adds(out, "\n(");
            } else {
                sbuf_adds(out, ",\n(");
            }
            for (size_t i = 0; i < nc; i++) {
                if (i) sbuf_addc(out, ',');
                enc_sql_value(&v[oc[i]], out);
            }
            sbuf_addc(out, ')');
            if (k + 1 == cfg->rows_per_insert || r + 1 == end) sbuf_adds(out, ";\n");
            break;
        }
        case ENC_BIN:
            for (size_t i = 0; i < nc; i++) bin_value(&v[oc[i]], out);
            break;
        }
        if (cfg->digest) {
            sbuf_clear(&sc->line);
            for (size_t i = 0; i < nc; i++) {
                if (i) sbuf_addc(&sc->line, ',');
                enc_csv_value(&v[oc[i]], &sc->line);
            }
            row_digest(dg, sc->line.p ? sc->line.p : "", sc->line.len, r);
        }
    }
    return 0;
}

void enc_ident(sbuf *out, const char *name)
{
    sbuf_addc(out, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"') sbuf_addc(out, '"');
        sbuf_addc(out, *p);
    }
    sbuf_addc(out, '"');
}

void enc_table_name(sbuf *out, const char *profile_name, sql_dialect d)
{
    const char *dot = strchr(profile_name, '.');
    if (!dot) {
        enc_ident(out, profile_name);
        return;
    }
    if (d == DIALECT_SQLITE) {
        char buf[256];
        enc_ident(out, sqlite_table_name(profile_name, buf, sizeof buf));
        return;
    }
    char *sch = xstrndup(profile_name, (size_t)(dot - profile_name));
    enc_ident(out, sch);
    free(sch);
    sbuf_addc(out, '.');
    enc_ident(out, dot + 1);
}

void enc_csv_header(const mtable *t, sbuf *out)
{
    for (size_t i = 0; i < t->nout; i++) {
        if (i) sbuf_addc(out, ',');
        const char *name = t->cols[t->out[i]].name;
        val v = {.t = VT_TEXT, .s = name, .len = (uint32_t)strlen(name)};
        enc_csv_value(&v, out);
    }
    sbuf_addc(out, '\n');
}

void enc_digest_add(enc_digest *into, const enc_digest *d)
{
    into->a += d->a;
    into->b += d->b;
}

void enc_digest_hex(const enc_digest *d, char out[33])
{
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)d->a, (unsigned long long)d->b);
}
