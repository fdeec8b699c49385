/* cmd_generate.c — `seedload generate PROFILE [options]`: compile the profile for a
 * scenario and load it into a target through the pipeline; print what was made. */
#include "seedload/cli.h"
#include "seedload/load.h"
#include "seedload/target.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fputs("usage: seedload generate PROFILE [options]\n"
          "  -s, --scenario NAME   scenario from the profile (default: its default_scenario)\n"
          "      --scale X         any size: multiplies the profile's row counts (overrides the\n"
          "                        scenario's scale)\n"
          "      --seed N          seed (default: the profile's seed)\n"
          "  -o, --target T        sqlite:PATH (default sqlite:NAME.db), csv:DIR, sql:FILE,\n"
          "                        postgresql://... or a libpq 'key=value' string\n"
          "  -j, --threads N       generator threads (default: the number of CPUs)\n"
          "      --jobs N          parallel PostgreSQL connections (default: the number of\n"
          "                        CPUs, at most 4, fewer if the server refuses more)\n"
          "      --schema NAME     PostgreSQL schema for the profile's tables (default: the\n"
          "                        profile's postgres.schema, else its name)\n"
          "      --shard I/N       only slice I of N (csv targets; I counts from 1)\n"
          "      --dialect D       sql: targets: sqlite (default) or postgres\n"
          "      --checksum        print one digest per table\n"
          "      --no-header       csv targets: no header line\n"
          "  -f, --force           replace an existing target\n"
          "  -q, --quiet           no progress or summary\n",
          f);
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || *s == '-') return -1;
    *out = v;
    return 0;
}

/* An identical dataset was not rebuilt: its checksums are the ones stored with it. */
static int print_stored_checksums(app_profile *ap, const char *target, const char *pg_schema)
{
    sql_dialect d;
    const char *where;
    sl_err e = {0};
    if (target_parse(target, &d, &where, &e) < 0) return app_error(&e);
    char *schemas = target_pg_schemas(ap->p, pg_schema);
    target_meta meta;
    int rc = target_meta_read(d, where, schemas, &meta, &e) < 0 ? app_error(&e) : 0;
    uint64_t rows = 0;
    for (size_t i = 0; rc == 0 && i < meta.ntables; i++) {
        printf("checksum %-30s %12" PRIu64 " %s\n", meta.tables[i], meta.rows[i],
               meta.checksums[i] ? meta.checksums[i] : "-");
        rows += meta.rows[i];
    }
    /* The total is the sum of the tables' digests (two 64-bit halves). */
    enc_digest all = {0};
    bool complete = rc == 0;
    for (size_t i = 0; rc == 0 && i < meta.ntables; i++) {
        unsigned long long a, b;
        if (!meta.checksums[i] || sscanf(meta.checksums[i], "%16llx%16llx", &a, &b) != 2) {
            complete = false;
            continue;
        }
        enc_digest dg = {a, b};
        enc_digest_add(&all, &dg);
    }
    if (complete) {
        char hex[33];
        enc_digest_hex(&all, hex);
        printf("checksum %-30s %12" PRIu64 " %s\n", "*", rows, hex);
    }
    if (rc == 0) target_meta_free(&meta);
    free(schemas);
    return rc;
}

