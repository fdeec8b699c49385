/* ydoc.c — YAML documents as position-carrying node trees (libyaml event parser), and the
 * diagnostics that quote a file's line with a caret under the offending column. */
#include "seedload/ydoc.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

/* ---- diagnostics ------------------------------------------------------------------- */

void diag_init(diag *d, const char *path, const char *text)
{
    memset(d, 0, sizeof *d);
    d->path = path;
    d->text = text;
}

void diag_free(diag *d)
{
    sbuf_free(&d->out);
}

static void quote_line(diag *d, int line, int col)
{
    if (!d->text || line < 1) return;
    const char *p = d->text;
    for (int l = 1; l < line && p; l++) {
        p = strchr(p, '\n');
        if (p) p++;
    }
    if (!p || !*p) return;
    size_t len = strcspn(p, "\r\n");
    sbuf_adds(&d->out, "    ");
    sbuf_add(&d->out, p, len);
    sbuf_adds(&d->out, "\n    ");
    /* Caret under column col (columns count characters; keep tabs so it lines up). */
    int c = 1;
    for (size_t i = 0; i < len && c < col; i++) {
        unsigned char ch = (unsigned char)p[i];
        if ((ch & 0xC0) == 0x80) continue;
        sbuf_addc(&d->out, ch == '\t' ? '\t' : ' ');
        c++;
    }
    sbuf_adds(&d->out, "^\n");
}

static void vdiag(diag *d, const char *kind, int line, int col, const char *fmt, va_list ap)
{
    if (line > 0)
        sbuf_printf(&d->out, "%s:%d:%d: %s", d->path, line, col > 0 ? col : 1, kind);
    else
        sbuf_printf(&d->out, "%s: %s", d->path, kind);
    sbuf_vprintf(&d->out, fmt, ap);
    sbuf_addc(&d->out, '\n');
    quote_line(d, line, col);
}

void diag_error(diag *d, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdiag(d, "error: ", line, col, fmt, ap);
    va_end(ap);
    d->errors++;
}

void diag_warn(diag *d, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdiag(d, "warning: ", line, col, fmt, ap);
    va_end(ap);
    d->warnings++;
}

void diag_node(diag *d, const ynode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdiag(d, "error: ", n ? n->line : 0, n ? n->col : 0, fmt, ap);
    va_end(ap);
    d->errors++;
}

/* ---- arena --------------------------------------------------------------------------- */

typedef struct ablock {
    struct ablock *next;
    size_t used, cap;
    _Alignas(16) unsigned char mem[];
} ablock;

struct ydoc {
    ablock *blocks;
    ynode *root;
    char *text;
    size_t len;
};

