/* gen_text.c — generators that produce text: format patterns ({n}, {digits:4}, {dict:words},
 * {column|slug}, ...), dictionary picks (names, words, cities), words/sentences/paragraphs,
 * text of a length range, e-mails and phone numbers (patterns with defaults), and JSON
 * documents built from a YAML template whose leaves are generators. Also the dictionary
 * loader and the YAML-to-JSON serialiser. */
#include "gen_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- dictionaries ------------------------------------------------------------------------- */

dictset *dictset_new(const char *dir)
{
    dictset *ds = xcalloc(1, sizeof *ds);
    ds->dir = xstrdup(dir ? dir : "dicts");
    return ds;
}

void dictset_free(dictset *ds)
{
    if (!ds) return;
    for (size_t i = 0; i < ds->n; i++) {
        free(ds->d[i]->name);
        free(ds->d[i]->w);
        free(ds->d[i]->len);
        free(ds->d[i]->text);
        free(ds->d[i]);
    }
    free(ds->d);
    free(ds->dir);
    free(ds);
}

const dict *dict_get(dictset *ds, const char *name, diag *d, const ynode *n)
{
    for (size_t i = 0; i < ds->n; i++)
        if (strcmp(ds->d[i]->name, name) == 0) return ds->d[i];
    for (const char *p = name; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-')) {
            diag_node(d, n, "dictionary name '%s' must be letters, digits, '_' or '-'", name);
            return NULL;
        }
    sbuf path = {0};
    sbuf_printf(&path, "%s/%s.txt", ds->dir, name);
    char *text;
    size_t len;
    sl_err e;
    if (sl_read_file(path.p, &text, &len, &e) < 0) {
        diag_node(d, n, "dictionary '%s': %s", name, e.msg);
        sbuf_free(&path);
        return NULL;
    }
    dict *dc = xcalloc(1, sizeof *dc);
    dc->name = xstrdup(name);
    dc->text = text;
    size_t cap = 0;
    for (char *p = text, *nl; *p; p = nl) {
        nl = strchr(p, '\n');
        char *end = nl ? nl : p + strlen(p);
        if (nl)
            *nl++ = '\0';
        else
            nl = end;
        while (end > p && (end[-1] == '\r' || end[-1] == ' ')) *--end = '\0';
        if (!*p || *p == '#') continue;
        if (dc->n == cap) {
            cap = cap ? cap * 2 : 256;
            dc->w = xrealloc(dc->w, cap * sizeof *dc->w);
            dc->len = xrealloc(dc->len, cap * sizeof *dc->len);
        }
        dc->w[dc->n] = p;
        dc->len[dc->n++] = (uint32_t)(end - p);
    }
    if (dc->n == 0) {
        diag_node(d, n, "dictionary '%s' (%s) has no entries", name, path.p);
        sbuf_free(&path);
        free(dc->w);
        free(dc->len);
        free(dc->text);
        free(dc->name);
        free(dc);
        return NULL;
    }
    sbuf_free(&path);
    ds->d = xrealloc(ds->d, (ds->n + 1) * sizeof *ds->d);
    ds->d[ds->n++] = dc;
    return dc;
}

/* ---- JSON helpers ----------------------------------------------------------------------- */

void json_quote(sbuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    sbuf_reserve(b, n + 2);
    sbuf_addc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            sbuf_addc(b, '\\');
            sbuf_addc(b, (char)c);
        } else if (c < 0x20) {
            char e[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
            if (c == '\n')
                sbuf_adds(b, "\\n");
            else if (c == '\t')
                sbuf_adds(b, "\\t");
            else if (c == '\r')
                sbuf_adds(b, "\\r");
            else
                sbuf_add(b, e, 6);
        } else {
            sbuf_addc(b, (char)c);
        }
    }
    sbuf_addc(b, '"');
}

static bool json_number(const char *s)
{
    /* JSON's number grammar: -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)? */
    const char *p = s;
    if (*p == '-') p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (isdigit((unsigned char)*p)) p++;
    else
        return false;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p)) return false;
        while (isdigit((unsigned char)*p)) p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!isdigit((unsigned char)*p)) return false;
        while (isdigit((unsigned char)*p)) p++;
    }
    return *p == '\0';
}

void yaml_to_json(const ynode *n, sbuf *b)
{
    if (!n || yn_is_null(n)) {
        sbuf_adds(b, "null");
        return;
    }
    if (n->kind == YN_SCALAR) {
        if (!n->quoted &&
            (json_number(n->str) || strcmp(n->str, "true") == 0 || strcmp(n->str, "false") == 0))
            sbuf_add(b, n->str, n->len);
        else
            json_quote(b, n->str, n->len);
        return;
    }
    bool map = n->kind == YN_MAP;
    sbuf_addc(b, map ? '{' : '[');
    for (size_t i = 0; i < n->n; i++) {
        if (i) sbuf_addc(b, ',');
        if (map) {
            const ynode *k = n->items[2 * i];
            json_quote(b, k->str ? k->str : "", k->len);
            sbuf_addc(b, ':');
            yaml_to_json(n->items[2 * i + 1], b);
        } else {
            yaml_to_json(n->items[i], b);
        }
    }
    sbuf_addc(b, map ? '}' : ']');
}

static void json_val(sbuf *b, const val *v)
{
    switch ((vtype)v->t) {
    case VT_NULL: sbuf_adds(b, "null"); break;
    case VT_BOOL: sbuf_adds(b, v->i ? "true" : "false"); break;
    case VT_INT:
    case VT_DEC: val_append_text(v, b); break;
    case VT_JSON: sbuf_add(b, v->s, v->len); break;
    case VT_TEXT: json_quote(b, v->s, v->len); break;
    default: {
        char tmp[VAL_FMT_MAX];
        size_t n = val_fmt_scalar(v, tmp);
        json_quote(b, tmp, n);
    }
    }
}

