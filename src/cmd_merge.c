/* cmd_merge.c — `seedload merge A.json B.json ... -o OUT.json`: the results of machines that
 * ran one benchmark at the same time against one server, merged exactly into one result
 * (docs/results.md, "Merging"). */
#include "seedload/cli.h"
#include "seedload/report.h"
#include "seedload/results.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static void usage(FILE *f)
{
    fputs(
        "usage: seedload merge A.json B.json [...] -o OUT.json [options]\n"
        "Merge results of several machines that ran the same benchmark at the same time against\n"
        "one server: run i of every file into run i of OUT. Histograms are added bucket by bucket\n"
        "(exact); counts, errors and tps are summed; seconds is the longest. The inputs must "
        "agree\n"
        "on profile, scenario, scale, seed, workload and dialect.\n"
        "  -o, --output FILE   where to write the merged result (- for stdout)\n"
        "      --force         merge even when the configurations differ (the first file's\n"
        "                      configuration is kept; the result is marked \"forced\")\n"
        "  -q, --quiet         no summary\n"
        "Exit codes: 0 merged, 2 bad usage, malformed or incompatible input, 3 cannot read or "
        "write.\n",
        f);
}

static void summary(FILE *f, const res_doc *d, size_t n, const char *out, res_doc *const *docs)
{
    fprintf(f, "seedload merge: %zu result%s -> %s\n", n, n == 1 ? "" : "s",
            strcmp(out, "-") ? out : "stdout");
    fprintf(f, "  profile %s, scenario %s (scale %g), workload %s, %s; %zu machine%s",
            d->profile ? d->profile : "?", d->scenario ? d->scenario : "?", d->scale,
            d->workload ? d->workload : "?", d->dialect ? d->dialect : "?", d->environments->n,
            d->environments->n == 1 ? "" : "s");
    fprintf(f, ", %" PRId64 " clients\n", d->clients);
    for (size_t i = 0; i < d->nruns; i++) {
        const res_run *r = &d->runs[i];
        fprintf(f,
                "  run %zu: %" PRIu64 " transactions in %.2f s, %.1f tps; errors %" PRIu64
                "; latency p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
                i + 1, r->transactions, r->seconds, r->tps, r->errors,
                (double)hist_percentile(r->lat, 50) / 1e6,
                (double)hist_percentile(r->lat, 99) / 1e6, (double)hist_max(r->lat) / 1e6);
        bool approx = false;
        for (size_t k = 0; k < r->nivl; k++) approx |= !r->ivl[k].pct_exact;
        if (approx)
            fprintf(f, "         intervals: counts exact; p50 and p99 are upper bounds "
                       "(percentiles_exact: false)\n");
    }
    /* Machines started with the same bench seed drew the same parameters: they hit the same
     * rows in the same order, which flatters caches. Worth knowing, not an error. */
    const char *seed0 = NULL;
    bool same = n > 1;
    for (size_t i = 0; i < n && same; i++) {
        const jv *s = jv_get(docs[i]->config, "bench_seed");
        const char *t = s && s->kind == JV_NUM ? s->str : NULL;
        if (!t)
            same = false;
        else if (!seed0)
            seed0 = t;
        else if (strcmp(seed0, t) != 0)
            same = false;
    }
    if (same)
        fprintf(f,
                "  note: every input used bench_seed %s, so their clients drew the same parameter "
                "sequences (use bench --seed to vary them)\n",
                seed0);
}

int cmd_merge(int argc, char **argv)
{
    static const struct option lopts[] = {{"output", required_argument, NULL, 'o'},
                                          {"force", no_argument, NULL, 'f'},
                                          {"quiet", no_argument, NULL, 'q'},
                                          {"help", no_argument, NULL, 'h'},
                                          {NULL, 0, NULL, 0}};
    const char *out = NULL;
    bool force = false, quiet = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:qh", lopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'f': force = true; break;
        case 'q': quiet = true; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return SL_EXIT_USAGE;
        }
    }
    size_t n = optind < argc ? (size_t)(argc - optind) : 0;
    if (n == 0) {
        fprintf(stderr, "seedload: merge needs at least one result file\n");
        usage(stderr);
        return SL_EXIT_USAGE;
    }
    if (!out) {
        fprintf(stderr, "seedload: merge needs -o OUT.json (- for stdout)\n");
        return SL_EXIT_USAGE;
    }
    res_doc **docs = xcalloc(n, sizeof *docs);
    res_doc *m = NULL;
    sbuf text = {0};
    sl_err e = {0};
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        if (res_read_file(argv[optind + (int)i], &docs[i], &e) < 0) {
            rc = app_error(&e);
            goto done;
        }
    if (force)
        for (size_t i = 1; i < n; i++) {
            const char *f = res_config_diff(docs[0], docs[i]);
            if (f)
                fprintf(
                    stderr,
                    "seedload: warning: %s and %s differ in config.%s; merged because of --force\n",
                    docs[0]->name, docs[i]->name, f);
        }
    if (res_merge(docs, n, NULL, force, &m, &e) < 0) {
        rc = app_error(&e);
        goto done;
    }
    if (e.msg[0]) fprintf(stderr, "seedload: %s\n", e.msg);
    res_write(&text, m);
    if (report_write_file(out, text.p, text.len, &e) < 0) {
        rc = app_error(&e);
        goto done;
    }
    if (!quiet) summary(strcmp(out, "-") == 0 ? stderr : stdout, m, n, out, docs);
done:
    sbuf_free(&text);
    res_free(m);
    for (size_t i = 0; i < n; i++) res_free(docs[i]);
    free(docs);
    return rc;
}
