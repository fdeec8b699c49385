/* cmd_check.c — `seedload check PROFILE`: validate a profile against its schema and
 * compile it for every scenario, listing all problems (file:line:col) or the rows each
 * scenario makes. */
#include "seedload/cli.h"
#include "seedload/workload.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

int cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {{"scenario", required_argument, NULL, 's'},
                                         {"scale", required_argument, NULL, 'S'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *only = NULL;
    double scale_opt = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
        switch (c) {
        case 's': only = optarg; break;
        case 'S': {
            char *end;
            scale_opt = strtod(optarg, &end);
            if (*end || !(scale_opt > 0) || scale_opt > 1e9) {
                fprintf(stderr, "seedload: --scale must be a number above 0, not '%s'\n", optarg);
                return SL_EXIT_USAGE;
            }
            break;
        }
        case 'h': puts("usage: seedload check PROFILE [--scenario NAME | --scale X]"); return 0;
        default:
            fputs("usage: seedload check PROFILE [--scenario NAME | --scale X]\n", stderr);
            return SL_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fputs("usage: seedload check PROFILE [--scenario NAME]\n", stderr);
        return SL_EXIT_USAGE;
    }
    app_profile ap;
    int rc = app_load(argv[optind], &ap);
    if (rc) {
        app_free(&ap);
        return rc;
    }
    const profile *p = ap.p;
    size_t ns = p->nscenarios && scale_opt <= 0 ? p->nscenarios : 1;
    model **ms = xcalloc(ns, sizeof *ms);
    const char **names = xcalloc(ns, sizeof *names);
    size_t nm = 0;
    for (size_t i = 0; i < ns && rc == 0; i++) {
        double scale = 1;
        const char *name = "default";
        if (scale_opt > 0) {
            name = "custom";
            scale = scale_opt;
        } else if (p->nscenarios) {
            name = p->scenarios[i].name;
            scale = p->scenarios[i].scale;
            if (only && strcmp(only, name) != 0) continue;
        }
        rc = app_model(&ap, scale, p->seed, &ms[nm]);
        if (rc == 0) names[nm++] = name;
    }
    if (rc == 0 && nm > 0 && wl_check_all(ms[0]) < 0) {
        fputs(p->diag.out.p ? p->diag.out.p : "", stderr);
        fprintf(stderr, "seedload: %s: the workloads have errors\n", p->path);
        rc = SL_EXIT_USAGE;
    }
    if (rc == 0 && only && nm == 0) {
        double sc;
        const char *n;
        rc = app_scenario(p, only, 0, &sc, &n);
    }
    if (rc == 0) {
        printf("%s: ok: profile '%s', %zu tables, schema %s\n", p->path, p->name, p->ntables,
               p->sql_sqlite ? p->sql_sqlite : p->sql_postgres);
        printf("  %-30s", "rows per scenario");
        for (size_t k = 0; k < nm; k++) printf(" %14s", names[k]);
        printf("\n");
        const model *m0 = ms[0];
        for (size_t oi = 0; oi < m0->nt; oi++) {
            int ti = m0->order[oi];
            printf("  %-30s", m0->t[ti].name);
            for (size_t k = 0; k < nm; k++) printf(" %14" PRIu64, ms[k]->t[ti].nrows);
            printf("\n");
        }
        printf("  %-30s", "total");
        for (size_t k = 0; k < nm; k++) printf(" %14" PRIu64, model_total_rows(ms[k]));
        printf("\n");
        if (p->diag.warnings)
            printf("  (%d warning%s above)\n", p->diag.warnings, p->diag.warnings == 1 ? "" : "s");
    }
    for (size_t k = 0; k < nm; k++) model_free(ms[k]);
    free(ms);
    free(names);
    app_free(&ap);
    return rc;
}
