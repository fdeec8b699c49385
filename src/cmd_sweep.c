/* cmd_sweep.c — `seedload sweep`: capacity planning. Steps the load (clients, or an offered
 * rate in open loop) or the data size (--scales: regenerating at each scale), runs the
 * workload at each step, and answers two questions: the highest load that meets the SLO, and
 * the knee where latency turns up. Stops early once the SLO is clearly broken. Every step's
 * run is kept in the JSON (format "seedload-sweep", docs/sweep.md). */
#include "seedload/bench.h"
#include "seedload/cli.h"
#include "seedload/report.h"
#include "seedload/slo.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef enum { MODE_CLIENTS, MODE_RATE, MODE_SCALES } sweep_mode;

typedef struct step {
    int clients;
    double rate, scale;
    run_result r;
    bool have, slo_met, slo_known;
    double *slo_values;
} step;

static void usage(FILE *f)
{
    fputs(
        "usage: seedload sweep PROFILE --workload NAME --target T STEPS [options]\n"
        "  STEPS, one of:\n"
        "      --clients 1,5,10,20    closed loop at each number of clients\n"
        "      --rate 500..20000      open loop at each offered rate: a range (geometric, --steps\n"
        "                             points, default 8) or a list 500,1000,2000\n"
        "      --scales 1,10          regenerate the data at each scale (into the target, as\n"
        "                             generate --force does) and run the same load on it\n"
        "  -c, --clients N           clients for --rate and --scales (default 32 / 8)\n"
        "  -j, --threads N           threads (default 2)\n"
        "      --slo CHECKS          objectives, e.g. 'p99<50ms,errors=0'\n"
        "  -T, --time DUR            each step's measured time (default 10s)\n"
        "      --warmup DUR          each step's warmup (default 2s)\n"
        "      --steps N             points of a --rate range (default 8)\n"
        "      --no-stop             run every step even when the SLO is clearly broken\n"
        "      --json FILE           every step's results and the answer (docs/sweep.md)\n"
        "      --schema NAME         PostgreSQL schema of the data\n"
        "  -q, --quiet               only the answer\n",
        f);
}

/* "1,5,10" → values; "500..20000" → n geometric points. */
/* "1,5,10" or "500..20000" (steps geometric points) into increasing values; integers: client
 * counts (a list must hold whole numbers; a range is rounded, repeats dropped). */
static int parse_list(const char *s, int steps, bool integers, double **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const char *dots = strstr(s, "..");
    if (dots) {
        char *end, *lo = xstrndup(s, (size_t)(dots - s)); /* strtod would eat "500." */
        double a = strtod(lo, &end), b;
        bool bad = end == lo || *end || !(a > 0);
        free(lo);
        if (bad) return -1;
        b = strtod(dots + 2, &end);
        if (*end || !(b > a) || steps < 2) return -1;
        *out = xcalloc((size_t)steps, sizeof(double));
        for (int i = 0; i < steps; i++) {
            double v = a * pow(b / a, (double)i / (steps - 1));
            if (integers) v = round(v);
            if (*n && v <= (*out)[*n - 1]) continue;
            (*out)[(*n)++] = v;
        }
        return 0;
    }
    char *copy = xstrdup(s);
    for (char *tok = copy, *nx; tok; tok = nx) {
        nx = strchr(tok, ',');
        if (nx) *nx++ = '\0';
        char *end;
        double v = strtod(tok, &end);
        if (end == tok || *end || !(v > 0) || !isfinite(v) ||
            (integers && (v != floor(v) || v > 100000))) {
            free(copy);
            free(*out);
            *out = NULL;
            return -1;
        }
        *out = xrealloc(*out, (*n + 1) * sizeof(double));
        (*out)[(*n)++] = v;
    }
    free(copy);
    for (size_t i = 1; i < *n; i++)
        if ((*out)[i] <= (*out)[i - 1]) { /* increasing, so "the highest" is well defined */
            free(*out);
            *out = NULL;
            *n = 0;
            return -1;
        }
    return *n ? 0 : -1;
}

static double tps_of(const run_result *r)
{
    return r->seconds > 0 ? (double)r->total.count / r->seconds : 0;
}

