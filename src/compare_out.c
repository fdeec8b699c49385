/* compare_out.c — how `seedload compare` shows its verdict: the table on stdout, JUnit XML
 * that Jenkins and GitLab read (one testcase per check, a failure element with the figures),
 * and a Markdown summary for a pull-request comment. */
#include "compare_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A latency unit fit for v (ns). */
static void lat_unit(double v, const char **u, double *div)
{
    double a = fabs(v);
    if (a >= 1e9)
        *u = "s", *div = 1e9;
    else if (a >= 1e6)
        *u = "ms", *div = 1e6;
    else if (a >= 1e3)
        *u = "us", *div = 1e3;
    else
        *u = "ns", *div = 1;
}

static void fmt_p(double p, char *buf, size_t n)
{
    if (isnan(p))
        snprintf(buf, n, "-");
    else if (p < 0.0001)
        snprintf(buf, n, "<0.0001");
    else
        snprintf(buf, n, "%.4f", p);
}

/* The p-value shown: adjusted, one-sided in the direction of the change (worse when none). */
static double shown_p(const cmp_check *k)
{
    double worse = k->higher_is_worse ? k->change : -k->change;
    return worse < 0 ? k->p_better_adj : k->p_worse_adj;
}

void cmp_fmt_check(const spec *s, const cmp_check *k, ctext *t)
{
    int mi = s->metric;
    if (cmp_is_latency(mi)) {
        const char *u;
        double div;
        lat_unit(fmax(fabs(k->base_med), fabs(k->cand_med)), &u, &div);
        snprintf(t->base, sizeof t->base, "%#.4g %s", k->base_med / div, u);
        snprintf(t->cand, sizeof t->cand, "%#.4g %s", k->cand_med / div, u);
        if (s->absolute) {
            lat_unit(s->tol, &u, &div);
            snprintf(t->tol, sizeof t->tol, "+%g %s", s->tol / div, u);
            lat_unit(k->change, &u, &div);
            snprintf(t->change, sizeof t->change, "%+.4g %s", k->change / div, u);
        }
    } else if (cmp_metrics[mi].kind == M_TPS) {
        snprintf(t->base, sizeof t->base, "%.1f tps", k->base_med);
        snprintf(t->cand, sizeof t->cand, "%.1f tps", k->cand_med);
        if (s->absolute) {
            snprintf(t->tol, sizeof t->tol, "-%g tps", s->tol);
            snprintf(t->change, sizeof t->change, "%+.1f tps", k->change);
        }
    } else {
        snprintf(t->base, sizeof t->base, "%.3f%%", k->base_med);
        snprintf(t->cand, sizeof t->cand, "%.3f%%", k->cand_med);
        snprintf(t->tol, sizeof t->tol, "+%g pp", s->tol);
        snprintf(t->change, sizeof t->change, "%+.3f pp", k->change);
    }
    if (!s->absolute) {
        snprintf(t->tol, sizeof t->tol, "%s%g%%", k->higher_is_worse ? "+" : "-", s->tol * 100);
        if (isinf(k->change))
            snprintf(t->change, sizeof t->change, "%s", k->change > 0 ? "+inf" : "-inf");
        else
            snprintf(t->change, sizeof t->change, "%+.1f%%", k->change * 100);
    }
    if (isnan(k->change)) snprintf(t->change, sizeof t->change, "-");
    if (k->nbase == 0) snprintf(t->base, sizeof t->base, "-");
    if (k->ncand == 0) snprintf(t->cand, sizeof t->cand, "-");
    fmt_p(k->verdict == CMP_INCONCLUSIVE && (k->nbase == 0 || k->ncand == 0) ? NAN : shown_p(k),
          t->p, sizeof t->p);
}

/* One sentence with the figures of a check (JUnit messages, the verdict line). */
static void describe(const spec *s, const cmp_check *k, double alpha, char *buf, size_t n)
{
    ctext t;
    cmp_fmt_check(s, k, &t);
    if (k->verdict == CMP_INCONCLUSIVE) {
        snprintf(buf, n, "inconclusive: %s: %s", s->label, k->why);
        return;
    }
    double p = shown_p(k);
    snprintf(buf, n,
             "%s %s: median %s -> %s (%s, tolerance %s); one-sided Mann-Whitney p%s%s (adjusted) "
             "%s alpha %g: %s",
             s->label, cmp_verdict_name(k->verdict), t.base, t.cand, t.change, t.tol,
             t.p[0] == '<' ? "" : "=", t.p, p <= alpha ? "<=" : ">", alpha, k->why);
}

