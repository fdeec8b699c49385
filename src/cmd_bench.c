/* cmd_bench.c — `seedload bench PROFILE --workload W --target T [options]`: rebuild the key
 * space from the target's metadata, compile the workload, run it, and report. */
#include "seedload/bench.h"
#include "seedload/cli.h"
#include "seedload/report.h"
#include "seedload/slo.h"
#include "seedload/target.h"

#include <sqlite3.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fputs(
        "usage: seedload bench PROFILE --workload NAME --target T [options]\n"
        "  -w, --workload NAME   a workload of the profile\n"
        "  -o, --target T        sqlite:PATH or a PostgreSQL connection (URI or key=value)\n"
        "  -c, --clients N       concurrent clients (default 1)\n"
        "  -j, --threads N       threads (PostgreSQL: clients share them; default 1;\n"
        "                        SQLite: every client has its own thread)\n"
        "  -T, --time DUR        run for a duration: 30s, 10m (default 10s)\n"
        "  -t, --transactions N  or run N transactions per client\n"
        "      --warmup DUR      run first for DUR, excluded from the results\n"
        "  -R, --rate TPS        open loop: offer TPS transactions per second in total\n"
        "      --arrivals KIND   open loop arrivals: poisson (default) or uniform\n"
        "      --max-lag DUR     open loop: skip (and count) transactions later than DUR\n"
        "      --think DUR       closed loop: pause after each transaction\n"
        "  -P, --progress SEC    print throughput and latency every SEC seconds\n"
        "      --repeat N        run N times (one result with N runs, for compare)\n"
        "      --slo CHECKS      objectives such as 'p99<20ms,errors=0,tps>=1000': exit 1 if one\n"
        "                        is broken (checked on all runs together)\n"
        "      --json FILE       write the results (docs/results.md); - for stdout\n"
        "      --hgrm FILE       write the latency distribution (.hgrm, milliseconds)\n"
        "      --seed N          parameter streams (default: the dataset's seed)\n"
        "      --schema NAME     PostgreSQL schema of the data (default as generate)\n"
        "      --reconnect-timeout DUR  PostgreSQL: end the run (exit 3, results kept) when a "
        "lost\n"
        "                        client cannot reconnect for DUR (default 30s; 0: keep trying)\n"
        "      --no-pin          PostgreSQL: do not pin each thread (-j) to a CPU\n"
        "      --busy-timeout MS SQLite busy timeout (default: the profile's PRAGMA busy_timeout,\n"
        "                        else 5000)\n"
        "      --print-params N  print the first N parameter rows of every transaction and exit\n"
        "  -q, --quiet           no table on stdout\n",
        f);
}

static int bad(const char *what, const char *v)
{
    fprintf(stderr, "seedload: bad %s '%s' (see seedload bench --help)\n", what, v);
    return SL_EXIT_USAGE;
}

static int64_t dur(const char *s)
{
    return sl_parse_duration_ns(s);
}

/* Fresh keys: integer sequences continue after the target's largest value; other keys start
 * beyond the generated rows, in a range of 2^32 rows of this run's own (numbered in the
 * target, so runs one after another or side by side never meet). */
static int setup_fresh(model *m, workload *w, sql_dialect d, const char *where, const char *schemas,
                       sl_err *e)
{
    uint64_t run = 0;
    for (size_t i = 0; i < w->ntx; i++) {
        mtable *pt = &w->tx[i].params;
        for (size_t j = 0; j < pt->ncols; j++) {
            int tab, col;
            if (!gen_fresh_info(pt->cols[j].g, &tab, &col)) continue;
            const mtable *tt = &m->t[tab];
            int64_t start, step;
            uint64_t base;
            if (gen_seq_info(tt->cols[col].g, &start, &step) && step > 0) {
                int64_t mx;
                bool found;
                if (target_max(d, where, schemas, tt->name, tt->cols[col].name, &mx, &found, e) < 0)
                    return -1;
                base = found && mx >= start ? (uint64_t)((mx - start) / step + 1) : tt->nrows;
                if (base < tt->nrows) base = tt->nrows;
            } else {
                if (!run && target_next_run(d, where, schemas, &run, e) < 0) return -1;
                base = tt->nrows + (1ULL << 40) + ((run & 0x3fffff) << 32);
            }
            gen_set_fresh_base(pt->cols[j].g, base);
        }
    }
    return 0;
}

