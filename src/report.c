/* report.c — the text table, the results JSON and the machine description. Latencies are
 * recorded in nanoseconds and printed in milliseconds. */
#include "seedload/report.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

void report_environment(bench_info *info)
{
    info->cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
    struct utsname u;
    if (uname(&u) == 0) {
        snprintf(info->kernel, sizeof info->kernel, "%s %s %s", u.sysname, u.release, u.machine);
        snprintf(info->hostname, sizeof info->hostname, "%s", u.nodename);
    }
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            char *c = strchr(line, ':');
            if (c) {
                c++;
                while (*c == ' ') c++;
                c[strcspn(c, "\n")] = '\0';
                snprintf(info->cpu_model, sizeof info->cpu_model, "%s", c);
            }
            break;
        }
    }
    if (f) fclose(f);
}

static double ms(int64_t ns)
{
    return (double)ns / 1e6;
}

static void row(FILE *f, const char *name, int indent, const hist *h, uint64_t count,
                uint64_t errors, double secs)
{
    char label[64];
    snprintf(label, sizeof label, "%*s%s", indent, "", name);
    if (hist_total(h) == 0) {
        fprintf(f, "  %-26.26s %10" PRIu64 " %10.1f %8s %8s %8s %8s %8s %8s %9s %7" PRIu64 "\n",
                label, count, secs > 0 ? (double)count / secs : 0, "-", "-", "-", "-", "-", "-",
                "-", errors);
        return;
    }
    fprintf(f,
            "  %-26.26s %10" PRIu64 " %10.1f %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f %9.3f %7" PRIu64
            "\n",
            label, count, secs > 0 ? (double)count / secs : 0, hist_mean(h) / 1e6,
            ms(hist_percentile(h, 50)), ms(hist_percentile(h, 90)), ms(hist_percentile(h, 99)),
            ms(hist_percentile(h, 99.9)), ms(hist_percentile(h, 99.99)), ms(hist_max(h)), errors);
}

void report_text(FILE *f, const bench_info *in, const workload *w, const run_result *r)
{
    const thread_stats *s = &r->total;
    fprintf(f, "seedload bench: profile %s, workload %s -> %s (%s)\n", in->profile, in->workload,
            in->target, in->server_version);
    fprintf(f, "  scenario %s (scale %g), %d client%s, %d thread%s, ", in->scenario, in->scale,
            in->clients, in->clients == 1 ? "" : "s", in->threads, in->threads == 1 ? "" : "s");
    if (in->rate > 0)
        fprintf(f, "open loop at %.1f tps (%s arrivals)", in->rate, in->arrivals);
    else if (in->think_s > 0)
        fprintf(f, "closed loop, think time %.3f s", in->think_s);
    else
        fprintf(f, "closed loop");
    if (in->txns_per_client)
        fprintf(f, ", %" PRIu64 " transactions per client", in->txns_per_client);
    else
        fprintf(f, ", %.1f s", in->duration_s);
    if (in->warmup_s > 0) fprintf(f, " after %.1f s warmup", in->warmup_s);
    fprintf(f, "%s\n", r->interrupted ? " (interrupted: results so far)" : "");
    fprintf(f,
            "  transactions %" PRIu64 " in %.2f s: %.1f tps; errors %" PRIu64 ", retries %" PRIu64
            ", reconnects %" PRIu64,
            s->count, r->seconds, r->seconds > 0 ? (double)s->count / r->seconds : 0, s->errors,
            s->retries, s->reconnects);
    if (in->rate > 0) fprintf(f, ", late %" PRIu64 ", skipped %" PRIu64, s->late, s->skipped);
    fputc('\n', f);
    if (in->rate > 0 && !r->rate_met)
        fprintf(f, "  NOTE: the offered rate of %.1f tps was not met (achieved %.1f tps%s)\n",
                in->rate, r->seconds > 0 ? (double)s->count / r->seconds : 0,
                s->skipped ? ", transactions skipped" : "");
    fprintf(f, "\n  %-26s %10s %10s %8s %8s %8s %8s %8s %8s %9s %7s\n", "latency (ms)", "count",
            "tps", "mean", "p50", "p90", "p99", "p99.9", "p99.99", "max", "errors");
    row(f, "all transactions", 0, s->lat, s->count, s->errors, r->seconds);
    if (in->rate > 0) {
        row(f, "service time", 2, s->svc, s->count, 0, r->seconds);
        row(f, "schedule lag", 2, s->lag, hist_total(s->lag), 0, r->seconds);
    }
    for (size_t i = 0; i < w->ntx; i++) {
        const tx_stats *x = &s->tx[i];
        row(f, w->tx[i].name, 0, x->lat, x->count, x->errors, r->seconds);
        if (w->tx[i].nst > 1 || w->ntx > 1)
            for (size_t k = 0; k < w->tx[i].nst; k++)
                row(f, w->tx[i].st[k].label, 2, x->st[k], hist_total(x->st[k]), x->st_errors[k],
                    r->seconds);
    }
    if (s->nerrs) {
        fprintf(f, "\n  errors by code:\n");
        int cw = 12; /* SQLite's extended names run long: SQLITE_CONSTRAINT_PRIMARYKEY */
        for (size_t i = 0; i < s->nerrs; i++)
            if ((int)strlen(s->errs[i].code) > cw) cw = (int)strlen(s->errs[i].code);
        for (size_t i = 0; i < s->nerrs; i++) {
            const err_count *e = &s->errs[i];
            const char *where =
                e->txn >= 0 && (size_t)e->txn < w->ntx
                    ? (e->stmt >= 0 ? w->tx[e->txn].st[e->stmt].label : w->tx[e->txn].name)
                    : "?";
            fprintf(f, "    %-*s %-28s %10" PRIu64 "  %s\n", cw, e->code, where, e->count,
                    e->first_message ? e->first_message : "");
        }
    }
}