/* Per-run values, for the JUnit details. */
static void values_text(sbuf *b, const char *what, const double *v, size_t n)
{
    sbuf_printf(b, "%s (%zu runs):", what, n);
    for (size_t i = 0; i < n; i++) sbuf_printf(b, " %.10g", v[i]);
    sbuf_addc(b, '\n');
}

/* XML text: &<>"' escaped, characters XML 1.0 forbids (controls, bad UTF-8) replaced by U+FFFD;
 * in attributes tab and newlines are kept as character references. */
static void xml_esc(sbuf *b, const char *s, bool attr)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        if (c < 0x80) {
            switch (c) {
            case '&': sbuf_adds(b, "&amp;"); break;
            case '<': sbuf_adds(b, "&lt;"); break;
            case '>': sbuf_adds(b, "&gt;"); break;
            case '"': sbuf_adds(b, "&quot;"); break;
            case '\'': sbuf_adds(b, "&apos;"); break;
            case '\t':
            case '\n':
            case '\r':
                if (attr)
                    sbuf_printf(b, "&#%u;", c);
                else
                    sbuf_addc(b, (char)c);
                break;
            default:
                if (c < 0x20 || c == 0x7f)
                    sbuf_adds(b, "\xEF\xBF\xBD");
                else
                    sbuf_addc(b, (char)c);
            }
            p++;
            continue;
        }
        /* A well-formed UTF-8 sequence of an XML character is copied; anything else is one
         * replacement character per bad byte. */
        int len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
        unsigned cp = len == 4 ? c & 7 : len == 3 ? c & 15 : c & 31;
        bool okseq = len > 0 && c < 0xF5;
        for (int i = 1; okseq && i < len; i++) {
            if ((p[i] & 0xC0) != 0x80)
                okseq = false;
            else
                cp = (cp << 6) | (p[i] & 0x3F);
        }
        if (okseq && ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
                                    cp == 0xFFFF)) ||
                      (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))))
            okseq = false;
        if (okseq) {
            sbuf_add(b, p, (size_t)len);
            p += len;
        } else {
            sbuf_adds(b, "\xEF\xBF\xBD");
            p++;
        }
    }
}

/* Markdown table cell text: what would break the table or render as markup is escaped. */
static void md_esc(sbuf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '|': sbuf_adds(b, "\\|"); break;
        case '<': sbuf_adds(b, "&lt;"); break;
        case '>': sbuf_adds(b, "&gt;"); break;
        case '&': sbuf_adds(b, "&amp;"); break;
        case '\n':
        case '\r':
        case '\t': sbuf_addc(b, ' '); break;
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '#':
            sbuf_addc(b, '\\');
            sbuf_addc(b, *s);
            break;
        default: sbuf_addc(b, *s);
        }
    }
}

/* ---- writers ------------------------------------------------------------------------------- */

static const char *corr_name(stats_correction c)
{
    return c == STATS_HOLM ? "Holm" : c == STATS_BONFERRONI ? "Bonferroni" : "no";
}

static void side_names(sbuf *b, const side *s)
{
    for (size_t i = 0; i < s->n; i++) sbuf_printf(b, "%s%s", i ? "," : "", s->docs[i]->name);
}

void cmp_write_table(FILE *f, const outcome *o)
{
    const res_doc *a = o->base->docs[0];
    char more_b[48] = "", more_c[48] = "";
    if (o->base->n > 1) snprintf(more_b, sizeof more_b, " and %zu more", o->base->n - 1);
    if (o->cand->n > 1) snprintf(more_c, sizeof more_c, " and %zu more", o->cand->n - 1);
    fprintf(f, "seedload compare: baseline %s%s (%zu runs) vs candidate %s%s (%zu runs)\n", a->name,
            more_b, o->base->runs, o->cand->docs[0]->name, more_c, o->cand->runs);
    fprintf(f,
            "  profile %s, scenario %s, workload %s, %s, %lld clients; medians over runs, "
            "one-sided Mann-Whitney U,\n"
            "  %s correction over %zu check%s at alpha %g, --min-runs %zu\n\n",
            a->profile ? a->profile : "?", a->scenario ? a->scenario : "?",
            a->workload ? a->workload : "?", a->dialect ? a->dialect : "?", (long long)a->clients,
            corr_name(o->corr), o->ss->n, o->ss->n == 1 ? "" : "s", o->alpha, o->min_runs);
    int w = 6;
    for (size_t i = 0; i < o->ss->n; i++)
        if ((int)strlen(o->ss->s[i].label) > w) w = (int)strlen(o->ss->s[i].label);
    fprintf(f, "  %-*s %13s %13s %9s %9s %8s  %s\n", w, "metric", "baseline", "candidate", "change",
            "tolerance", "p-value", "verdict");
    for (size_t i = 0; i < o->ss->n; i++) {
        ctext t;
        cmp_fmt_check(&o->ss->s[i], &o->k[i], &t);
        fprintf(f, "  %-*s %13s %13s %9s %9s %8s  %-12s %s\n", w, o->ss->s[i].label, t.base, t.cand,
                t.change, t.tol, t.p, cmp_verdict_name(o->k[i].verdict), o->k[i].why);
    }
    if (o->obj) {
        fprintf(f, "\n  objectives on the candidate (all %zu runs together):\n", o->cand->runs);
        for (size_t i = 0; i < o->obj->n; i++) {
            char got[48];
            slo_format(&o->obj->c[i], o->slo_val[i], got, sizeof got);
            fprintf(f, "  SLO %-28s %s (measured %s)\n", o->obj->c[i].text,
                    slo_pass(&o->obj->c[i], o->slo_val[i]) ? "ok    " : "BROKEN", got);
        }
    }
    fputc('\n', f);
}