static void *aalloc(ydoc *doc, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    ablock *b = doc->blocks;
    if (!b || b->used + n > b->cap) {
        size_t cap = n > 65536 ? n : 65536;
        b = xmalloc(sizeof *b + cap);
        b->cap = cap;
        b->used = 0;
        b->next = doc->blocks;
        doc->blocks = b;
    }
    void *p = b->mem + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

void ydoc_free(ydoc *doc)
{
    if (!doc) return;
    for (ablock *b = doc->blocks, *nx; b; b = nx) {
        nx = b->next;
        free(b);
    }
    free(doc->text);
    free(doc);
}

const ynode *ydoc_root(const ydoc *doc)
{
    return doc ? doc->root : NULL;
}
const char *ydoc_text(const ydoc *doc)
{
    return doc ? doc->text : NULL;
}

/* ---- building the tree ----------------------------------------------------------------- */

typedef struct frame {
    ynode *node;
    sbuf items; /* ynode* array under construction */
} frame;

typedef struct anchor {
    char *name;
    ynode *node;
} anchor;

static void push_item(frame *f, ynode *n)
{
    sbuf_add(&f->items, &n, sizeof n);
}

static bool has_key(ynode **items, size_t npairs, const char *k)
{
    for (size_t i = 0; i < npairs; i++)
        if (items[2 * i]->kind == YN_SCALAR && strcmp(items[2 * i]->str, k) == 0) return true;
    return false;
}

/* YAML merge keys: `<<: *base` (or a list of them) adds the pairs of those mappings that the
 * mapping does not set itself. */
static void merge_keys(frame *f)
{
    size_t n = f->items.len / sizeof(ynode *);
    ynode **it = (ynode **)f->items.p;
    bool any = false;
    for (size_t i = 0; i + 1 < n; i += 2)
        any |= it[i]->kind == YN_SCALAR && !it[i]->quoted && strcmp(it[i]->str, "<<") == 0;
    if (!any) return;
    sbuf out = {0};
    for (size_t i = 0; i + 1 < n; i += 2)
        if (!(it[i]->kind == YN_SCALAR && !it[i]->quoted && strcmp(it[i]->str, "<<") == 0)) {
            sbuf_add(&out, &it[i], sizeof(ynode *));
            sbuf_add(&out, &it[i + 1], sizeof(ynode *));
        }
    for (size_t i = 0; i + 1 < n; i += 2) {
        if (!(it[i]->kind == YN_SCALAR && !it[i]->quoted && strcmp(it[i]->str, "<<") == 0))
            continue;
        ynode *v = it[i + 1];
        size_t nsrc = v->kind == YN_SEQ ? v->n : 1;
        for (size_t s = 0; s < nsrc; s++) {
            ynode *src = v->kind == YN_SEQ ? v->items[s] : v;
            if (src->kind != YN_MAP) continue;
            for (size_t k = 0; k < src->n; k++) {
                ynode *key = src->items[2 * k];
                if (key->kind == YN_SCALAR &&
                    has_key((ynode **)out.p, out.len / (2 * sizeof(ynode *)), key->str))
                    continue;
                sbuf_add(&out, &src->items[2 * k], sizeof(ynode *));
                sbuf_add(&out, &src->items[2 * k + 1], sizeof(ynode *));
            }
        }
    }
    sbuf_free(&f->items);
    f->items = out;
}

static void finish(ydoc *doc, frame *f)
{
    if (f->node->kind == YN_MAP) merge_keys(f);
    size_t n = f->items.len / sizeof(ynode *);
    f->node->items = aalloc(doc, (n ? n : 1) * sizeof(ynode *));
    if (n) memcpy(f->node->items, f->items.p, n * sizeof(ynode *));
    f->node->n = f->node->kind == YN_MAP ? n / 2 : n;
    sbuf_free(&f->items);
}

static void check_dup_keys(const ynode *m, diag *d)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->items[2 * i]->kind != YN_SCALAR)
            diag_error(d, m->items[2 * i]->line, m->items[2 * i]->col,
                       "a key must be a plain name, not %s",
                       m->items[2 * i]->kind == YN_MAP ? "a mapping" : "a list");
    for (size_t i = 1; i < m->n; i++) {
        const ynode *k = m->items[2 * i];
        if (k->kind != YN_SCALAR) continue;
        for (size_t j = 0; j < i; j++) {
            const ynode *o = m->items[2 * j];
            if (o->kind == YN_SCALAR && strcmp(o->str, k->str) == 0) {
                diag_error(d, k->line, k->col, "duplicate key '%s' (first at line %d)", k->str,
                           o->line);
                break;
            }
        }
    }
}

/* Nodes in the tree with every alias expanded, stopping once past a limit. */
static size_t expanded_size(const ynode *n, int depth)
{
    if (!n || depth > 200) return 1;
    size_t s = 1, items = n->kind == YN_MAP ? 2 * n->n : n->kind == YN_SEQ ? n->n : 0;
    for (size_t i = 0; i < items && s <= 1000000; i++) s += expanded_size(n->items[i], depth + 1);
    return s;
}

