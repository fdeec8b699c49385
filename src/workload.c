/* workload.c — compiling a profile's workloads: transactions, weights, statements with
 * :name parameters turned into the dialect's placeholders, and parameter generators
 * compiled as an auxiliary table of the model. */
#include "seedload/workload.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const wl_keys[] = {"description", "transactions", NULL};
static const char *const tx_keys[] = {"weight",      "description", "params",  "sql", "statements",
                                      "transaction", "isolation",   "retries", NULL};
static const char *const st_keys[] = {"name", "sql", "postgres", "sqlite", NULL};

void wl_free(workload *w)
{
    if (!w) return;
    for (size_t i = 0; i < w->ntx; i++) {
        wl_txn *t = &w->tx[i];
        for (size_t j = 0; j < t->nst; j++) {
            free(t->st[j].label);
            free(t->st[j].sql);
            free(t->st[j].params);
        }
        free(t->st);
        model_aux_free(&t->params);
    }
    free(w->tx);
    free(w->cum);
    free(w);
}

static bool kw(const char *p, const char *k)
{
    size_t n = strlen(k);
    return strncasecmp(p, k, n) == 0 && !isalnum((unsigned char)p[n]) && p[n] != '_';
}

static bool is_write_sql(const char *s)
{
    while (isspace((unsigned char)*s) || *s == '(') s++;
    if (kw(s, "insert") || kw(s, "update") || kw(s, "delete") || kw(s, "replace") || kw(s, "merge"))
        return true;
    if (kw(s, "with")) /* a data-modifying CTE */
        return strcasestr(s, "insert ") || strcasestr(s, "update ") || strcasestr(s, "delete ");
    return strcasestr(s, "log_system_action") != NULL || kw(s, "call");
}