int bench_prepare(const char *profile_path, const char *target, const char *wname,
                  const char *schema_opt, int busy_ms, const uint64_t *seed, bench_prep *bp)
{
    memset(bp, 0, sizeof *bp);
    sl_err e = {0};
    if (target_parse(target, &bp->dialect, &bp->where, &e) < 0) return app_error(&e);
    int rc = app_load(profile_path, &bp->ap);
    if (rc) return rc;
    bp->loaded = true;
    bp->schemas = target_pg_schemas(bp->ap.p, schema_opt);
    bp->masked = sl_mask_conninfo(target);
    if (target_meta_read(bp->dialect, bp->where, bp->schemas, &bp->meta, &e) < 0)
        return app_error(&e);
    bp->have_meta = true;
    if (!bp->meta.profile || strcmp(bp->meta.profile, bp->ap.p->name) != 0) {
        fprintf(stderr, "seedload: %s holds profile '%s', not '%s'\n", bp->masked,
                bp->meta.profile ? bp->meta.profile : "?", bp->ap.p->name);
        return SL_EXIT_USAGE;
    }
    if ((rc = app_model(&bp->ap, bp->meta.scale, bp->meta.seed, &bp->m))) return rc;
    /* The key space must be the one in the database. */
    for (size_t i = 0; i < bp->meta.ntables; i++) {
        const mtable *t = model_table(bp->m, bp->meta.tables[i]);
        if (t && t->nrows != bp->meta.rows[i]) {
            fprintf(
                stderr,
                "seedload: table '%s' has %" PRIu64 " rows in %s but the profile makes %" PRIu64
                " at scale %g: the profile changed since the data was generated; generate again\n",
                t->name, bp->meta.rows[i], bp->masked, t->nrows, bp->meta.scale);
            return SL_EXIT_USAGE;
        }
    }
    size_t len0 = bp->ap.p->diag.out.len;
    bp->seed = seed ? *seed : bp->meta.seed ^ 0xbe4c4ULL;
    if (wl_compile(bp->m, wname, bp->dialect, bp->seed, &bp->w, &e) < 0) {
        if (bp->ap.p->diag.out.len > len0) fputs(bp->ap.p->diag.out.p + len0, stderr);
        return app_error(&e);
    }
    if (bp->dialect == DIALECT_SQLITE && bp->ap.ddl) {
        /* PRAGMAs that set up a connection (not the file: journal mode, page size). */
        static const char *const skip[] = {"journal_mode", "page_size", "optimize",
                                           "auto_vacuum",  "encoding",  "application_id",
                                           "user_version"};
        for (size_t i = 0; i < bp->ap.ddl->n; i++) {
            const sql_stmt *st = &bp->ap.ddl->st[i];
            if (!st->is_pragma) continue;
            bool file_level = false;
            for (size_t k = 0; k < sizeof skip / sizeof skip[0]; k++)
                file_level |= strcasestr(st->sql, skip[k]) != NULL;
            if (file_level) continue;
            bp->pragmas = xrealloc(bp->pragmas, (bp->npragmas + 1) * sizeof *bp->pragmas);
            bp->pragmas[bp->npragmas++] = st->sql;
        }
    }
    if (bp->dialect == DIALECT_SQLITE) {
        /* Concurrent readers and a writer need WAL; it stays set in the file. */
        sqlite3 *db = NULL;
        if (sqlite3_open_v2(bp->where, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
            sqlite3_busy_timeout(db, busy_ms);
            sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        }
        sqlite3_close(db);
    }
    return 0;
}

void bench_prep_free(bench_prep *bp)
{
    free(bp->pragmas);
    wl_free(bp->w);
    model_free(bp->m);
    if (bp->have_meta) target_meta_free(&bp->meta);
    free(bp->schemas);
    free(bp->masked);
    if (bp->loaded) app_free(&bp->ap);
    memset(bp, 0, sizeof *bp);
}

int bench_check_slo(const bench_prep *bp, const slo *s)
{
    const char **names = xcalloc(bp->w->ntx ? bp->w->ntx : 1, sizeof *names);
    for (size_t i = 0; i < bp->w->ntx; i++) names[i] = bp->w->tx[i].name;
    sl_err e = {0};
    int rc = slo_check_names(s, names, bp->w->ntx, &e) < 0 ? app_error(&e) : 0;
    free(names);
    return rc;
}

int bench_fresh(bench_prep *bp, sl_err *e)
{
    return setup_fresh(bp->m, bp->w, bp->dialect, bp->where, bp->schemas, e);
}

int cmd_bench(int argc, char **argv)
{
    static const struct option opts[] = {{"workload", required_argument, NULL, 'w'},
                                         {"target", required_argument, NULL, 'o'},
                                         {"clients", required_argument, NULL, 'c'},
                                         {"threads", required_argument, NULL, 'j'},
                                         {"time", required_argument, NULL, 'T'},
                                         {"transactions", required_argument, NULL, 't'},
                                         {"warmup", required_argument, NULL, 'W'},
                                         {"rate", required_argument, NULL, 'R'},
                                         {"arrivals", required_argument, NULL, 'A'},
                                         {"max-lag", required_argument, NULL, 'L'},
                                         {"think", required_argument, NULL, 'K'},
                                         {"progress", required_argument, NULL, 'P'},
                                         {"json", required_argument, NULL, 'J'},
                                         {"hgrm", required_argument, NULL, 'G'},
                                         {"seed", required_argument, NULL, 'E'},
                                         {"schema", required_argument, NULL, 'S'},
                                         {"busy-timeout", required_argument, NULL, 'B'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"repeat", required_argument, NULL, 'r'},
                                         {"slo", required_argument, NULL, 'O'},
                                         {"print-params", required_argument, NULL, 'Z'},
                                         {"reconnect-timeout", required_argument, NULL, 'X'},
                                         {"no-pin", no_argument, NULL, 'U'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *wname = NULL, *target = NULL, *json_path = NULL, *hgrm_path = NULL,
               *schema_opt = NULL;
    long clients = 1, threads = 1;
    int64_t duration = 10000000000LL, warmup = 0, think = 0, max_lag = 0, interval = 0,
            reconnect_timeout = 30000000000LL;
    uint64_t txns = 0, seed = 0;
    bool have_seed = false, have_time = false, quiet = false, poisson = true, want_progress = false,
         no_pin = false;
    double rate = 0;
    int busy = 5000, c;
    bool busy_set = false;
    long repeat = 1, print_params = 0;
    slo objectives = {0};
    const char *slo_arg = NULL;
    bool have_slo = false;
    sl_err perr = {0};
    optind = 1;
    while ((c = getopt_long(argc, argv, "w:o:c:j:T:t:R:P:qh", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'w': wname = optarg; break;
        case 'o': target = optarg; break;
        case 'c':
            clients = strtol(optarg, &end, 10);
            if (*end || clients < 1 || clients > 100000) {
                fprintf(stderr, "seedload: -c (clients) must be between 1 and 100000, not '%s'\n",
                        optarg);
                return SL_EXIT_USAGE;
            }
            break;
        case 'j':
            threads = strtol(optarg, &end, 10);
            if (*end || threads < 1 || threads > 1024) return bad("thread count", optarg);
            break;
        case 'T':
            if ((duration = dur(optarg)) <= 0) return bad("duration", optarg);
            have_time = true;
            break;
        case 't':
            errno = 0;
            txns = strtoull(optarg, &end, 10);
            if (errno || *end || txns == 0 || *optarg == '-')
                return bad("transaction count", optarg);
            break;
        case 'W':
            if ((warmup = dur(optarg)) < 0) return bad("warmup", optarg);
            break;
        case 'R':
            rate = strtod(optarg, &end);
            if (*end || !(rate > 0) || !isfinite(rate)) return bad("rate", optarg);
            break;
        case 'A':
            if (strcmp(optarg, "poisson") == 0)
                poisson = true;
            else if (strcmp(optarg, "uniform") == 0)
                poisson = false;
            else
                return bad("arrivals (poisson or uniform)", optarg);
            break;
        case 'L':
            if ((max_lag = dur(optarg)) <= 0) return bad("max lag", optarg);
            break;
        case 'X':
            if ((reconnect_timeout = dur(optarg)) < 0) return bad("reconnect timeout", optarg);
            break;
        case 'U': no_pin = true; break;
        case 'K':
            if ((think = dur(optarg)) < 0) return bad("think time", optarg);
            break;
        case 'P':
            if ((interval = dur(optarg)) <= 0) return bad("progress interval", optarg);
            want_progress = true;
            break;
        case 'J': json_path = optarg; break;
        case 'G': hgrm_path = optarg; break;
        case 'E':
            seed = strtoull(optarg, &end, 10);
            if (*end) return bad("seed", optarg);
            have_seed = true;
            break;
        case 'S': schema_opt = optarg; break;
        case 'B':
            busy = (int)strtol(optarg, &end, 10);
            if (*end || busy < 0) return bad("busy timeout", optarg);
            busy_set = true;
            break;
        case 'q': quiet = true; break;
        case 'Z':
            print_params = strtol(optarg, &end, 10);
            if (*end || print_params < 1 || print_params > 1000000)
                return bad("--print-params count", optarg);
            break;
        case 'r':
            repeat = strtol(optarg, &end, 10);
            if (*end || repeat < 1 || repeat > 1000) return bad("repeat count", optarg);
            break;
        case 'O':
            slo_arg = optarg; /* parsed after the other options: nothing to free on their errors */
            have_slo = true;
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return SL_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "seedload: bench needs one profile\n");
        usage(stderr);
        return SL_EXIT_USAGE;
    }
    if (!wname || !target) {
        fprintf(stderr, "seedload: bench needs --workload and --target\n");
        return SL_EXIT_USAGE;
    }
    if (txns && have_time) {
        fprintf(stderr, "seedload: give either -T (duration) or -t (transactions), not both\n");
        return SL_EXIT_USAGE;
    }
    if (rate > 0 && think > 0) {
        fprintf(stderr,
                "seedload: --think applies to the closed loop; --rate makes an open loop\n");
        return SL_EXIT_USAGE;
    }
    sql_dialect d;
    const char *where;
    sl_err e = {0};
    if (target_parse(target, &d, &where, &e) < 0) return app_error(&e);
    if (threads > clients) {
        fprintf(
            stderr,
            "seedload: -j (%ld) must not exceed -c (%ld): every thread needs at least one client\n",
            threads, clients);
        return SL_EXIT_USAGE;
    }
    if (have_slo && slo_parse(slo_arg, &objectives, &perr) < 0) return app_error(&perr);
    bench_prep bp;
    int rc =
        bench_prepare(argv[optind], target, wname, schema_opt, busy, have_seed ? &seed : NULL, &bp);
    if (!rc && have_slo) rc = bench_check_slo(&bp, &objectives);
    if (rc) {
        slo_free(&objectives);
        bench_prep_free(&bp);
        return rc;
    }
    model *m = bp.m;
    workload *w = bp.w;
    if (print_params) {
        /* What execution k of each transaction would send (rows as the runner numbers them for
         * a single client), for checking a workload's parameters without running it. */
        if (bench_fresh(&bp, &e) < 0) {
            rc = app_error(&e);
            bench_prep_free(&bp);
            return rc;
        }
        genctx *g = genctx_new(m);
        for (size_t i = 0; i < w->ntx; i++) {
            const mtable *pt = &w->tx[i].params;
            for (long k = 0; k < print_params; k++) {
                const val *v = gen_row(g, pt, (uint64_t)k);
                printf("%s #%ld", w->tx[i].name, k);
                for (size_t j = 0; j < pt->ncols; j++) {
                    sbuf t = {0};
                    val_append_text(&v[j], &t);
                    printf(" %s=%s", pt->cols[j].name, v[j].t == VT_NULL ? "NULL" : t.p ? t.p : "");
                    sbuf_free(&t);
                }
                printf("\n");
            }
        }
        genctx_free(g);
        bench_prep_free(&bp);
        return 0;
    }
    const char *schemas = bp.schemas, *masked = bp.masked;
    target_meta *metap = &bp.meta;
    run_result *runs = xcalloc((size_t)repeat, sizeof *runs);
    size_t nruns = 0;
    run_result agg = {0};
    bool have_agg = false;
    if (interval <= 0) interval = 1000000000LL;
    run_cfg cfg = {.m = m,
                   .w = w,
                   .dialect = d,
                   .target = where,
                   .search_path = d == DIALECT_POSTGRES ? schemas : NULL,
                   .clients = (int)clients,
                   .threads = d == DIALECT_SQLITE ? (int)clients : (int)threads,
                   .duration_ns = txns ? 0 : duration,
                   .txns_per_client = txns,
                   .warmup_ns = warmup,
                   .rate = rate,
                   .poisson = poisson,
                   .think_ns = think,
                   .max_lag_ns = max_lag,
                   .interval_ns = interval,
                   .reconnect_timeout_ns = reconnect_timeout,
                   .progress = want_progress,
                   .no_pin = no_pin,
                   .seed = bp.seed,
                   .busy_timeout_ms = busy,
                   .busy_timeout_set = busy_set,
                   .pragmas = bp.pragmas,
                   .npragmas = bp.npragmas};
    for (long rep = 0; rep < repeat; rep++) {
        if (bench_fresh(&bp, &e) < 0 || run_bench(&cfg, &runs[rep], &e) < 0) {
            rc = app_error(&e);
            goto out;
        }
        nruns++;
        const run_result *r = &runs[rep];
        if (repeat > 1 && !quiet)
            printf("run %ld/%ld: %.1f tps, p50 %.3f ms, p99 %.3f ms, %" PRIu64 " errors\n", rep + 1,
                   repeat, r->seconds > 0 ? (double)r->total.count / r->seconds : 0,
                   (double)hist_percentile(r->total.lat, 50) / 1e6,
                   (double)hist_percentile(r->total.lat, 99) / 1e6, r->total.errors);
        if (r->interrupted) break;
    }
    /* All runs together, for the table and the objectives. */
    tstats_init(&agg.total, w);
    have_agg = true;
    for (size_t i = 0; i < nruns; i++) {
        tstats_merge(&agg.total, &runs[i].total);
        agg.seconds += runs[i].seconds;
        agg.interrupted |= runs[i].interrupted;
    }
    agg.rate_met = true;
    for (size_t i = 0; i < nruns; i++) agg.rate_met &= runs[i].rate_met;
    bench_info info = {.profile = bp.ap.p->name,
                       .profile_path = bp.ap.p->path,
                       .scenario = metap->scenario ? metap->scenario : "?",
                       .workload = w->name,
                       .target = masked,
                       .dialect = d == DIALECT_SQLITE ? "sqlite" : "postgresql",
                       .scale = metap->scale,
                       .seed = metap->seed,
                       .bench_seed = cfg.seed,
                       .clients = (int)clients,
                       .threads = cfg.threads,
                       .pin_threads = d == DIALECT_POSTGRES && !no_pin,
                       .duration_s = txns ? 0 : (double)duration / 1e9,
                       .warmup_s = (double)warmup / 1e9,
                       .rate = rate,
                       .think_s = (double)think / 1e9,
                       .max_lag_s = (double)max_lag / 1e9,
                       .interval_s = (double)interval / 1e9,
                       .txns_per_client = txns,
                       .arrivals = poisson ? "poisson" : "uniform"};
    snprintf(info.server_version, sizeof info.server_version, "%s", metap->server_version);
    report_environment(&info);
    if (!quiet) {
        if (nruns > 1) printf("\nall %zu runs together:\n", nruns);
        report_text(stdout, &info, w, &agg);
    }
    if (json_path) {
        sbuf j = {0};
        report_json(&j, &info, w, runs, nruns);
        if (report_write_file(json_path, j.p, j.len, &e) < 0) rc = app_error(&e);
        sbuf_free(&j);
    }
    if (hgrm_path) {
        FILE *f = strcmp(hgrm_path, "-") == 0 ? stdout : fopen(hgrm_path, "w");
        if (!f || hist_write_hgrm(agg.total.lat, f, 5, 1e6, false) < 0) {
            fprintf(stderr, "seedload: cannot write %s: %s\n", hgrm_path, strerror(errno));
            rc = SL_EXIT_IO;
        }
        if (f && f != stdout && fclose(f) != 0) rc = SL_EXIT_IO;
    }
    for (size_t i = 0; i < nruns; i++)
        if (runs[i].stop_reason[0]) {
            fprintf(stderr, "seedload: %s\n", runs[i].stop_reason);
            rc = SL_EXIT_IO;
            break;
        }
    if (have_slo && rc == 0) {
        const char **names = xcalloc(w->ntx, sizeof *names);
        const hist **lats = xcalloc(w->ntx, sizeof *lats);
        for (size_t i = 0; i < w->ntx; i++) names[i] = w->tx[i].name, lats[i] = agg.total.tx[i].lat;
        slo_figures fig = {.lat = agg.total.lat,
                           .tps = agg.seconds > 0 ? (double)agg.total.count / agg.seconds : 0,
                           .count = agg.total.count,
                           .errors = agg.total.errors,
                           .ntx = w->ntx,
                           .tx_names = names,
                           .tx_lat = lats};
        printf("\n");
        int failed = slo_eval(&objectives, &fig, stdout);
        free(names);
        free(lats);
        if (failed) {
            fprintf(stderr, "seedload: %d of %zu objectives broken\n", failed, objectives.n);
            rc = SL_EXIT_CHECK;
        }
    }
out:
    for (size_t i = 0; i < nruns; i++) run_result_free(&runs[i]);
    free(runs);
    if (have_agg) tstats_free(&agg.total);
    slo_free(&objectives);
    bench_prep_free(&bp);
    return rc;
}