void report_json_hist(jw *j, const hist *h)
{
    jw_obj(j);
    jw_kint(j, "count", hist_total(h));
    bool any = hist_total(h) > 0;
    jw_knum(j, "mean", any ? hist_mean(h) : 0);
    jw_knum(j, "stddev", any ? hist_stddev(h) : 0);
    jw_kint(j, "min", any ? hist_min(h) : 0);
    static const struct {
        const char *k;
        double p;
    } ps[] = {{"p50", 50}, {"p90", 90}, {"p99", 99}, {"p99.9", 99.9}, {"p99.99", 99.99}};
    for (size_t i = 0; i < 5; i++) jw_kint(j, ps[i].k, hist_percentile(h, ps[i].p));
    jw_kint(j, "max", hist_max(h));
    char *b64 = NULL;
    sl_err e;
    jw_key(j, "hist");
    if (hist_encode_b64(h, &b64, &e) == 0)
        jw_str(j, b64);
    else
        jw_null(j);
    free(b64);
    jw_end_obj(j);
}

void report_json_run(jw *j, const workload *w, const run_result *r)
{
    const thread_stats *s = &r->total;
    jw_obj(j);
    jw_knum(j, "started_at", r->started_at);
    jw_knum(j, "seconds", r->seconds);
    jw_kbool(j, "interrupted", r->interrupted);
    jw_key(j, "summary");
    jw_obj(j);
    jw_kint(j, "transactions", (int64_t)s->count);
    jw_knum(j, "tps", r->seconds > 0 ? (double)s->count / r->seconds : 0);
    jw_kint(j, "errors", (int64_t)s->errors);
    jw_kint(j, "retries", (int64_t)s->retries);
    jw_kint(j, "reconnects", (int64_t)s->reconnects);
    jw_kint(j, "late", (int64_t)s->late);
    jw_kint(j, "skipped", (int64_t)s->skipped);
    jw_kbool(j, "rate_met", r->rate_met);
    jw_end_obj(j);
    jw_kstr(j, "latency_unit", "ns");
    jw_key(j, "latency");
    report_json_hist(j, s->lat);
    jw_key(j, "service");
    report_json_hist(j, s->svc);
    jw_key(j, "lag");
    report_json_hist(j, s->lag);
    jw_key(j, "transactions");
    jw_arr(j);
    for (size_t i = 0; i < w->ntx; i++) {
        const tx_stats *x = &s->tx[i];
        jw_obj(j);
        jw_kstr(j, "name", w->tx[i].name);
        jw_kint(j, "count", (int64_t)x->count);
        jw_knum(j, "tps", r->seconds > 0 ? (double)x->count / r->seconds : 0);
        jw_kint(j, "errors", (int64_t)x->errors);
        jw_kint(j, "retries", (int64_t)x->retries);
        jw_key(j, "latency");
        report_json_hist(j, x->lat);
        jw_key(j, "service");
        report_json_hist(j, x->svc);
        jw_key(j, "statements");
        jw_arr(j);
        for (size_t k = 0; k < w->tx[i].nst; k++) {
            jw_obj(j);
            jw_kstr(j, "name", w->tx[i].st[k].label);
            jw_kstr(j, "sql", w->tx[i].st[k].src);
            jw_kint(j, "errors", (int64_t)x->st_errors[k]);
            jw_key(j, "latency");
            report_json_hist(j, x->st[k]);
            jw_end_obj(j);
        }
        jw_end_arr(j);
        jw_end_obj(j);
    }
    jw_end_arr(j);
    jw_key(j, "errors");
    jw_arr(j);
    for (size_t i = 0; i < s->nerrs; i++) {
        const err_count *e = &s->errs[i];
        jw_obj(j);
        jw_kstr(j, "code", e->code);
        jw_kstr(j, "transaction",
                e->txn >= 0 && (size_t)e->txn < w->ntx ? w->tx[e->txn].name : NULL);
        jw_kstr(j, "statement",
                e->txn >= 0 && (size_t)e->txn < w->ntx && e->stmt >= 0
                    ? w->tx[e->txn].st[e->stmt].label
                    : NULL);
        jw_kint(j, "count", (int64_t)e->count);
        jw_kstr(j, "message", e->first_message);
        jw_end_obj(j);
    }
    jw_end_arr(j);
    jw_key(j, "intervals");
    jw_arr(j);
    for (size_t i = 0; i < r->nivl; i++) {
        const ivl_figures *f = &r->ivl[i];
        jw_obj(j);
        jw_knum(j, "t", f->t);
        jw_kint(j, "count", (int64_t)f->count);
        jw_knum(j, "tps", f->tps);
        jw_kint(j, "errors", (int64_t)f->errors);
        jw_kint(j, "p50", f->p50);
        jw_kint(j, "p99", f->p99);
        jw_kint(j, "max", f->max);
        jw_end_obj(j);
    }
    jw_end_arr(j);
    jw_end_obj(j);
}