int cmd_generate(int argc, char **argv)
{
    static const struct option opts[] = {{"scenario", required_argument, NULL, 's'},
                                         {"scale", required_argument, NULL, 'S'},
                                         {"seed", required_argument, NULL, 'E'},
                                         {"target", required_argument, NULL, 'o'},
                                         {"threads", required_argument, NULL, 'j'},
                                         {"jobs", required_argument, NULL, 'J'},
                                         {"shard", required_argument, NULL, 'H'},
                                         {"dialect", required_argument, NULL, 'D'},
                                         {"checksum", no_argument, NULL, 'C'},
                                         {"no-header", no_argument, NULL, 'N'},
                                         {"force", no_argument, NULL, 'f'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"schema", required_argument, NULL, 'P'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *scenario = NULL, *target = NULL, *pg_schema = NULL;
    double scale_opt = 0;
    uint64_t seed = 0, shard_i = 1, shard_n = 1;
    bool have_seed = false, checksum = false, header = true, force = false, quiet = false;
    long threads = sysconf(_SC_NPROCESSORS_ONLN);
    /* Two COPY sessions beat one even with the server on the same 2 cores (bench/RESULTS.md). */
    int jobs = -(threads < 1 ? 1 : threads > 4 ? 4 : (int)threads); /* negative: may use fewer */
    sql_dialect dialect = DIALECT_SQLITE;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "s:o:j:fqh", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 's': scenario = optarg; break;
        case 'S':
            errno = 0;
            scale_opt = strtod(optarg, &end);
            if (errno || *end || !(scale_opt > 0) || scale_opt > 1e9) {
                fprintf(stderr,
                        "seedload: --scale must be a number above 0 (at most 1e9), not '%s'\n",
                        optarg);
                return SL_EXIT_USAGE;
            }
            break;
        case 'E':
            if (parse_u64(optarg, &seed) < 0) {
                fprintf(stderr, "seedload: --seed must be a non-negative integer, not '%s'\n",
                        optarg);
                return SL_EXIT_USAGE;
            }
            have_seed = true;
            break;
        case 'o': target = optarg; break;
        case 'j':
            threads = strtol(optarg, &end, 10);
            if (*end || threads < 1 || threads > 256) {
                fprintf(stderr, "seedload: --threads must be between 1 and 256, not '%s'\n",
                        optarg);
                return SL_EXIT_USAGE;
            }
            break;
        case 'J':
            jobs = (int)strtol(optarg, &end, 10);
            if (*end || jobs < 1 || jobs > 64) {
                fprintf(stderr, "seedload: --jobs must be between 1 and 64, not '%s'\n", optarg);
                return SL_EXIT_USAGE;
            }
            break;
        case 'H': {
            char *slash = strchr(optarg, '/');
            if (!slash) goto bad_shard;
            *slash = '\0';
            if (parse_u64(optarg, &shard_i) < 0 || parse_u64(slash + 1, &shard_n) < 0 ||
                shard_n < 1 || shard_i < 1 || shard_i > shard_n || shard_n > 1000000) {
                *slash = '/';
            bad_shard:
                fprintf(stderr,
                        "seedload: --shard takes I/N with 1 <= I <= N (e.g. 2/4), not '%s'\n",
                        optarg);
                return SL_EXIT_USAGE;
            }
            *slash = '/';
            break;
        }
        case 'D':
            if (strcmp(optarg, "sqlite") == 0)
                dialect = DIALECT_SQLITE;
            else if (strcmp(optarg, "postgres") == 0 || strcmp(optarg, "postgresql") == 0)
                dialect = DIALECT_POSTGRES;
            else {
                fprintf(stderr, "seedload: --dialect is sqlite or postgres, not '%s'\n", optarg);
                return SL_EXIT_USAGE;
            }
            break;
        case 'P': pg_schema = optarg; break;
        case 'C': checksum = true; break;
        case 'N': header = false; break;
        case 'f': force = true; break;
        case 'q': quiet = true; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return SL_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "seedload: generate needs one profile (got %d arguments)\n", argc - optind);
        usage(stderr);
        return SL_EXIT_USAGE;
    }
    app_profile ap;
    int rc = app_load(argv[optind], &ap);
    if (rc) {
        app_free(&ap);
        return rc;
    }
    double scale;
    const char *scname;
    if ((rc = app_scenario(ap.p, scenario, scale_opt, &scale, &scname))) {
        app_free(&ap);
        return rc;
    }
    model *m = NULL;
    if ((rc = app_model(&ap, scale, have_seed ? seed : ap.p->seed, &m))) {
        app_free(&ap);
        return rc;
    }
    char *dataset = app_dataset_id(m, scname);
    sbuf deftarget = {0};
    if (!target) {
        sbuf_printf(&deftarget, "sqlite:%s.db", ap.p->name);
        target = deftarget.p;
    }
    sink_cfg cfg = {.m = m,
                    .scenario = scname,
                    .force = force,
                    .header = header,
                    .digest = true,
                    .quiet = quiet,
                    .jobs = jobs,
                    .pg_schema = pg_schema,
                    .dialect = dialect,
                    .shard_i = shard_i,
                    .shard_n = shard_n,
                    .dataset_id = dataset};
    sink *s = NULL;
    sl_err e = {0};
    table_result *res = xcalloc(m->nt, sizeof *res);
    if (sink_new(target, &cfg, &s, &e) < 0) {
        rc = app_error(&e);
        goto out;
    }
    load_opts lo = {.threads = (int)threads, .progress = !quiet && isatty(2)};
    uint64_t t0 = sl_now_ns();
    int lr = load_run(s, &lo, res, &e);
    double secs = (double)(sl_now_ns() - t0) / 1e9;
    if (lr < 0) {
        rc = app_error(&e);
        goto out;
    }
    if (lr == 1) {
        if (!quiet)
            printf("%s already holds this dataset (profile %s, scenario %s, seed %llu); nothing to "
                   "do. Use --force to rebuild it.\n",
                   s->where, ap.p->name, scname, (unsigned long long)m->seed);
        if (checksum) rc = print_stored_checksums(&ap, target, pg_schema);
        goto out;
    }
    uint64_t rows = 0, bytes = 0;
    for (size_t i = 0; i < m->nt; i++) rows += res[i].rows, bytes += res[i].bytes;
    /* When the data itself went to standard output, the report goes to standard error. */
    FILE *rep = strcmp(target, "sql:-") == 0 ? stderr : stdout;
    if (!quiet) {
        fprintf(rep, "seedload %s: profile %s, scenario %s (scale %g), seed %llu%s -> %s\n",
                SL_VERSION, ap.p->name, scname, m->scale, (unsigned long long)m->seed,
                shard_n > 1 ? "" : "", s->where);
        if (shard_n > 1)
            fprintf(rep, "  shard %llu of %llu\n", (unsigned long long)shard_i,
                    (unsigned long long)shard_n);
        fprintf(rep, "  %-30s %14s %10s\n", "table", "rows", "seconds");
        for (size_t oi = 0; oi < m->nt; oi++) {
            const mtable *t = &m->t[m->order[oi]];
            fprintf(rep, "  %-30s %14" PRIu64 " %10.2f\n", t->name, res[t->idx].rows,
                    res[t->idx].seconds);
        }
        fprintf(rep, "  %-30s %14" PRIu64 " %10.2f   %.0f rows/s, %.1f MB encoded, %ld thread%s\n",
                "total", rows, secs, secs > 0 ? (double)rows / secs : 0, (double)bytes / 1e6,
                threads, threads == 1 ? "" : "s");
    }
    if (checksum) {
        enc_digest all = {0};
        for (size_t oi = 0; oi < m->nt; oi++) {
            const mtable *t = &m->t[m->order[oi]];
            char hex[33];
            enc_digest_hex(&res[t->idx].digest, hex);
            enc_digest_add(&all, &res[t->idx].digest);
            fprintf(rep, "checksum %-30s %12" PRIu64 " %s\n", t->name, res[t->idx].rows, hex);
        }
        char hex[33];
        enc_digest_hex(&all, hex);
        fprintf(rep, "checksum %-30s %12" PRIu64 " %s\n", "*", rows, hex);
    }
out:
    sink_free(s);
    free(res);
    free(dataset);
    sbuf_free(&deftarget);
    model_free(m);
    app_free(&ap);
    return rc;
}