/* ---- patterns ------------------------------------------------------------------------------- */

enum {
    P_LIT,
    P_N,    /* row + 1 */
    P_ROW,  /* row */
    P_PERM, /* permuted row + 1 (unique, not sequential) */
    P_ORD,  /* ordinal under the parent + 1 */
    P_DIGITS,
    P_LETTERS,
    P_LOWER,
    P_HEX,
    P_ALNUM,
    P_INT,
    P_DICT,
    P_CHOICE,
    P_COL,
};

enum { F_LOWER = 1, F_UPPER = 2, F_SLUG = 4 };

struct fmt_part {
    int kind;
    char *lit;
    size_t litlen;
    int width;      /* zero-pad width for numbers, count for random characters */
    int64_t a, b;   /* P_INT range */
    const dict *d;  /* P_DICT */
    char **choices; /* P_CHOICE */
    size_t nchoices;
    int col; /* P_COL */
    bool parent;
    int filters;
    uint64_t key;
    rng_perm perm; /* P_PERM */
};

void fmt_free(fmt_part *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].lit);
        for (size_t j = 0; j < p[i].nchoices; j++) free(p[i].choices[j]);
        free(p[i].choices);
    }
    free(p);
}

static void apply_filters(sbuf *b, size_t from, int filters)
{
    if (!filters) return;
    if (filters & F_SLUG) {
        size_t w = from;
        bool dash = false;
        for (size_t r = from; r < b->len; r++) {
            unsigned char c = (unsigned char)b->p[r];
            if (isalnum(c)) {
                if (dash && w > from) b->p[w++] = '-';
                dash = false;
                b->p[w++] = (char)tolower(c);
            } else {
                dash = true;
            }
        }
        b->len = w;
        b->p[w] = '\0';
        return;
    }
    for (size_t i = from; i < b->len; i++)
        b->p[i] = (char)((filters & F_LOWER) ? tolower((unsigned char)b->p[i])
                                             : toupper((unsigned char)b->p[i]));
}

static void put_num(sbuf *b, int64_t v, int width)
{
    char tmp[24];
    size_t n = fmt_i64(v, tmp);
    for (int i = (int)n; i < width; i++) sbuf_addc(b, '0');
    sbuf_add(b, tmp, n);
}