int ydoc_parse(const char *name, const char *text, size_t len, ydoc **out, diag *d, sl_err *e)
{
    *out = NULL;
    ydoc *doc = xcalloc(1, sizeof *doc);
    doc->text = xstrndup(text, len);
    doc->len = len;
    d->text = doc->text;

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        ydoc_free(doc);
        return sl_fail(e, SL_EXIT_IO, "%s: cannot initialise the YAML parser", name);
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)doc->text, len);

    frame stack[64];
    int depth = 0, docs = 0, rc = 0;
    anchor *anchors = NULL;
    size_t nanchors = 0;
    bool nanchors_used = false;
    bool done = false;
    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            int line = (int)parser.problem_mark.line + 1, col = (int)parser.problem_mark.column + 1;
            /* Past the end of the file (an unclosed quote or bracket): point at the last line. */
            int last = 1;
            for (const char *q = doc->text; *q; q++) last += *q == '\n' && q[1];
            if (line > last) line = last, col = 1;
            if (parser.context) {
                int cl = (int)parser.context_mark.line + 1,
                    cc = (int)parser.context_mark.column + 1;
                diag_error(d, line, col,
                           "YAML syntax error: %s %s (which started at line %d, column %d)",
                           parser.problem ? parser.problem : "?", parser.context, cl, cc);
                if (cl != line)
                    diag_error(d, cl, cc, "the construct that is not closed starts here");
            } else {
                diag_error(d, line, col, "YAML syntax error: %s",
                           parser.problem ? parser.problem : "?");
            }
            rc = -1;
            break;
        }
        ynode *n = NULL;
        const char *anchor_name = NULL;
        int line = (int)ev.start_mark.line + 1, col = (int)ev.start_mark.column + 1;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT: done = true; break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) {
                diag_error(d, line, col, "a profile holds one YAML document; found a second one");
                rc = -1;
                done = true;
            }
            break;
        case YAML_SCALAR_EVENT:
            n = aalloc(doc, sizeof *n);
            n->kind = YN_SCALAR;
            n->str = aalloc(doc, ev.data.scalar.length + 1);
            memcpy((char *)n->str, ev.data.scalar.value, ev.data.scalar.length);
            n->len = ev.data.scalar.length;
            n->quoted = ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
            anchor_name = (const char *)ev.data.scalar.anchor;
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (depth == 64) {
                diag_error(d, line, col, "nesting deeper than 64 levels");
                rc = -1;
                done = true;
                break;
            }
            n = aalloc(doc, sizeof *n);
            n->kind = ev.type == YAML_SEQUENCE_START_EVENT ? YN_SEQ : YN_MAP;
            anchor_name =
                (const char *)(ev.type == YAML_SEQUENCE_START_EVENT ? ev.data.sequence_start.anchor
                                                                    : ev.data.mapping_start.anchor);
            break;
        case YAML_ALIAS_EVENT: {
            nanchors_used = true;
            const char *a = (const char *)ev.data.alias.anchor;
            for (size_t i = 0; i < nanchors; i++)
                if (strcmp(anchors[i].name, a) == 0) n = anchors[i].node;
            if (!n) {
                diag_error(d, line, col, "unknown alias '*%s'", a);
                rc = -1;
                done = true;
                break;
            }
            /* An alias to a node still open on the stack would make the tree contain itself. */
            for (int k = 0; k < depth; k++)
                if (stack[k].node == n) {
                    diag_error(d, line, col, "alias '*%s' refers to a node that contains it", a);
                    rc = -1;
                    done = true;
                    n = NULL;
                    break;
                }
            break;
        }
        default: break;
        }
        if (n) {
            n->line = n->line ? n->line : line;
            n->col = n->col ? n->col : col;
            if (anchor_name) {
                anchors = xrealloc(anchors, (nanchors + 1) * sizeof *anchors);
                anchors[nanchors].name = xstrdup(anchor_name);
                anchors[nanchors++].node = n;
            }
            if (depth > 0)
                push_item(&stack[depth - 1], n);
            else
                doc->root = n;
            if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) {
                stack[depth].node = n;
                memset(&stack[depth].items, 0, sizeof stack[depth].items);
                depth++;
            }
        }
        if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
            depth--;
            finish(doc, &stack[depth]);
            if (stack[depth].node->kind == YN_MAP) check_dup_keys(stack[depth].node, d);
        }
        yaml_event_delete(&ev);
    }
    while (depth > 0) sbuf_free(&stack[--depth].items);
    for (size_t i = 0; i < nanchors; i++) free(anchors[i].name);
    free(anchors);
    yaml_parser_delete(&parser);
    /* Aliases share nodes, but whoever walks the tree visits every use: bound the expanded
     * size ("billion laughs"). */
    if (rc == 0 && !d->errors && doc->root && nanchors_used &&
        expanded_size(doc->root, 0) > 1000000)
        diag_error(d, 1, 1, "aliases expand this document to more than a million nodes");
    if (rc < 0 || d->errors) {
        ydoc_free(doc);
        d->text = NULL;
        return sl_fail(e, SL_EXIT_USAGE, "%s: invalid YAML", name);
    }
    *out = doc;
    return 0;
}

int ydoc_load(const char *path, ydoc **out, diag *d, sl_err *e)
{
    char *text;
    size_t len;
    *out = NULL;
    if (sl_read_file(path, &text, &len, e) < 0) return -1;
    int rc = ydoc_parse(path, text, len, out, d, e);
    free(text);
    return rc;
}