void cmp_write_junit(sbuf *b, const outcome *o)
{
    const char *wl = o->base->docs[0]->workload ? o->base->docs[0]->workload : "unknown";
    size_t nslo = o->obj ? o->obj->n : 0;
    size_t tests = o->ss->n + nslo, failures = o->nreg + o->slo_broken, skipped = o->ninc;
    char stamp[32] = "1970-01-01T00:00:00";
    time_t now = time(NULL);
    struct tm tmv;
    if (gmtime_r(&now, &tmv)) strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tmv);
    char host[256] = "localhost";
    if (gethostname(host, sizeof host - 1) != 0) snprintf(host, sizeof host, "localhost");
    sbuf cls = {0};
    sbuf_adds(&cls, "seedload.compare.");
    xml_esc(&cls, wl, true);
    sbuf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sbuf_printf(b,
                "<testsuites name=\"seedload compare\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
                "skipped=\"%zu\" time=\"0\">\n",
                tests, failures, skipped);
    sbuf_printf(b,
                "  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
                "skipped=\"%zu\" time=\"0\" timestamp=\"%s\" hostname=\"",
                cls.p, tests, failures, skipped, stamp);
    xml_esc(b, host, true);
    sbuf_adds(b, "\">\n    <properties>\n");
    sbuf names = {0};
    side_names(&names, o->base);
    sbuf_adds(b, "      <property name=\"baseline\" value=\"");
    xml_esc(b, names.p, true);
    sbuf_clear(&names);
    side_names(&names, o->cand);
    sbuf_adds(b, "\"/>\n      <property name=\"candidate\" value=\"");
    xml_esc(b, names.p, true);
    sbuf_free(&names);
    sbuf_printf(b,
                "\"/>\n      <property name=\"alpha\" value=\"%g\"/>\n      <property "
                "name=\"correction\" value=\"%s\"/>\n"
                "      <property name=\"min_runs\" value=\"%zu\"/>\n      <property "
                "name=\"verdict\" value=\"%s\"/>\n    </properties>\n",
                o->alpha, corr_name(o->corr), o->min_runs, o->verdict);
    char msg[1024];
    for (size_t i = 0; i < o->ss->n; i++) {
        const spec *s = &o->ss->s[i];
        const cmp_check *k = &o->k[i];
        sbuf_adds(b, "    <testcase name=\"");
        xml_esc(b, s->label, true);
        sbuf_printf(b, "\" classname=\"%s\" time=\"0\">\n", cls.p);
        describe(s, k, o->alpha, msg, sizeof msg);
        sbuf detail = {0};
        values_text(&detail, "baseline", k->base, k->nbase);
        values_text(&detail, "candidate", k->cand, k->ncand);
        sbuf_printf(
            &detail,
            "p-values: worse %.6g (adjusted %.6g), better %.6g (adjusted %.6g); %s distribution\n",
            k->p_worse, k->p_worse_adj, k->p_better, k->p_better_adj,
            k->exact ? "exact" : "normal");
        if (k->verdict == CMP_REGRESSION) {
            sbuf_adds(b, "      <failure message=\"");
            xml_esc(b, msg, true);
            sbuf_adds(b, "\" type=\"regression\">");
            xml_esc(b, detail.p, false);
            sbuf_adds(b, "</failure>\n");
        } else if (k->verdict == CMP_INCONCLUSIVE) {
            sbuf_adds(b, "      <skipped message=\"");
            xml_esc(b, msg, true);
            sbuf_adds(b, "\"/>\n");
        }
        sbuf_adds(b, "      <system-out>");
        xml_esc(b, msg, false);
        sbuf_addc(b, '\n');
        xml_esc(b, detail.p, false);
        sbuf_adds(b, "</system-out>\n    </testcase>\n");
        sbuf_free(&detail);
    }
    for (size_t i = 0; i < nslo; i++) {
        const slo_check *c = &o->obj->c[i];
        char got[48];
        slo_format(c, o->slo_val[i], got, sizeof got);
        sbuf_adds(b, "    <testcase name=\"slo ");
        xml_esc(b, c->text, true);
        sbuf_printf(b, "\" classname=\"%s\" time=\"0\">\n", cls.p);
        if (!slo_pass(c, o->slo_val[i])) {
            snprintf(msg, sizeof msg, "objective %s broken: measured %s on the candidate", c->text,
                     got);
            sbuf_adds(b, "      <failure message=\"");
            xml_esc(b, msg, true);
            sbuf_adds(b, "\" type=\"slo\">");
            xml_esc(b, msg, false);
            sbuf_adds(b, "</failure>\n");
        }
        sbuf_adds(b, "    </testcase>\n");
    }
    sbuf_adds(b, "  </testsuite>\n</testsuites>\n");
    sbuf_free(&cls);
}