void report_json(sbuf *out, const bench_info *in, const workload *w, const run_result *runs,
                 size_t nruns)
{
    jw j;
    jw_init(&j, out, true);
    jw_obj(&j);
    jw_kstr(&j, "format", "seedload-result");
    jw_kint(&j, "version", 1);
    jw_kstr(&j, "seedload_version", SL_VERSION);
    jw_key(&j, "config");
    jw_obj(&j);
    jw_kstr(&j, "profile", in->profile);
    jw_kstr(&j, "profile_path", in->profile_path);
    jw_kstr(&j, "scenario", in->scenario);
    jw_knum(&j, "scale", in->scale);
    jw_key(&j, "seed");
    jw_uint(&j, in->seed);
    jw_kstr(&j, "workload", in->workload);
    jw_kstr(&j, "target", in->target);
    jw_kstr(&j, "dialect", in->dialect);
    jw_kint(&j, "clients", in->clients);
    jw_kint(&j, "threads", in->threads);
    jw_kbool(&j, "pin_threads", in->pin_threads);
    jw_knum(&j, "duration_s", in->duration_s);
    jw_kint(&j, "transactions_per_client", (int64_t)in->txns_per_client);
    jw_knum(&j, "warmup_s", in->warmup_s);
    jw_knum(&j, "rate", in->rate);
    jw_kstr(&j, "arrivals", in->rate > 0 ? in->arrivals : NULL);
    jw_knum(&j, "think_s", in->think_s);
    jw_knum(&j, "max_lag_s", in->max_lag_s);
    jw_knum(&j, "interval_s", in->interval_s);
    jw_key(&j, "bench_seed");
    jw_uint(&j, in->bench_seed);
    jw_key(&j, "transactions");
    jw_arr(&j);
    for (size_t i = 0; i < w->ntx; i++) {
        jw_obj(&j);
        jw_kstr(&j, "name", w->tx[i].name);
        jw_knum(&j, "weight", w->tx[i].weight);
        jw_end_obj(&j);
    }
    jw_end_arr(&j);
    jw_end_obj(&j);
    jw_key(&j, "environment");
    jw_obj(&j);
    jw_kstr(&j, "hostname", in->hostname);
    jw_kstr(&j, "cpu_model", in->cpu_model);
    jw_kint(&j, "cores", in->cores);
    jw_kstr(&j, "kernel", in->kernel);
    jw_kstr(&j, "server_version", in->server_version);
    jw_kstr(&j, "seedload_version", SL_VERSION);
    jw_end_obj(&j);
    jw_key(&j, "runs");
    jw_arr(&j);
    for (size_t i = 0; i < nruns; i++) report_json_run(&j, w, &runs[i]);
    jw_end_arr(&j);
    jw_end_obj(&j);
    sbuf_addc(out, '\n');
}

int report_write_file(const char *path, const char *data, size_t len, sl_err *e)
{
    if (strcmp(path, "-") == 0) {
        fwrite(data, 1, len, stdout);
        return fflush(stdout) == 0
                   ? 0
                   : sl_fail(e, SL_EXIT_IO, "writing to stdout: %s", strerror(errno));
    }
    sbuf tmp = {0};
    sbuf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid());
    int fd = open(tmp.p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        int rc = sl_fail(e, SL_EXIT_IO, "cannot write %s: %s", path, strerror(errno));
        sbuf_free(&tmp);
        return rc;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, data + off, len - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            int rc = sl_fail(e, SL_EXIT_IO, "writing %s: %s", path, strerror(errno));
            close(fd);
            unlink(tmp.p);
            sbuf_free(&tmp);
            return rc;
        }
        off += (size_t)n;
    }
    if (close(fd) < 0 || rename(tmp.p, path) < 0) {
        int rc = sl_fail(e, SL_EXIT_IO, "writing %s: %s", path, strerror(errno));
        unlink(tmp.p);
        sbuf_free(&tmp);
        return rc;
    }
    sbuf_free(&tmp);
    return 0;
}