/* Rewrite :name parameters into $k / ?k; returns 0 or -1 after a diagnostic. */
static int translate(model *m, wl_txn *tx, wl_stmt *st, const char *src, sql_dialect d,
                     const ynode *at)
{
    diag *dg = (diag *)&m->p->diag;
    sbuf out = {0};
    const char *p = src;
    size_t cap = 0;
    while (*p) {
        char c = *p;
        if (c == '\'' || c == '"') {
            const char *q = p + 1;
            while (*q && !(*q == c && q[1] != c)) q += *q == c ? 2 : 1;
            if (*q) q++;
            sbuf_add(&out, p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (c == '-' && p[1] == '-') {
            const char *q = strchr(p, '\n');
            size_t n = q ? (size_t)(q - p) : strlen(p);
            sbuf_add(&out, p, n);
            p += n;
            continue;
        }
        if (c == ':' && p[1] == ':') { /* PostgreSQL cast */
            sbuf_add(&out, "::", 2);
            p += 2;
            continue;
        }
        if (c == ':' && (isalpha((unsigned char)p[1]) || p[1] == '_') &&
            (p == src || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
            const char *q = p + 1;
            while (isalnum((unsigned char)*q) || *q == '_') q++;
            char name[128];
            size_t n =
                (size_t)(q - p - 1) < sizeof name - 1 ? (size_t)(q - p - 1) : sizeof name - 1;
            memcpy(name, p + 1, n);
            name[n] = '\0';
            int col = -1;
            for (size_t k = 0; k < tx->params.ncols; k++)
                if (strcmp(tx->params.cols[k].name, name) == 0) col = (int)k;
            if (col < 0) {
                const char *cands[64];
                size_t nc = 0;
                for (size_t k = 0; k < tx->params.ncols && nc < 64; k++)
                    cands[nc++] = tx->params.cols[k].name;
                const char *sg = sl_suggest(name, cands, nc);
                diag_node(
                    dg, at,
                    "transaction '%s': the SQL uses :%s, which is not one of its params%s%s%s",
                    tx->name, name, sg ? " (did you mean :" : "", sg ? sg : "", sg ? "?)" : "");
                sbuf_free(&out);
                return -1;
            }
            size_t pos = 0;
            while (pos < st->nparams && st->params[pos] != col) pos++;
            if (pos == st->nparams) {
                if (st->nparams == cap) {
                    cap = cap ? cap * 2 : 4;
                    st->params = xrealloc(st->params, cap * sizeof(int));
                }
                st->params[st->nparams++] = col;
            }
            sbuf_printf(&out, "%c%zu", d == DIALECT_POSTGRES ? '$' : '?', pos + 1);
            p = q;
            continue;
        }
        sbuf_addc(&out, c);
        p++;
    }
    st->sql = sbuf_detach(&out);
    st->is_write = is_write_sql(src);
    return 0;
}

static int compile_stmt(model *m, wl_txn *tx0, wl_txn *tx, const ynode *n, size_t k, sql_dialect d,
                        bool check_all)
{
    diag *dg = (diag *)&m->p->diag;
    wl_stmt *st = &tx->st[k];
    const char *label = NULL;
    const char *src = NULL;
    const ynode *srcnode = n;
    if (yn_is_scalar(n)) {
        src = n->str;
    } else if (yn_is_map(n)) {
        yn_check_keys(n, st_keys, dg, "a statement");
        const ynode *nm = yn_get(n, "name");
        if (nm && yn_str(nm, dg, "name", &label) < 0) return -1;
        const ynode *common = yn_get(n, "sql");
        const ynode *own = yn_get(n, d == DIALECT_POSTGRES ? "postgres" : "sqlite");
        const ynode *other = yn_get(n, d == DIALECT_POSTGRES ? "sqlite" : "postgres");
        srcnode = own ? own : common;
        if (!srcnode) {
            diag_node(dg, n, "transaction '%s': statement %zu has no SQL for %s (give sql: or %s:)",
                      tx->name, k + 1, d == DIALECT_POSTGRES ? "PostgreSQL" : "SQLite",
                      d == DIALECT_POSTGRES ? "postgres" : "sqlite");
            return -1;
        }
        if (yn_str(srcnode, dg, "sql", &src) < 0) return -1;
        if (check_all && other && yn_is_scalar(other)) {
            /* Check the other dialect's variant names real parameters too. */
            wl_stmt tmp = {0};
            int rc = translate(m, tx, &tmp, other->str,
                               d == DIALECT_POSTGRES ? DIALECT_SQLITE : DIALECT_POSTGRES, other);
            free(tmp.sql);
            free(tmp.params);
            if (rc < 0) return -1;
        }
    } else {
        diag_node(dg, n, "a statement is SQL text or {name:, sql:, postgres:, sqlite:}");
        return -1;
    }
    st->src = src;
    snprintf(st->pg_name, sizeof st->pg_name, "s%zu_%zu", (size_t)(tx - tx0), k);
    sbuf lb = {0};
    if (label)
        sbuf_adds(&lb, label);
    else
        sbuf_printf(&lb, "%s#%zu", tx->name, k + 1);
    st->label = sbuf_detach(&lb);
    return translate(m, tx, st, src, d, srcnode);
}

static int compile_txn(model *m, uint64_t seed, const char *wname, wl_txn *tx0, wl_txn *tx,
                       const ynode *key, const ynode *body, sql_dialect d, bool check_all)
{
    diag *dg = (diag *)&m->p->diag;
    tx->name = key->str;
    tx->weight = 1;
    if (!yn_is_map(body)) {
        diag_node(dg, body ? body : key,
                  "transaction '%s' must be a mapping (weight:, params:, sql: or statements:)",
                  tx->name);
        return -1;
    }
    yn_check_keys(body, tx_keys, dg, "a transaction");
    const ynode *w = yn_get(body, "weight");
    if (w && (yn_double(w, dg, "weight", &tx->weight) < 0 || tx->weight < 0)) {
        if (tx->weight < 0) diag_node(dg, w, "weight must not be negative");
        return -1;
    }
    const ynode *tr = yn_get(body, "transaction");
    if (tr && yn_bool(tr, dg, "transaction", &tx->explicit_txn) < 0) return -1;
    tx->retries = 10;
    const ynode *rt = yn_get(body, "retries");
    int64_t r = tx->retries;
    if (rt && (yn_int(rt, dg, "retries", &r) < 0 || r < 0 || r > 1000)) {
        if (r < 0 || r > 1000) diag_node(dg, rt, "retries must be between 0 and 1000");
        return -1;
    }
    tx->retries = (int)r;
    const ynode *iso = yn_get(body, "isolation");
    if (iso) {
        if (yn_str(iso, dg, "isolation", &tx->isolation) < 0) return -1;
        static const char *const levels[] = {"read committed", "repeatable read", "serializable"};
        bool ok = false;
        for (size_t i = 0; i < 3; i++) ok |= strcasecmp(levels[i], tx->isolation) == 0;
        if (!ok) {
            diag_node(dg, iso, "isolation must be read committed, repeatable read or serializable");
            return -1;
        }
        tx->explicit_txn = true;
    }
    char aux[512];
    snprintf(aux, sizeof aux, "workload:%s.%s", wname, tx->name);
    const ynode *params = yn_get(body, "params");
    if (params && !yn_is_map(params)) {
        diag_node(dg, params, "params must be a mapping of name: generator");
        return -1;
    }
    /* Streams are keyed by "workload:W.T.param", distinct from every table's. */
    if (model_aux_table(m, &tx->params, aux, params, seed, dg) < 0) return -1;
    const ynode *sql = yn_get(body, "sql"), *sts = yn_get(body, "statements");
    if (!!sql == !!sts) {
        diag_node(dg, body,
                  "transaction '%s' needs either sql: (one statement) or statements: (a list)",
                  tx->name);
        return -1;
    }
    if (sts && (!yn_is_seq(sts) || sts->n == 0)) {
        diag_node(dg, sts, "statements must be a non-empty list");
        return -1;
    }
    tx->nst = sql ? 1 : sts->n;
    tx->st = xcalloc(tx->nst, sizeof *tx->st);
    for (size_t k = 0; k < tx->nst; k++) {
        if (compile_stmt(m, tx0, tx, sql ? sql : sts->items[k], k, d, check_all) < 0) return -1;
        tx->has_writes |= tx->st[k].is_write;
    }
    return 0;
}

static int compile(model *m, const ynode *key, const ynode *body, sql_dialect d, bool check_all,
                   uint64_t seed, workload **out)
{
    diag *dg = (diag *)&m->p->diag;
    workload *w = xcalloc(1, sizeof *w);
    *out = w;
    w->name = key->str;
    if (!yn_is_map(body)) {
        diag_node(dg, body ? body : key,
                  "workload '%s' must be a mapping with transactions:", w->name);
        return -1;
    }
    yn_check_keys(body, wl_keys, dg, "a workload");
    const ynode *ds = yn_get(body, "description");
    if (ds) yn_str(ds, dg, "description", &w->description);
    const ynode *txs = yn_get(body, "transactions");
    if (!yn_is_map(txs) || txs->n == 0) {
        diag_node(dg, txs ? txs : key,
                  "workload '%s' needs transactions: (name: {weight:, params:, sql:})", w->name);
        return -1;
    }
    w->tx = xcalloc(txs->n, sizeof *w->tx);
    w->cum = xcalloc(txs->n, sizeof(double));
    double sum = 0;
    int rc = 0;
    for (size_t i = 0; i < txs->n; i++) {
        w->ntx = i + 1;
        if (compile_txn(m, seed, w->name, w->tx, &w->tx[i], txs->items[2 * i],
                        txs->items[2 * i + 1], d, check_all) < 0) {
            rc = -1;
            continue;
        }
        sum += w->tx[i].weight;
        w->cum[i] = sum;
    }
    if (rc == 0 && !(sum > 0)) {
        diag_node(dg, txs, "the weights of workload '%s' add up to 0", w->name);
        rc = -1;
    }
    return rc;
}

int wl_compile(model *m, const char *name, sql_dialect d, uint64_t seed, workload **out, sl_err *e)
{
    *out = NULL;
    const ynode *wls = m->p->workloads;
    const ynode *key = yn_key(wls, name);
    if (!key) {
        sbuf names = {0};
        const char *cands[64];
        size_t nc = 0;
        for (size_t i = 0; yn_is_map(wls) && i < wls->n; i++) {
            sbuf_printf(&names, "%s%s", i ? ", " : "", wls->items[2 * i]->str);
            if (nc < 64) cands[nc++] = wls->items[2 * i]->str;
        }
        const char *sg = sl_suggest(name, cands, nc);
        sl_fail(e, SL_EXIT_USAGE, "%s has no workload '%s'%s%s%s (it has: %s)", m->p->path, name,
                sg ? "; did you mean '" : "", sg ? sg : "", sg ? "'?" : "",
                names.len ? names.p : "none");
        sbuf_free(&names);
        return -1;
    }
    if (compile(m, key, yn_get(wls, name), d, false, seed, out) < 0) {
        wl_free(*out);
        *out = NULL;
        return sl_fail(e, SL_EXIT_USAGE, "%s: workload '%s' has errors", m->p->path, name);
    }
    return 0;
}

int wl_check_all(model *m)
{
    const ynode *wls = m->p->workloads;
    if (!wls) return 0;
    diag *dg = (diag *)&m->p->diag;
    if (!yn_is_map(wls)) {
        diag_node(dg, wls, "workloads must be a mapping of name: {transactions: ...}");
        return -1;
    }
    int bad = 0;
    for (size_t i = 0; i < wls->n; i++) {
        /* Each dialect the profile has DDL for must have SQL for every statement. */
        for (int d = 0; d < 2; d++) {
            if (d == DIALECT_SQLITE && !m->p->sql_sqlite) continue;
            if (d == DIALECT_POSTGRES && !m->p->sql_postgres) continue;
            workload *w = NULL;
            if (compile(m, wls->items[2 * i], wls->items[2 * i + 1], (sql_dialect)d, true, m->seed,
                        &w) < 0)
                bad++;
            wl_free(w);
            if (bad) break;
        }
    }
    return bad ? -1 : (int)wls->n;
}