/* names, lats, counts, errs: scratch of w->ntx elements each, filled here. */
static void fill_figures(const workload *w, const run_result *r, slo_figures *f, const char **names,
                         const hist **lats, uint64_t *counts, uint64_t *errs)
{
    for (size_t i = 0; i < w->ntx; i++) {
        names[i] = w->tx[i].name, lats[i] = r->total.tx[i].lat;
        counts[i] = r->total.tx[i].count, errs[i] = r->total.tx[i].errors;
    }
    *f = (slo_figures){.lat = r->total.lat,
                       .tps = tps_of(r),
                       .count = r->total.count,
                       .errors = r->total.errors,
                       .ntx = w->ntx,
                       .tx_names = names,
                       .tx_lat = lats,
                       .tx_count = counts,
                       .tx_errors = errs,
                       .seconds = r->seconds};
}

/* Clearly broken: a latency objective exceeded twice over, or a broken step that also added
 * no throughput (the system is saturated: more load only queues). */
static bool clearly_broken(const slo *o, const step *st, const step *prev)
{
    if (!st->slo_known || st->slo_met) return false;
    for (size_t i = 0; i < o->n; i++) {
        const slo_check *c = &o->c[i];
        double v = st->slo_values[i];
        if (slo_pass(c, v)) continue;
        bool lat =
            c->metric[0] == 'p' || strcmp(c->metric, "max") == 0 || strcmp(c->metric, "mean") == 0;
        if (lat && c->op[0] == '<' && v > 2 * c->value) return true;
        if (strcmp(c->metric, "errors") == 0 || strcmp(c->metric, "error_rate") == 0) return true;
    }
    return prev && prev->slo_known && !prev->slo_met && tps_of(&st->r) < 1.05 * tps_of(&prev->r);
}

static void load_label(sweep_mode mode, const step *st, char *buf, size_t n)
{
    if (mode == MODE_CLIENTS)
        snprintf(buf, n, "%d client%s", st->clients, st->clients == 1 ? "" : "s");
    else if (mode == MODE_RATE)
        snprintf(buf, n, "%.0f tps offered", st->rate);
    else
        snprintf(buf, n, "scale %g", st->scale);
}