void cmp_write_markdown(sbuf *b, const outcome *o)
{
    const res_doc *a = o->base->docs[0];
    const char *icon = !strcmp(o->verdict, "regression") ? "\xE2\x9D\x8C"          /* cross */
                       : !strcmp(o->verdict, "pass")     ? "\xE2\x9C\x85"          /* check */
                                                         : "\xE2\x9A\xA0\xEF\xB8\x8F"; /* warning */
    sbuf_printf(b, "### %s seedload compare: %s\n\n", icon, o->verdict);
    md_esc(b, o->line);
    sbuf_adds(b, "\n\nProfile ");
    md_esc(b, a->profile ? a->profile : "?");
    sbuf_adds(b, ", workload ");
    md_esc(b, a->workload ? a->workload : "?");
    sbuf_printf(b, " (%s, %lld clients, scenario ", a->dialect ? a->dialect : "?",
                (long long)a->clients);
    md_esc(b, a->scenario ? a->scenario : "?");
    sbuf_printf(b, "); baseline %zu runs, candidate %zu runs.\n\n", o->base->runs, o->cand->runs);
    sbuf_adds(b, "| metric | baseline | candidate | change | tolerance | p-value | verdict |\n"
                 "|:--|--:|--:|--:|--:|--:|:--|\n");
    for (size_t i = 0; i < o->ss->n; i++) {
        ctext t;
        const cmp_check *k = &o->k[i];
        cmp_fmt_check(&o->ss->s[i], k, &t);
        sbuf_adds(b, "| ");
        md_esc(b, o->ss->s[i].label);
        sbuf_printf(b, " | %s | %s | %s | %s | %s | ", t.base, t.cand, t.change, t.tol, t.p);
        if (k->verdict == CMP_REGRESSION)
            sbuf_adds(b, "**regression**");
        else
            md_esc(b, cmp_verdict_name(k->verdict));
        if (k->verdict == CMP_INCONCLUSIVE) {
            sbuf_adds(b, ": ");
            md_esc(b, k->why);
        }
        sbuf_adds(b, " |\n");
    }
    if (o->obj) {
        sbuf_adds(b, "\n| objective (candidate) | measured | |\n|:--|--:|:--|\n");
        for (size_t i = 0; i < o->obj->n; i++) {
            char got[48];
            slo_format(&o->obj->c[i], o->slo_val[i], got, sizeof got);
            sbuf_adds(b, "| ");
            md_esc(b, o->obj->c[i].text);
            sbuf_printf(b, " | %s | %s |\n", got,
                        slo_pass(&o->obj->c[i], o->slo_val[i]) ? "ok" : "**broken**");
        }
    }
    sbuf_printf(b,
                "\n<sub>Medians over runs; a regression needs a change beyond the tolerance and a "
                "significant "
                "one-sided Mann-Whitney U test (%s correction over %zu checks, alpha %g). seedload "
                "%s.</sub>\n",
                corr_name(o->corr), o->ss->n, o->alpha, SL_VERSION);
}