static void fmt_render(const fmt_part *parts, size_t np, genctx *c, frame *f, uint64_t salt,
                       sbuf *b)
{
    static const char up[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", lo[] = "abcdefghijklmnopqrstuvwxyz",
                      hx[] = "0123456789abcdef",
                      an[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (size_t i = 0; i < np; i++) {
        const fmt_part *p = &parts[i];
        size_t from = b->len;
        uint64_t key = salt ? sl_mix64(p->key ^ salt) : p->key;
        switch (p->kind) {
        case P_LIT: sbuf_add(b, p->lit, p->litlen); break;
        case P_N: put_num(b, (int64_t)f->row + 1, p->width); break;
        case P_ROW: put_num(b, (int64_t)f->row, p->width); break;
        case P_ORD: put_num(b, (int64_t)f->ord + 1, p->width); break;
        case P_PERM:
            /* Beyond the generated rows (fresh keys) the permutation extends as the identity,
             * so those values never meet the permuted ones (all <= the row count). */
            put_num(b,
                    (int64_t)(f->row < p->perm.n ? rng_perm_apply(&p->perm, f->row) : f->row) + 1,
                    p->width);
            break;
        case P_INT: put_num(b, rng_range(rng_at(key, f->row, 0), p->a, p->b), p->width); break;
        case P_DIGITS:
        case P_LETTERS:
        case P_LOWER:
        case P_HEX:
        case P_ALNUM: {
            const char *set = p->kind == P_DIGITS    ? "0123456789"
                              : p->kind == P_LETTERS ? up
                              : p->kind == P_LOWER   ? lo
                              : p->kind == P_HEX     ? hx
                                                     : an;
            uint64_t setn = strlen(set);
            sbuf_reserve(b, (size_t)p->width);
            uint64_t x = 0;
            for (int k = 0; k < p->width; k++) {
                if (k % 8 == 0) x = rng_at(key, f->row, (uint64_t)k / 8);
                b->p[b->len++] = set[rng_below(x, setn)];
                x = sl_mix64(x);
            }
            b->p[b->len] = '\0';
            break;
        }
        case P_DICT: {
            size_t k = (size_t)rng_below(rng_at(key, f->row, 0), p->d->n);
            sbuf_add(b, p->d->w[k], p->d->len[k]);
            break;
        }
        case P_CHOICE:
            sbuf_adds(b, p->choices[rng_below(rng_at(key, f->row, 0), p->nchoices)]);
            break;
        case P_COL: {
            val tmp;
            const val *v =
                p->parent ? frame_parent_col(c, f, p->col, &tmp) : frame_col(c, f, p->col);
            size_t at = b->len;
            val_append_text(v, b);
            /* Zero-pad numbers to the width (after a minus sign). */
            size_t len = b->len - at;
            if (p->width > 0 && (size_t)p->width > len && (v->t == VT_INT || v->t == VT_DEC)) {
                size_t pad = (size_t)p->width - len, sign = b->p[at] == '-';
                sbuf_reserve(b, pad);
                memmove(b->p + at + sign + pad, b->p + at + sign, len - sign);
                memset(b->p + at + sign, '0', pad);
                b->len += pad;
                b->p[b->len] = '\0';
            }
            break;
        }
        }
        apply_filters(b, from, p->filters);
    }
}

static int parse_num(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end) return -1;
    *out = v;
    return 0;
}

/* Can text from this source put a digit where it meets a row number — at its end (end) or
 * start? Text of one fixed width cannot blur the boundary, so that counts as no. */
static bool words_digit_edge(const char *const *w, const uint32_t *lens, size_t n, bool end)
{
    size_t len0 = 0;
    bool fixed = true, digit = false;
    for (size_t i = 0; i < n; i++) {
        size_t l = lens ? lens[i] : strlen(w[i]);
        if (i == 0) len0 = l;
        fixed &= l == len0;
        if (l && isdigit((unsigned char)w[i][end ? l - 1 : 0])) digit = true;
    }
    return digit && !fixed;
}

/* The same for a column, judged from its spec: dictionaries, choices, maps and integer
 * ranges can be checked; anything else might put a digit there. */
static bool column_digit_edge(gcomp *cc, const mtable *t, int col, bool end)
{
    const ynode *spec = t->cols[col].src ? t->cols[col].src->spec : NULL;
    const ynode *k = yn_get(spec, "gen");
    if (!yn_is_scalar(k)) return true;
    const char *kind = k->str;
    diag quiet;
    diag_init(&quiet, "", NULL);
    bool r = true;
    if (!strcmp(kind, "first_name") || !strcmp(kind, "last_name") || !strcmp(kind, "dict")) {
        const ynode *dn = yn_get(spec, "dict");
        const char *name = dn && yn_is_scalar(dn) ? dn->str
                           : kind[0] == 'f'       ? "first_names"
                                                  : "last_names";
        const dict *d = dict_get(cc->m->dicts, name, &quiet, NULL);
        r = !d || words_digit_edge(d->w, d->len, d->n, end);
    } else if (!strcmp(kind, "choice") || !strcmp(kind, "map")) {
        const ynode *v = yn_get(spec, "values");
        bool out_side = !strcmp(kind, "map"); /* a map's results are its values' values */
        if (yn_is_map(v) || yn_is_seq(v)) {
            size_t n = v->n;
            const char **w = xcalloc(n ? n : 1, sizeof *w);
            bool ok = true;
            for (size_t i = 0; i < n; i++) {
                const ynode *x = yn_is_seq(v) ? v->items[i] : v->items[2 * i + (out_side ? 1 : 0)];
                if (!yn_is_scalar(x))
                    ok = false;
                else
                    w[i] = x->str;
            }
            r = !ok || words_digit_edge(w, NULL, n, end);
            free(w);
        }
    } else if (!strcmp(kind, "int")) {
        int64_t a, b;
        const ynode *mn = yn_get(spec, "min"), *mx = yn_get(spec, "max");
        if (yn_int(mn, &quiet, "", &a) == 0 && yn_int(mx, &quiet, "", &b) == 0 && a >= 0) {
            char sa[24], sb[24];
            r = fmt_i64(a, sa) != fmt_i64(b, sb); /* one number of digits: fixed width */
        }
    }
    diag_free(&quiet);
    return r;
}

static bool part_digit_edge(gcomp *cc, const fmt_part *p, bool end)
{
    switch (p->kind) {
    case P_LIT: {
        char c = p->litlen ? p->lit[end ? p->litlen - 1 : 0] : 'x';
        return isdigit((unsigned char)c);
    }
    case P_DIGITS:
    case P_LETTERS:
    case P_LOWER:
    case P_HEX:
    case P_ALNUM: return false;
    case P_DICT: return words_digit_edge(p->d->w, p->d->len, p->d->n, end);
    case P_CHOICE: return words_digit_edge((const char *const *)p->choices, NULL, p->nchoices, end);
    case P_COL: {
        const mtable *t = p->parent ? &cc->m->t[cc->t->parent] : cc->t;
        return column_digit_edge(cc, t, p->col, end);
    }
    default: return true; /* numbers */
    }
}

/* Parse a pattern into parts. Returns 0, or -1 after a diagnostic at node n. */
static int fmt_compile(gcomp *cc, const ynode *n, const char *pat, const char *path, fmt_part **out,
                       size_t *nout, bool *has_row)
{
    sbuf parts = {0};
    sbuf lit = {0};
    size_t np = 0;
    *has_row = false;
#define FLUSH_LIT()                                                                                \
    do {                                                                                           \
        if (lit.len) {                                                                             \
            fmt_part lp = {0};                                                                     \
            lp.kind = P_LIT;                                                                       \
            lp.litlen = lit.len;                                                                   \
            lp.lit = sbuf_detach(&lit);                                                            \
            sbuf_add(&parts, &lp, sizeof lp);                                                      \
            np++;                                                                                  \
        }                                                                                          \
    } while (0)
    for (const char *p = pat; *p; p++) {
        if (*p == '{' && p[1] == '{') {
            sbuf_addc(&lit, '{');
            p++;
            continue;
        }
        if (*p == '}' && p[1] == '}') {
            sbuf_addc(&lit, '}');
            p++;
            continue;
        }
        if (*p == '}') {
            diag_node(cc->d, n, "pattern '%s': a lone '}' (write '}}' for a literal brace)", pat);
            goto fail;
        }
        if (*p != '{') {
            sbuf_addc(&lit, *p);
            continue;
        }
        const char *close = strchr(p, '}');
        if (!close) {
            diag_node(cc->d, n, "pattern '%s': '{' without a closing '}'", pat);
            goto fail;
        }
        FLUSH_LIT();
        char *spec = xstrndup(p + 1, (size_t)(close - p - 1));
        p = close;
        fmt_part fp = {0};
        char pk[64];
        snprintf(pk, sizeof pk, "#%zu", np);
        sbuf kp = {0};
        sbuf_printf(&kp, "%s%s", path, pk);
        fp.key = rng_key(cc->seed, kp.p);
        sbuf_free(&kp);
        /* filters */
        char *bar = strchr(spec, '|');
        while (bar) {
            *bar = '\0';
            char *f = bar + 1, *nx = strchr(f, '|');
            if (nx) *nx = '\0';
            if (strcmp(f, "lower") == 0)
                fp.filters |= F_LOWER;
            else if (strcmp(f, "upper") == 0)
                fp.filters |= F_UPPER;
            else if (strcmp(f, "slug") == 0)
                fp.filters |= F_SLUG;
            else {
                diag_node(cc->d, n, "pattern '%s': unknown filter '|%s' (lower, upper, slug)", pat,
                          f);
                free(spec);
                goto fail;
            }
            bar = nx ? nx : NULL;
            if (nx) *nx = '|', bar = nx;
            if (nx) {
                *nx = '\0';
                bar = NULL; /* handled below */
                /* re-scan remaining filters */
                char *rest = nx + 1;
                while (rest && *rest) {
                    char *nx2 = strchr(rest, '|');
                    if (nx2) *nx2 = '\0';
                    if (strcmp(rest, "lower") == 0)
                        fp.filters |= F_LOWER;
                    else if (strcmp(rest, "upper") == 0)
                        fp.filters |= F_UPPER;
                    else if (strcmp(rest, "slug") == 0)
                        fp.filters |= F_SLUG;
                    else {
                        diag_node(cc->d, n,
                                  "pattern '%s': unknown filter '|%s' (lower, upper, slug)", pat,
                                  rest);
                        free(spec);
                        goto fail;
                    }
                    rest = nx2 ? nx2 + 1 : NULL;
                }
            }
        }
        char *colon = strchr(spec, ':');
        char *arg = NULL;
        if (colon) {
            *colon = '\0';
            arg = colon + 1;
        }
        int64_t w = 0;
        if (strcmp(spec, "n") == 0 || strcmp(spec, "row") == 0 || strcmp(spec, "perm") == 0 ||
            strcmp(spec, "ord") == 0) {
            fp.kind = spec[0] == 'n'   ? P_N
                      : spec[0] == 'r' ? P_ROW
                      : spec[0] == 'p' ? P_PERM
                                       : P_ORD;
            if (arg && (parse_num(arg, &w) < 0 || w < 0 || w > 40)) {
                diag_node(cc->d, n, "pattern '%s': {%s:%s}: the width must be a number up to 40",
                          pat, spec, arg);
                free(spec);
                goto fail;
            }
            fp.width = (int)w;
            if (fp.kind != P_ORD) *has_row = true;
        } else if (strcmp(spec, "digits") == 0 || strcmp(spec, "letters") == 0 ||
                   strcmp(spec, "lower") == 0 || strcmp(spec, "hex") == 0 ||
                   strcmp(spec, "alnum") == 0) {
            fp.kind = spec[0] == 'd'   ? P_DIGITS
                      : spec[0] == 'h' ? P_HEX
                      : spec[0] == 'a' ? P_ALNUM
                      : spec[1] == 'e' ? P_LETTERS
                                       : P_LOWER;
            w = 1;
            if (arg && (parse_num(arg, &w) < 0 || w < 1 || w > 4096)) {
                diag_node(cc->d, n, "pattern '%s': {%s:%s}: the count must be 1..4096", pat, spec,
                          arg);
                free(spec);
                goto fail;
            }
            fp.width = (int)w;
        } else if (strcmp(spec, "int") == 0) {
            fp.kind = P_INT;
            char *c2 = arg ? strchr(arg, ':') : NULL;
            if (c2) *c2 = '\0';
            if (!arg || !c2 || parse_num(arg, &fp.a) < 0 || parse_num(c2 + 1, &fp.b) < 0 ||
                fp.b < fp.a) {
                diag_node(cc->d, n, "pattern '%s': write {int:MIN:MAX}", pat);
                free(spec);
                goto fail;
            }
        } else if (strcmp(spec, "dict") == 0) {
            fp.kind = P_DICT;
            if (!arg || !(fp.d = dict_get(cc->m->dicts, arg, cc->d, n))) {
                if (!arg) diag_node(cc->d, n, "pattern '%s': write {dict:NAME}", pat);
                free(spec);
                goto fail;
            }
        } else if (strcmp(spec, "choice") == 0) {
            fp.kind = P_CHOICE;
            if (!arg || !*arg) {
                diag_node(cc->d, n, "pattern '%s': write {choice:a,b,c}", pat);
                free(spec);
                goto fail;
            }
            for (char *q = arg, *cm; q; q = cm ? cm + 1 : NULL) {
                cm = strchr(q, ',');
                fp.choices = xrealloc(fp.choices, (fp.nchoices + 1) * sizeof(char *));
                fp.choices[fp.nchoices++] = cm ? xstrndup(q, (size_t)(cm - q)) : xstrdup(q);
            }
        } else {
            fp.kind = P_COL;
            if (arg && (parse_num(arg, &w) < 0 || w < 0 || w > 40)) {
                diag_node(
                    cc->d, n,
                    "pattern '%s': {%s:%s}: after a column name comes a zero-pad width (up to 40)",
                    pat, spec, arg);
                free(spec);
                goto fail;
            }
            fp.width = arg ? (int)w : 0;
            if (cc->col < 0 && !cc->t) {
                free(spec);
                goto fail;
            }
            fp.col = gcomp_column(cc, n, spec, true, &fp.parent);
            if (fp.col < 0) {
                free(spec);
                goto fail;
            }
        }
        free(spec);
        sbuf_add(&parts, &fp, sizeof fp);
        np++;
    }
    FLUSH_LIT();
#undef FLUSH_LIT
    sbuf_free(&lit);
    *out = (fmt_part *)sbuf_detach(&parts);
    *nout = np;
    /* The row number proves uniqueness only when nothing beside it can run into its digits:
     * {int:1:20}{n} makes "201" for (20, 1) and (2, 01). */
    *has_row = false;
    for (size_t i = 0; i < np; i++) {
        int k = (*out)[i].kind;
        if (k != P_N && k != P_ROW && k != P_PERM) continue;
        if ((i == 0 || !part_digit_edge(cc, &(*out)[i - 1], true)) &&
            (i + 1 == np || !part_digit_edge(cc, &(*out)[i + 1], false)))
            *has_row = true;
    }
    return 0;
fail:
    sbuf_free(&lit);
    fmt_free((fmt_part *)parts.p, np);
    parts.p = NULL;
    return -1;
}

static void free_fmt(gen *g)
{
    fmt_free(g->fmt.parts, g->fmt.n);
}

static void fn_format(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    sbuf *b = &c->tmp;
    /* The builder is shared: render into a fresh region and copy out, so that nested
     * patterns (a column referenced from a pattern) do not clobber each other. */
    size_t start = b->len;
    fmt_render(g->fmt.parts, g->fmt.n, c, f, key == g->key ? 0 : key, b);
    if (g->scale == 1) /* e-mail addresses are written in lower case */
        for (size_t i = start; i < b->len; i++) b->p[i] = (char)tolower((unsigned char)b->p[i]);
    out->t = VT_TEXT;
    out->len = (uint32_t)(b->len - start);
    out->s = row_text(c, b->p + start, b->len - start);
    b->len = start;
    if (b->p) b->p[start] = '\0';
}

static void fin_fmt(gen *g, const model *m)
{
    uint64_t rows = g->tbl >= 0 ? m->t[g->tbl].nrows : 1; /* auxiliary tables have no size */
    for (size_t i = 0; i < g->fmt.n; i++)
        if (g->fmt.parts[i].kind == P_PERM)
            rng_perm_init(&g->fmt.parts[i].perm, rows ? rows : 1, g->fmt.parts[i].key);
}

/* ---- dictionary picks and prose -------------------------------------------------------- */

static void fn_dict(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    (void)c;
    size_t k = g->unique ? (size_t)rng_perm_apply(&g->dict.perm, f->row)
                         : (size_t)rng_below(rng_at(key, f->row, 0), g->dict.d->n);
    out->t = VT_TEXT;
    out->s = g->dict.d->w[k];
    out->len = g->dict.d->len[k];
}

static void fin_dict(gen *g, const model *m)
{
    (void)m;
    if (g->unique) rng_perm_init(&g->dict.perm, g->dict.d->n, g->key);
}

enum { T_WORDS, T_SENTENCE, T_PARAGRAPH, T_TEXT };

static void add_sentence(sbuf *b, const dict *d, uint64_t key, uint64_t row, uint64_t *sub,
                         int64_t nw)
{
    for (int64_t i = 0; i < nw; i++) {
        size_t k = (size_t)rng_below(rng_at(key, row, (*sub)++), d->n);
        if (i) sbuf_addc(b, ' ');
        size_t from = b->len;
        sbuf_add(b, d->w[k], d->len[k]);
        if (i == 0) b->p[from] = (char)toupper((unsigned char)b->p[from]);
    }
    sbuf_addc(b, '.');
}

static void fn_prose(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    sbuf *b = &c->tmp;
    size_t start = b->len;
    const dict *d = g->text.d;
    uint64_t sub = 1;
    int64_t n = rng_range(rng_at(key, f->row, 0), g->text.min, g->text.max);
    switch (g->scale) { /* scale holds the prose kind */
    case T_WORDS:
        for (int64_t i = 0; i < n; i++) {
            size_t k = (size_t)rng_below(rng_at(key, f->row, sub++), d->n);
            if (i) sbuf_addc(b, ' ');
            sbuf_add(b, d->w[k], d->len[k]);
        }
        break;
    case T_SENTENCE: add_sentence(b, d, key, f->row, &sub, n); break;
    case T_PARAGRAPH:
        for (int64_t i = 0; i < n; i++) {
            if (i) sbuf_addc(b, ' ');
            add_sentence(b, d, key, f->row, &sub,
                         rng_range(rng_at(key, f->row, sub + 1000), 5, 14));
            sub++;
        }
        break;
    default: /* exact length in characters (ASCII words) */
        while ((int64_t)(b->len - start) < n) {
            size_t k = (size_t)rng_below(rng_at(key, f->row, sub++), d->n);
            if (b->len > start) sbuf_addc(b, ' ');
            sbuf_add(b, d->w[k], d->len[k]);
        }
        b->len = start + (size_t)n;
        if (n > 0) b->p[start] = (char)toupper((unsigned char)b->p[start]);
        if (n > 1 && b->p[b->len - 1] == ' ') b->p[b->len - 1] = '.';
        break;
    }
    out->t = VT_TEXT;
    out->len = (uint32_t)(b->len - start);
    out->s = row_text(c, b->p + start, b->len - start);
    b->len = start;
    if (b->p) b->p[start] = '\0';
}

/* ---- JSON templates ------------------------------------------------------------------------ */

enum { J_LIT, J_OBJ, J_ARR, J_GEN };

struct jnode {
    int kind;
    char *lit; /* J_LIT: JSON text */
    size_t litlen;
    char **keys; /* J_OBJ: quoted keys (JSON text) */
    jnode **kids;
    size_t n;
    int64_t amin, amax; /* J_ARR */
    expr *len;          /* J_ARR: length from an expression */
    gen *lenholder;     /* the generator the length expression belongs to */
    uint64_t key;
    gen *g; /* J_GEN */
};

void jnode_free(jnode *j)
{
    if (!j) return;
    free(j->lit);
    for (size_t i = 0; i < j->n; i++) {
        if (j->keys) free(j->keys[i]);
        jnode_free(j->kids[i]);
    }
    free(j->keys);
    free(j->kids);
    gen_free(j->g);
    expr_free(j->len);
    free(j);
}

static void free_json(gen *g)
{
    jnode_free(g->json.root);
}

/* The most values a template can produce (arrays at their longest). */
static double jmax(const jnode *j)
{
    double s = 1;
    if (j->kind == J_ARR) return (j->len ? 100000.0 : (double)j->amax) * jmax(j->kids[0]);
    for (size_t i = 0; i < j->n; i++) s += jmax(j->kids[i]);
    return s;
}

static void jfin(jnode *j, const model *m)
{
    if (j->g && j->g->fin) j->g->fin(j->g, m);
    for (size_t i = 0; i < j->n; i++) jfin(j->kids[i], m);
}

static void fin_json(gen *g, const model *m)
{
    jfin(g->json.root, m);
}

static jnode *jcompile(gcomp *cc, gen *root, const ynode *n, const char *path)
{
    jnode *j = xcalloc(1, sizeof *j);
    j->key = rng_key(cc->seed, path);
    if (yn_is_map(n) && yn_get(n, "gen")) {
        j->kind = J_GEN;
        int save = cc->col;
        cc->col = -1;
        j->g = gen_compile(cc, n, path);
        cc->col = save;
        if (!j->g) {
            jnode_free(j);
            return NULL;
        }
        for (size_t i = 0; i < j->g->ndeps; i++) gen_add_dep(root, j->g->deps[i]);
        return j;
    }
    if (yn_is_map(n) && yn_get(n, "array")) {
        j->kind = J_ARR;
        const ynode *a = yn_get(n, "array"), *of = yn_get(n, "of");
        static const char *const akeys[] = {"array", "of", NULL};
        yn_check_keys(n, akeys, cc->d, "a JSON array template");
        bool bad = false;
        if (yn_is_scalar(a)) {
            bad = yn_int(a, cc->d, "array", &j->amin) < 0;
            j->amax = j->amin;
        } else if (yn_is_seq(a) && a->n == 2) {
            bad = yn_int(a->items[0], cc->d, "array min", &j->amin) < 0 ||
                  yn_int(a->items[1], cc->d, "array max", &j->amax) < 0;
        } else if (yn_is_map(a) && yn_get(a, "min") && yn_get(a, "max")) {
            bad = yn_int(yn_get(a, "min"), cc->d, "array min", &j->amin) < 0 ||
                  yn_int(yn_get(a, "max"), cc->d, "array max", &j->amax) < 0;
        } else if (yn_is_map(a) && yn_is_scalar(yn_get(a, "expr"))) {
            j->lenholder = root;
            j->len = expr_compile(cc, root, yn_get(a, "expr"), yn_get(a, "expr")->str);
            bad = j->len == NULL;
        } else {
            diag_node(cc->d, a, "array: a length N, [min, max], {min:, max:} or {expr: \"...\"}");
            bad = true;
        }
        if (!bad && (j->amin < 0 || j->amax < j->amin || j->amax > 100000)) {
            diag_node(cc->d, a, "array length must be 0 ≤ min ≤ max ≤ 100000");
            bad = true;
        }
        if (!bad && !of) {
            diag_node(cc->d, n, "an array template needs `of:` (the element template)");
            bad = true;
        }
        if (bad) {
            jnode_free(j);
            return NULL;
        }
        j->kids = xcalloc(1, sizeof *j->kids);
        sbuf p = {0};
        sbuf_printf(&p, "%s[]", path);
        j->kids[0] = jcompile(cc, root, of, p.p);
        sbuf_free(&p);
        j->n = 1;
        if (!j->kids[0]) {
            jnode_free(j);
            return NULL;
        }
        return j;
    }
    if (yn_is_map(n)) {
        j->kind = J_OBJ;
        j->keys = xcalloc(n->n ? n->n : 1, sizeof *j->keys);
        j->kids = xcalloc(n->n ? n->n : 1, sizeof *j->kids);
        for (size_t i = 0; i < n->n; i++) {
            const ynode *k = n->items[2 * i];
            sbuf q = {0};
            json_quote(&q, k->str, k->len);
            sbuf_addc(&q, ':');
            j->keys[i] = sbuf_detach(&q);
            sbuf p = {0};
            sbuf_printf(&p, "%s.%s", path, k->str);
            j->kids[i] = jcompile(cc, root, n->items[2 * i + 1], p.p);
            sbuf_free(&p);
            j->n = i + 1;
            if (!j->kids[i]) {
                jnode_free(j);
                return NULL;
            }
        }
        return j;
    }
    if (yn_is_seq(n)) { /* a fixed list: each element its own template */
        j->kind = J_OBJ;
        j->kids = xcalloc(n->n ? n->n : 1, sizeof *j->kids);
        j->keys = NULL;
        for (size_t i = 0; i < n->n; i++) {
            sbuf p = {0};
            sbuf_printf(&p, "%s[%zu]", path, i);
            j->kids[i] = jcompile(cc, root, n->items[i], p.p);
            sbuf_free(&p);
            j->n = i + 1;
            if (!j->kids[i]) {
                jnode_free(j);
                return NULL;
            }
        }
        j->amin = -1; /* marks a list */
        return j;
    }
    j->kind = J_LIT;
    sbuf b = {0};
    yaml_to_json(n, &b);
    j->litlen = b.len;
    j->lit = sbuf_detach(&b);
    return j;
}

static void jrender(const jnode *j, genctx *c, frame *f, uint64_t salt, sbuf *b)
{
    switch (j->kind) {
    case J_LIT: sbuf_add(b, j->lit, j->litlen); break;
    case J_OBJ: {
        bool list = j->keys == NULL;
        sbuf_addc(b, list ? '[' : '{');
        for (size_t i = 0; i < j->n; i++) {
            if (i) sbuf_addc(b, ',');
            if (!list) sbuf_adds(b, j->keys[i]);
            jrender(j->kids[i], c, f, salt, b);
        }
        sbuf_addc(b, list ? ']' : '}');
        break;
    }
    case J_ARR: {
        uint64_t key = salt ? sl_mix64(j->key ^ salt) : j->key;
        int64_t n;
        if (j->len) {
            double x = expr_eval(j->len, j->lenholder, c, f, key);
            n = isnan(x) || x < 0 ? 0 : x > 100000 ? 100000 : (int64_t)x;
        } else {
            n = rng_range(rng_at(key, f->row, 0), j->amin, j->amax);
        }
        int64_t outer = c->elem;
        sbuf_addc(b, '[');
        for (int64_t i = 0; i < n; i++) {
            if (i) sbuf_addc(b, ',');
            c->elem = i;
            jrender(j->kids[0], c, f, sl_mix64(salt + 0x9E3779B97F4A7C15ULL * (uint64_t)(i + 1)),
                    b);
        }
        c->elem = outer;
        sbuf_addc(b, ']');
        break;
    }
    case J_GEN: {
        const gen *g = j->g;
        uint64_t key = salt ? sl_mix64(g->key ^ salt) : g->key;
        val v;
        if (g->null_ratio > 0 && rng_unit(rng_at(key, f->row, SUB_NULL)) < g->null_ratio)
            v.t = VT_NULL;
        else if (g->null_when && expr_eval(g->null_when, g, c, f, key) != 0)
            v.t = VT_NULL;
        else
            g->fn(g, c, f, key, &v);
        json_val(b, &v);
        break;
    }
    }
}

static void fn_json(const gen *g, genctx *c, frame *f, uint64_t key, val *out)
{
    sbuf *b = &c->tmp;
    size_t start = b->len;
    jrender(g->json.root, c, f, key == g->key ? 0 : sl_mix64(key), b);
    out->t = VT_JSON;
    out->len = (uint32_t)(b->len - start);
    out->s = row_text(c, b->p + start, b->len - start);
    b->len = start;
    if (b->p) b->p[start] = '\0';
}

/* ---- compile ------------------------------------------------------------------------------- */

static int check_keys(gcomp *cc, const ynode *spec, const char *kind, const char *const *own)
{
    const char *all[24] = {"gen", "null", "unique"};
    size_t n = 3;
    for (size_t i = 0; own[i]; i++) all[n++] = own[i];
    all[n] = NULL;
    char ctx[64];
    snprintf(ctx, sizeof ctx, "generator '%s'", kind);
    return yn_check_keys(spec, all, cc->d, ctx);
}

static int range_opt(gcomp *cc, const ynode *spec, const char *kmin, const char *kmax, int64_t *mn,
                     int64_t *mx)
{
    const ynode *a = yn_get(spec, kmin), *b = yn_get(spec, kmax), *cnt = yn_get(spec, "count");
    if (cnt) {
        if (yn_int(cnt, cc->d, "count", mn) < 0) return -1;
        *mx = *mn;
    }
    if (a && yn_int(a, cc->d, kmin, mn) < 0) return -1;
    if (b && yn_int(b, cc->d, kmax, mx) < 0) return -1;
    if (*mn < 0 || *mx < *mn) {
        diag_node(cc->d, b ? b : spec, "%s/%s must satisfy 0 <= %s <= %s", kmin, kmax, kmin, kmax);
        return -1;
    }
    if (*mx > 1000000) {
        diag_node(cc->d, b ? b : spec, "%s = %lld is absurd here", kmax, (long long)*mx);
        return -1;
    }
    return 0;
}

gen *gen_compile_text(gcomp *cc, const char *kind, const ynode *spec, const char *path)
{
    gen *g = gen_new(cc, spec, path);
    g->type = VT_TEXT;
    g->kind = kind;
    const char *pattern = NULL;
    static const char *const k_pat[] = {"pattern", NULL}, *const k_dict[] = {"dict", NULL},
                             *const k_none[] = {NULL},
                             *const k_words[] = {"min", "max", "count", "dict", NULL},
                             *const k_text[] = {"min_len", "max_len", "dict", NULL},
                             *const k_json[] = {"template", NULL};
    if (strcmp(kind, "format") == 0 || strcmp(kind, "email") == 0 || strcmp(kind, "phone") == 0) {
        check_keys(cc, spec, kind, k_pat);
        const ynode *pn = yn_get(spec, "pattern");
        if (pn) {
            if (yn_str(pn, cc->d, "pattern", &pattern) < 0) goto fail;
        } else if (kind[0] == 'e') {
            pattern = "{dict:first_names|slug}.{dict:last_names|slug}{n}@{dict:email_domains}";
        } else if (kind[0] == 'p') {
            pattern = "+1-{int:200:999}-{digits:3}-{digits:4}";
        } else {
            diag_node(cc->d, spec, "generator 'format' needs `pattern:`");
            goto fail;
        }
        bool has_row;
        if (fmt_compile(cc, pn ? pn : spec, pattern, path, &g->fmt.parts, &g->fmt.n, &has_row) < 0)
            goto fail;
        g->free_fn = free_fmt;
        g->fin = fin_fmt;
        g->fn = fn_format;
        g->scale = kind[0] == 'e'; /* marks e-mail: lower-cased */
        g->row_unique = has_row;
        for (size_t i = 0; i < g->fmt.n; i++)
            if (g->fmt.parts[i].kind == P_COL && !g->fmt.parts[i].parent)
                gen_add_dep(g, g->fmt.parts[i].col);
        const ynode *un = yn_get(spec, "unique");
        bool uq = false;
        if (un && yn_bool(un, cc->d, "unique", &uq) == 0 && uq && !has_row) {
            diag_node(cc->d, un,
                      "pattern '%s' cannot promise unique values: it needs {n}, {row} or "
                      "{perm} with no digits right beside it (put a separator such as '-' "
                      "between it and a number or a column)",
                      pattern);
            goto fail;
        }
        return g;
    }
    if (strcmp(kind, "dict") == 0 || strcmp(kind, "first_name") == 0 ||
        strcmp(kind, "last_name") == 0) {
        const char *name = kind[0] == 'f' ? "first_names" : kind[0] == 'l' ? "last_names" : NULL;
        check_keys(cc, spec, kind, kind[0] == 'd' ? k_dict : k_none);
        const ynode *dn = yn_get(spec, "dict");
        if (dn && yn_str(dn, cc->d, "dict", &name) < 0) goto fail;
        if (!name) {
            diag_node(cc->d, spec,
                      "generator 'dict' needs `dict:` (a file under the dicts directory)");
            goto fail;
        }
        if (!(g->dict.d = dict_get(cc->m->dicts, name, cc->d, dn ? dn : spec))) goto fail;
        g->fn = fn_dict;
        g->fin = fin_dict;
        return g;
    }
    int tk = strcmp(kind, "words") == 0       ? T_WORDS
             : strcmp(kind, "sentence") == 0  ? T_SENTENCE
             : strcmp(kind, "paragraph") == 0 ? T_PARAGRAPH
             : strcmp(kind, "text") == 0      ? T_TEXT
                                              : -1;
    if (tk >= 0) {
        check_keys(cc, spec, kind, tk == T_TEXT ? k_text : k_words);
        g->text.min = tk == T_WORDS ? 1 : tk == T_SENTENCE ? 6 : tk == T_PARAGRAPH ? 3 : 0;
        g->text.max = tk == T_WORDS ? 3 : tk == T_SENTENCE ? 14 : tk == T_PARAGRAPH ? 6 : 0;
        if (tk == T_TEXT) {
            if (!yn_get(spec, "max_len")) {
                diag_node(cc->d, spec,
                          "generator 'text' needs `max_len:` (and optionally min_len:)");
                goto fail;
            }
            if (range_opt(cc, spec, "min_len", "max_len", &g->text.min, &g->text.max) < 0)
                goto fail;
        } else if (range_opt(cc, spec, "min", "max", &g->text.min, &g->text.max) < 0) {
            goto fail;
        }
        const char *name = "words";
        const ynode *dn = yn_get(spec, "dict");
        if (dn && yn_str(dn, cc->d, "dict", &name) < 0) goto fail;
        if (!(g->text.d = dict_get(cc->m->dicts, name, cc->d, dn ? dn : spec))) goto fail;
        g->scale = tk;
        g->fn = fn_prose;
        return g;
    }
    /* json */
    check_keys(cc, spec, kind, k_json);
    const ynode *tn = yn_get(spec, "template");
    if (!tn) {
        diag_node(cc->d, spec, "generator 'json' needs `template:`");
        goto fail;
    }
    g->free_fn = free_json;
    if (!(g->json.root = jcompile(cc, g, tn, path))) goto fail;
    if (jmax(g->json.root) > 1e6) {
        diag_node(cc->d, tn, "this template can make documents of more than a million values");
        goto fail;
    }
    g->type = VT_JSON;
    g->fn = fn_json;
    g->fin = fin_json;
    return g;
fail:
    gen_free(g);
    return NULL;
}

/* ---- edge-case boundaries for text --------------------------------------------------------- */

size_t gen_text_boundaries(const gen *g, model *m, const sch_col *sc, val *out, size_t max)
{
    static const char *const textual[] = {"format",     "email",     "phone", "dict",
                                          "first_name", "last_name", "words", "sentence",
                                          "paragraph",  "text",      NULL};
    bool is_text = false;
    for (size_t i = 0; textual[i]; i++) is_text |= strcmp(g->kind, textual[i]) == 0;
    if (!is_text || max < 3) return 0;
    arena *a = (arena *)m->arena;
    size_t n = 0;
    int64_t maxlen =
        sc && sc->maxlen > 0 ? sc->maxlen : (strcmp(g->kind, "text") == 0 ? g->text.max : 0);
    /* empty text */
    out[n].t = VT_TEXT, out[n].s = "", out[n++].len = 0;
    /* the longest text the column takes */
    if (maxlen > 0) {
        sbuf b = {0};
        bool prose = strcmp(g->kind, "words") == 0 || strcmp(g->kind, "sentence") == 0 ||
                     strcmp(g->kind, "paragraph") == 0 || strcmp(g->kind, "text") == 0;
        const dict *d = prose ? g->text.d : NULL;
        for (size_t i = 0; (int64_t)b.len < maxlen; i++) {
            if (b.len) sbuf_addc(&b, ' ');
            if (d)
                sbuf_add(&b, d->w[i % d->n], d->len[i % d->n]);
            else
                sbuf_adds(&b, "Maximum");
        }
        if (b.p[maxlen - 1] == ' ') b.p[maxlen - 1] = '.'; /* no invisible trailing space */
        out[n].t = VT_TEXT;
        out[n].len = (uint32_t)maxlen;
        out[n++].s = arena_strndup(a, b.p, (size_t)maxlen);
        sbuf_free(&b);
    }
    /* multi-byte UTF-8 (kept within the declared length in characters) */
    diag quiet;
    diag_init(&quiet, "", NULL);
    const dict *u = dict_get(m->dicts, "utf8_names", &quiet, NULL);
    diag_free(&quiet);
    sbuf b = {0};
    if (u) {
        for (size_t i = 0; i < u->n && b.len < 400; i++) {
            if (b.len) sbuf_adds(&b, ", ");
            sbuf_add(&b, u->w[i], u->len[i]);
        }
    } else {
        sbuf_adds(&b, "Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m \xe6\x97\xa5\xe6\x9c\xac "
                      "\xf0\x9f\x98\x80");
    }
    size_t lim = maxlen > 0 ? (size_t)maxlen : 40;
    size_t bytes = utf8_prefix(b.p, b.len, lim);
    while (bytes > 0 && (b.p[bytes - 1] == ' ' || b.p[bytes - 1] == ',')) bytes--;
    out[n].t = VT_TEXT;
    out[n].len = (uint32_t)bytes;
    out[n++].s = arena_strndup(a, b.p, bytes);
    sbuf_free(&b);
    return n;
}