/* ---- queries ------------------------------------------------------------------------- */

const ynode *yn_key(const ynode *m, const char *key)
{
    if (!yn_is_map(m)) return NULL;
    for (size_t i = 0; i < m->n; i++) {
        const ynode *k = m->items[2 * i];
        if (k->kind == YN_SCALAR && strcmp(k->str, key) == 0) return k;
    }
    return NULL;
}

const ynode *yn_get(const ynode *m, const char *key)
{
    if (!yn_is_map(m)) return NULL;
    for (size_t i = 0; i < m->n; i++) {
        const ynode *k = m->items[2 * i];
        if (k->kind == YN_SCALAR && strcmp(k->str, key) == 0) return m->items[2 * i + 1];
    }
    return NULL;
}

bool yn_is_null(const ynode *n)
{
    if (!n) return true;
    if (n->kind != YN_SCALAR || n->quoted) return false;
    return n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0 ||
           strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0;
}

const char *yn_describe(const ynode *n, char *buf, size_t size)
{
    if (!n) return "nothing";
    if (n->kind == YN_MAP) return "a mapping";
    if (n->kind == YN_SEQ) return "a list";
    snprintf(buf, size, "'%.40s%s'", n->str, n->len > 40 ? "..." : "");
    return buf;
}

int yn_str(const ynode *n, diag *d, const char *what, const char **out)
{
    char b[64];
    if (!yn_is_scalar(n)) {
        diag_node(d, n, "%s must be a text value, not %s", what, yn_describe(n, b, sizeof b));
        return -1;
    }
    *out = n->str;
    return 0;
}

int yn_int(const ynode *n, diag *d, const char *what, int64_t *out)
{
    char b[64];
    if (yn_is_scalar(n) && !n->quoted && n->len) {
        char *end;
        errno = 0;
        long long v = strtoll(n->str, &end, 10);
        if (!errno && *end == '\0') {
            *out = v;
            return 0;
        }
        /* 1e6 or 100.0 are integers too when exact. */
        double dv = strtod(n->str, &end);
        if (*end == '\0' && isfinite(dv) && dv == floor(dv) && fabs(dv) < 9e18) {
            *out = (int64_t)dv;
            return 0;
        }
    }
    diag_node(d, n, "%s must be an integer, not %s", what, yn_describe(n, b, sizeof b));
    return -1;
}

int yn_double(const ynode *n, diag *d, const char *what, double *out)
{
    char b[64];
    if (yn_is_scalar(n) && !n->quoted && n->len) {
        char *end;
        errno = 0;
        double v = strtod(n->str, &end);
        if (!errno && *end == '\0' && isfinite(v)) {
            *out = v;
            return 0;
        }
    }
    diag_node(d, n, "%s must be a number, not %s", what, yn_describe(n, b, sizeof b));
    return -1;
}

int yn_bool(const ynode *n, diag *d, const char *what, bool *out)
{
    char b[64];
    if (yn_is_scalar(n) && !n->quoted) {
        static const char *t[] = {"true", "True", "TRUE", "yes", "Yes", "on", "On"};
        static const char *f[] = {"false", "False", "FALSE", "no", "No", "off", "Off"};
        for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
            if (strcmp(n->str, t[i]) == 0) return *out = true, 0;
            if (strcmp(n->str, f[i]) == 0) return *out = false, 0;
        }
    }
    diag_node(d, n, "%s must be true or false, not %s", what, yn_describe(n, b, sizeof b));
    return -1;
}

int yn_check_keys(const ynode *m, const char *const *allowed, diag *d, const char *ctx)
{
    if (!yn_is_map(m)) return 0;
    size_t na = 0;
    while (allowed[na]) na++;
    int bad = 0;
    for (size_t i = 0; i < m->n; i++) {
        const ynode *k = m->items[2 * i];
        if (k->kind != YN_SCALAR) {
            diag_node(d, k, "keys must be plain names");
            bad++;
            continue;
        }
        bool found = false;
        for (size_t j = 0; j < na && !found; j++) found = strcmp(k->str, allowed[j]) == 0;
        if (found) continue;
        const char *s = sl_suggest(k->str, allowed, na);
        if (s)
            diag_node(d, k, "unknown key '%s' in %s (did you mean '%s'?)", k->str, ctx, s);
        else
            diag_node(d, k, "unknown key '%s' in %s", k->str, ctx);
        bad++;
    }
    return bad;
}
