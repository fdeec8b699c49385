/* main.c — subcommand dispatch, signal set-up and the process exit code. Nothing else. */
#include "seedload/cli.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static void on_signal(int sig)
{
    (void)sig;
    int saved = errno; /* the interrupted code may be about to read it */
    atomic_store(&sl_stop, 1);
    errno = saved;
}

static void usage(FILE *f)
{
    fputs("seedload " SL_VERSION " — deterministic dataset generator and load-testing harness\n\n"
          "usage: seedload COMMAND [options]\n\n"
          "  generate PROFILE   build the schema and fill it for a scenario\n"
          "  check PROFILE      validate a profile against its schema; list rows per scenario\n"
          "  bench PROFILE      run a workload against a generated database; latency histograms\n"
          "  sweep PROFILE      step clients, rate or data scale; the highest load meeting an SLO\n"
          "  hist FILE          percentiles of a list of values, a pgbench -l log or a result\n"
          "  merge A B -o OUT   merge results from several machines exactly\n"
          "  report F -o OUT    a self-contained HTML report of results and sweeps\n"
          "  compare BASE CAND  CI verdict: is the candidate slower? (exit 4: inconclusive)\n"
          "  version            print the version\n\n"
          "Run `seedload COMMAND --help` for a command's options. Exit codes: 0 success,\n"
          "1 a check failed, 2 bad usage or profile, 3 database or I/O error.\n",
          f);
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "generate") == 0) return cmd_generate(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0) return cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "bench") == 0) return cmd_bench(argc - 1, argv + 1);
    if (strcmp(cmd, "sweep") == 0) return cmd_sweep(argc - 1, argv + 1);
    if (strcmp(cmd, "hist") == 0) return cmd_hist(argc - 1, argv + 1);
    if (strcmp(cmd, "merge") == 0) return cmd_merge(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0) return cmd_report(argc - 1, argv + 1);
    if (strcmp(cmd, "compare") == 0) return cmd_compare(argc - 1, argv + 1);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("seedload %s\n", SL_VERSION);
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    static const char *const cmds[] = {"generate", "check",   "bench",  "sweep",   "hist",
                                       "merge",    "compare", "report", "version", "help"};
    const char *s = sl_suggest(cmd, cmds, sizeof cmds / sizeof cmds[0]);
    fprintf(stderr, "seedload: unknown command '%s'%s%s%s\n", cmd, s ? " (did you mean '" : "",
            s ? s : "", s ? "'?)" : "");
    usage(stderr);
    return 2;
}