int cmd_sweep(int argc, char **argv)
{
    static const struct option opts[] = {
        {"workload", required_argument, NULL, 'w'}, {"target", required_argument, NULL, 'o'},
        {"clients", required_argument, NULL, 'C'},  {"rate", required_argument, NULL, 'R'},
        {"scales", required_argument, NULL, 'S'},   {"threads", required_argument, NULL, 'j'},
        {"slo", required_argument, NULL, 'O'},      {"time", required_argument, NULL, 'T'},
        {"warmup", required_argument, NULL, 'W'},   {"steps", required_argument, NULL, 'n'},
        {"no-stop", no_argument, NULL, 'N'},        {"json", required_argument, NULL, 'J'},
        {"schema", required_argument, NULL, 'P'},   {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    const char *wname = NULL, *target = NULL, *clients_arg = NULL, *rate_arg = NULL,
               *scales_arg = NULL, *json_path = NULL, *schema_opt = NULL, *slo_text = NULL;
    long threads = 2, nsteps = 8, fixed_clients = 0;
    int64_t duration = 10000000000LL, warmup = 2000000000LL;
    bool no_stop = false, quiet = false;
    slo objectives = {0};
    bool have_slo = false;
    sl_err e = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "w:o:c:j:T:qh", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'w': wname = optarg; break;
        case 'o': target = optarg; break;
        case 'C': clients_arg = optarg; break;
        case 'c':
            fixed_clients = strtol(optarg, &end, 10);
            if (*end || fixed_clients < 1 || fixed_clients > 100000) {
                fprintf(stderr, "seedload: -c must be between 1 and 100000, not '%s'\n", optarg);
                return SL_EXIT_USAGE;
            }
            break;
        case 'R': rate_arg = optarg; break;
        case 'S': scales_arg = optarg; break;
        case 'j':
            threads = strtol(optarg, &end, 10);
            if (*end || threads < 1 || threads > 1024) {
                fprintf(stderr, "seedload: bad thread count '%s'\n", optarg);
                return SL_EXIT_USAGE;
            }
            break;
        case 'O':
            if (have_slo) slo_free(&objectives);
            if (slo_parse(optarg, &objectives, &e) < 0) return app_error(&e);
            have_slo = true;
            slo_text = optarg;
            break;
        case 'T':
            if ((duration = sl_parse_duration_ns(optarg)) <= 0) {
                fprintf(stderr, "seedload: bad duration '%s'\n", optarg);
                return SL_EXIT_USAGE;
            }
            break;
        case 'W':
            if ((warmup = sl_parse_duration_ns(optarg)) < 0) {
                fprintf(stderr, "seedload: bad warmup '%s'\n", optarg);
                return SL_EXIT_USAGE;
            }
            break;
        case 'n':
            nsteps = strtol(optarg, &end, 10);
            if (*end || nsteps < 2 || nsteps > 100) {
                fprintf(stderr, "seedload: --steps must be between 2 and 100\n");
                return SL_EXIT_USAGE;
            }
            break;
        case 'N': no_stop = true; break;
        case 'J': json_path = optarg; break;
        case 'P': schema_opt = optarg; break;
        case 'q': quiet = true; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return SL_EXIT_USAGE;
        }
    }
    int nmodes = (clients_arg != NULL) + (rate_arg != NULL) + (scales_arg != NULL);
    if (optind != argc - 1 || !wname || !target || nmodes == 0) {
        fprintf(stderr, "seedload: sweep needs a profile, --workload, --target and the steps "
                        "(--clients LIST, --rate RANGE or --scales LIST)\n");
        usage(stderr);
        slo_free(&objectives);
        return SL_EXIT_USAGE;
    }
    /* --scales with --clients N: --clients is then the fixed load, not steps. */
    sweep_mode mode = scales_arg ? MODE_SCALES : rate_arg ? MODE_RATE : MODE_CLIENTS;
    if (mode != MODE_SCALES && nmodes > 1) {
        fprintf(stderr, "seedload: step either --clients or --rate, not both\n");
        slo_free(&objectives);
        return SL_EXIT_USAGE;
    }
    double *vals = NULL, rate_fixed = 0;
    size_t nvals = 0;
    const char *list = mode == MODE_CLIENTS ? clients_arg
                       : mode == MODE_RATE  ? rate_arg
                                            : scales_arg;
    if (parse_list(list, (int)nsteps, mode == MODE_CLIENTS, &vals, &nvals) < 0) {
        fprintf(stderr,
                "seedload: bad steps '%s': a list of increasing numbers (1,5,10; whole numbers of "
                "clients) or a range (500..20000)\n",
                list);
        slo_free(&objectives);
        return SL_EXIT_USAGE;
    }
    if (mode == MODE_SCALES) {
        /* The fixed load: --clients N (closed loop) or --rate R (open loop). */
        if (clients_arg) {
            char *end;
            fixed_clients = strtol(clients_arg, &end, 10);
            if (*end || fixed_clients < 1) {
                fprintf(stderr, "seedload: with --scales, --clients is one number\n");
                free(vals);
                slo_free(&objectives);
                return SL_EXIT_USAGE;
            }
        }
        if (rate_arg) {
            char *end;
            rate_fixed = strtod(rate_arg, &end);
            if (*end || !(rate_fixed > 0)) {
                fprintf(stderr, "seedload: with --scales, --rate is one number\n");
                free(vals);
                slo_free(&objectives);
                return SL_EXIT_USAGE;
            }
        }
    }
    if (!fixed_clients) fixed_clients = mode == MODE_RATE ? 32 : 8;

    step *steps = xcalloc(nvals, sizeof *steps);
    size_t ndone = 0;
    int rc = 0;
    bool stopped = false;
    bench_prep bp = {0};
    app_profile gen_ap = {0};
    bool have_gen = false;
    bench_info info = {0};
    if (mode == MODE_SCALES) {
        if ((rc = app_load(argv[optind], &gen_ap))) goto out;
        have_gen = true;
    }
    if (!quiet) {
        printf("seedload sweep: %s, workload %s, %s\n", argv[optind], wname,
               mode == MODE_CLIENTS ? "closed loop by clients"
               : mode == MODE_RATE  ? "open loop by offered rate"
                                    : "by data scale");
        printf("  %-22s %10s %10s %10s %10s %9s  %s\n", "load", "tps", "p50 ms", "p99 ms",
               "p99.9 ms", "errors", have_slo ? "SLO" : "");
    }
    for (size_t i = 0; i < nvals && rc == 0; i++) {
        step *st = &steps[i];
        st->clients = mode == MODE_CLIENTS ? (int)vals[i] : (int)fixed_clients;
        st->rate = mode == MODE_RATE ? vals[i] : rate_fixed;
        if (mode == MODE_SCALES) {
            st->scale = vals[i];
            char name[64];
            snprintf(name, sizeof name, "scale-%g", vals[i]);
            if (!quiet) fprintf(stderr, "  generating scale %g ...\n", vals[i]);
            if ((rc = app_generate_to(&gen_ap, target, vals[i], name, gen_ap.p->seed, (int)threads,
                                      (int)threads, schema_opt)))
                break;
            bench_prep_free(&bp);
        }
        if (!bp.w &&
            ((rc = bench_prepare(argv[optind], target, wname, schema_opt, 5000, NULL, &bp)) ||
             (have_slo && (rc = bench_check_slo(&bp, &objectives)))))
            break;
        if (mode != MODE_SCALES) st->scale = bp.meta.scale;
        if (bench_fresh(&bp, &e) < 0) {
            rc = app_error(&e);
            break;
        }
        int th = bp.dialect == DIALECT_SQLITE
                     ? st->clients
                     : (int)(threads < st->clients ? threads : st->clients);
        run_cfg cfg = {.m = bp.m,
                       .w = bp.w,
                       .dialect = bp.dialect,
                       .target = bp.where,
                       .search_path = bp.dialect == DIALECT_POSTGRES ? bp.schemas : NULL,
                       .clients = st->clients,
                       .threads = th,
                       .duration_ns = duration,
                       .warmup_ns = warmup,
                       .rate = st->rate,
                       .poisson = true,
                       .interval_ns = 1000000000LL,
                       .reconnect_timeout_ns = 30000000000LL,
                       .seed = bp.seed,
                       .busy_timeout_ms = 5000,
                       .pragmas = bp.pragmas,
                       .npragmas = bp.npragmas};
        if (run_bench(&cfg, &st->r, &e) < 0) {
            rc = app_error(&e);
            break;
        }
        st->have = true;
        ndone = i + 1;
        if (have_slo) {
            const char **names = xcalloc(bp.w->ntx, sizeof *names);
            const hist **lats = xcalloc(bp.w->ntx, sizeof *lats);
            uint64_t *counts = xcalloc(bp.w->ntx, sizeof *counts),
                     *errs = xcalloc(bp.w->ntx, sizeof *errs);
            slo_figures fig;
            fill_figures(bp.w, &st->r, &fig, names, lats, counts, errs);
            st->slo_values = xcalloc(objectives.n, sizeof(double));
            st->slo_met = true;
            for (size_t k = 0; k < objectives.n; k++) {
                st->slo_values[k] = slo_value(&objectives.c[k], &fig);
                st->slo_met &= slo_pass(&objectives.c[k], st->slo_values[k]);
            }
            st->slo_known = true;
            free(names);
            free(lats);
            free(counts);
            free(errs);
        }
        if (!quiet) {
            char label[48];
            load_label(mode, st, label, sizeof label);
            const hist *h = st->r.total.lat;
            printf("  %-22s %10.1f %10.3f %10.3f %10.3f %9" PRIu64 "  %s\n", label, tps_of(&st->r),
                   (double)hist_percentile(h, 50) / 1e6, (double)hist_percentile(h, 99) / 1e6,
                   (double)hist_percentile(h, 99.9) / 1e6, st->r.total.errors,
                   !st->slo_known ? ""
                   : st->slo_met  ? "met"
                                  : "BROKEN");
            fflush(stdout);
        }
        if (st->r.stop_reason[0]) {
            fprintf(stderr, "seedload: %s\n", st->r.stop_reason);
            rc = SL_EXIT_IO;
        }
        if (st->r.interrupted) break;
        /* With --scales the load is the same at every step: only the objective itself counts. */
        const step *prev = i && mode != MODE_SCALES ? &steps[i - 1] : NULL;
        if (have_slo && !no_stop && clearly_broken(&objectives, st, prev)) {
            stopped = i + 1 < nvals;
            break;
        }
    }
    if (ndone == 0) goto out;

    /* The answers. */
    long max_ok = -1, knee = (long)ndone - 1;
    for (size_t i = 0; i < ndone; i++)
        if (steps[i].slo_known && steps[i].slo_met) max_ok = (long)i;
    const char *knee_why = "latency had not turned up by the last step";
    if (mode != MODE_SCALES)
        for (size_t i = 1; i < ndone; i++) {
            double g = tps_of(&steps[i].r) / fmax(tps_of(&steps[i - 1].r), 1e-9);
            double p0 = (double)hist_percentile(steps[i - 1].r.total.lat, 99);
            double l = (double)hist_percentile(steps[i].r.total.lat, 99) / fmax(p0, 1);
            bool saturated =
                mode == MODE_RATE ? tps_of(&steps[i].r) < 0.95 * steps[i].rate : g < 1.05;
            if (saturated || l > 2 * g) {
                knee = (long)i - 1;
                knee_why = saturated ? "past it more load adds no throughput"
                                     : "past it p99 grows more than twice as fast as throughput";
                break;
            }
        }
    sbuf answer = {0};
    char label[48];
    if (mode == MODE_SCALES) {
        double p_first = (double)hist_percentile(steps[0].r.total.lat, 99);
        sbuf_printf(&answer, "The same load (%ld clients%s) on growing data:", fixed_clients,
                    rate_fixed > 0 ? ", open loop" : "");
        for (size_t i = 0; i < ndone; i++)
            sbuf_printf(&answer, " scale %g: %.1f tps, p99 %.3f ms (%.2fx)%s", steps[i].scale,
                        tps_of(&steps[i].r),
                        (double)hist_percentile(steps[i].r.total.lat, 99) / 1e6,
                        (double)hist_percentile(steps[i].r.total.lat, 99) / fmax(p_first, 1),
                        i + 1 < ndone ? ";" : ".");
    } else {
        if (have_slo) {
            if (max_ok >= 0) {
                load_label(mode, &steps[max_ok], label, sizeof label);
                sbuf_printf(&answer, "The highest load meeting %s is %s (%.1f tps, p99 %.3f ms).",
                            slo_text, label, tps_of(&steps[max_ok].r),
                            (double)hist_percentile(steps[max_ok].r.total.lat, 99) / 1e6);
            } else {
                sbuf_printf(&answer, "No step met %s.", slo_text);
            }
        }
        load_label(mode, &steps[knee], label, sizeof label);
        sbuf_printf(&answer, "%sThe knee is at %s (%.1f tps, p99 %.3f ms): %s.",
                    answer.len ? " " : "", label, tps_of(&steps[knee].r),
                    (double)hist_percentile(steps[knee].r.total.lat, 99) / 1e6, knee_why);
        if (stopped) sbuf_printf(&answer, " The sweep stopped early: the SLO was clearly broken.");
    }
    if (mode == MODE_SCALES && have_slo) {
        if (max_ok >= 0)
            sbuf_printf(&answer, " The largest scale meeting %s is %g.", slo_text,
                        steps[max_ok].scale);
        else
            sbuf_printf(&answer, " No scale met %s.", slo_text);
        if (stopped) sbuf_printf(&answer, " The sweep stopped early: the SLO was clearly broken.");
    }
    bool interrupted = ndone && steps[ndone - 1].r.interrupted;
    if (interrupted)
        sbuf_printf(&answer,
                    " The sweep was interrupted during step %zu of %zu: the answer covers the "
                    "steps that ran.",
                    ndone, nvals);
    printf("%s%s\n", quiet ? "" : "\n", answer.p);

    if (json_path) {
        info.profile = bp.ap.p->name;
        info.workload = bp.w->name;
        info.target = bp.masked;
        report_environment(&info);
        snprintf(info.server_version, sizeof info.server_version, "%s", bp.meta.server_version);
        sbuf out = {0};
        jw j;
        jw_init(&j, &out, true);
        jw_obj(&j);
        jw_kstr(&j, "format", "seedload-sweep");
        jw_kint(&j, "version", 1);
        jw_kstr(&j, "seedload_version", SL_VERSION);
        jw_key(&j, "config");
        jw_obj(&j);
        jw_kstr(&j, "profile", bp.ap.p->name);
        jw_kstr(&j, "workload", bp.w->name);
        jw_kstr(&j, "target", bp.masked);
        jw_kstr(&j, "dialect", bp.dialect == DIALECT_SQLITE ? "sqlite" : "postgresql");
        jw_kstr(&j, "mode",
                mode == MODE_CLIENTS ? "clients"
                : mode == MODE_RATE  ? "rate"
                                     : "scales");
        jw_key(&j, "values");
        jw_arr(&j);
        for (size_t i = 0; i < nvals; i++) jw_num(&j, vals[i]);
        jw_end_arr(&j);
        jw_kstr(&j, "slo", slo_text);
        jw_knum(&j, "duration_s", (double)duration / 1e9);
        jw_knum(&j, "warmup_s", (double)warmup / 1e9);
        jw_key(&j, "clients"); /* the fixed load of a --scales sweep */
        if (mode == MODE_SCALES && rate_fixed <= 0)
            jw_int(&j, fixed_clients);
        else
            jw_null(&j);
        jw_kint(&j, "threads", threads);
        jw_key(&j, "rate");
        if (mode == MODE_SCALES && rate_fixed > 0)
            jw_num(&j, rate_fixed);
        else
            jw_null(&j);
        jw_end_obj(&j);
        jw_key(&j, "environment");
        jw_obj(&j);
        jw_kstr(&j, "hostname", info.hostname);
        jw_kstr(&j, "cpu_model", info.cpu_model);
        jw_kint(&j, "cores", info.cores);
        jw_kstr(&j, "kernel", info.kernel);
        jw_kstr(&j, "server_version", info.server_version);
        jw_kstr(&j, "seedload_version", SL_VERSION);
        jw_end_obj(&j);
        jw_key(&j, "steps");
        jw_arr(&j);
        for (size_t i = 0; i < ndone; i++) {
            step *st = &steps[i];
            jw_obj(&j);
            jw_kint(&j, "clients", st->clients);
            jw_key(&j, "rate");
            if (st->rate > 0)
                jw_num(&j, st->rate);
            else
                jw_null(&j);
            jw_knum(&j, "scale", st->scale);
            jw_key(&j, "run");
            report_json_run(&j, bp.w, &st->r);
            jw_key(&j, "slo_met");
            if (st->slo_known)
                jw_bool(&j, st->slo_met);
            else
                jw_null(&j);
            jw_key(&j, "slo");
            jw_arr(&j);
            for (size_t k = 0; st->slo_known && k < objectives.n; k++) {
                jw_obj(&j);
                jw_kstr(&j, "check", objectives.c[k].text);
                jw_knum(&j, "value", st->slo_values[k]);
                jw_kbool(&j, "pass", slo_pass(&objectives.c[k], st->slo_values[k]));
                jw_end_obj(&j);
            }
            jw_end_arr(&j);
            jw_end_obj(&j);
        }
        jw_end_arr(&j);
        jw_key(&j, "answer");
        jw_obj(&j);
        jw_key(&j, "max_load");
        if (max_ok >= 0) {
            jw_obj(&j);
            jw_kint(&j, "step", max_ok);
            jw_kint(&j, "clients", steps[max_ok].clients);
            jw_key(&j, "rate");
            if (steps[max_ok].rate > 0)
                jw_num(&j, steps[max_ok].rate);
            else
                jw_null(&j);
            jw_knum(&j, "tps", tps_of(&steps[max_ok].r));
            jw_end_obj(&j);
        } else {
            jw_null(&j);
        }
        jw_key(&j, "knee");
        if (mode != MODE_SCALES) {
            jw_obj(&j);
            jw_kint(&j, "step", knee);
            jw_kint(&j, "clients", steps[knee].clients);
            jw_key(&j, "rate");
            if (steps[knee].rate > 0)
                jw_num(&j, steps[knee].rate);
            else
                jw_null(&j);
            jw_knum(&j, "tps", tps_of(&steps[knee].r));
            jw_kint(&j, "p99", hist_percentile(steps[knee].r.total.lat, 99));
            jw_end_obj(&j);
        } else {
            jw_null(&j);
        }
        jw_kbool(&j, "stopped_early", stopped);
        jw_kbool(&j, "interrupted", interrupted);
        jw_kstr(&j, "text", answer.p);
        jw_end_obj(&j);
        jw_end_obj(&j);
        sbuf_addc(&out, '\n');
        if (report_write_file(json_path, out.p, out.len, &e) < 0) rc = app_error(&e);
        sbuf_free(&out);
    }
    sbuf_free(&answer);
    /* A sweep with objectives fails (1) when no step met them. */
    if (rc == 0 && have_slo && max_ok < 0) rc = SL_EXIT_CHECK;
out:
    for (size_t i = 0; i < nvals; i++) {
        if (steps[i].have) run_result_free(&steps[i].r);
        free(steps[i].slo_values);
    }
    free(steps);
    free(vals);
    bench_prep_free(&bp);
    if (have_gen) app_free(&gen_ap);
    slo_free(&objectives);
    return rc;
}
