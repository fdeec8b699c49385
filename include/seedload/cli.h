/* cli.h — the subcommands and what they share: loading a profile with its schema and
 * printing its diagnostics, and resolving a scenario. Each cmd_* returns an exit code. */
#ifndef SEEDLOAD_CLI_H
#define SEEDLOAD_CLI_H

#include "seedload/model.h"
#include "seedload/profile.h"
#include "seedload/schema.h"

int cmd_generate(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_hist(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_compare(int argc, char **argv);

/* A profile ready to compile: the profile, its SQLite DDL and the schema that DDL creates
 * (both NULL when the profile has no SQLite DDL). */
typedef struct app_profile {
    profile *p;
    sql_script *ddl;
    schema *sch;
} app_profile;

/* Load and check a profile and its SQLite schema; diagnostics are printed to stderr.
 * Returns an exit code (0 on success). */
int app_load(const char *path, app_profile *ap);
void app_free(app_profile *ap);

/* Pick the scale and a name for the run: --scenario (must exist), --scale (overrides), or the
 * profile's default scenario. Returns an exit code; *name is "custom" for a bare --scale. */
int app_scenario(const profile *p, const char *scenario, double scale_opt, double *scale,
                 const char **name);

/* Compile the model and print diagnostics. Returns an exit code. */
int app_model(app_profile *ap, double scale, uint64_t seed, model **out);

/* Generate the profile at a scale into target, replacing what is there (as --force), quietly.
 * Returns an exit code. */
int app_generate_to(app_profile *ap, const char *target, double scale, const char *scname,
                    uint64_t seed, int threads, int jobs, const char *pg_schema);

/* A hex id of the dataset a model makes: profile text, DDL files, dictionaries, scenario,
 * scale, seed and the generator format version. Caller frees. */
char *app_dataset_id(const model *m, const char *scenario);

/* What bench and sweep share: the profile, the target's metadata, the model rebuilt at the
 * target's scale and seed, and the compiled workload. */
#include "seedload/target.h"
#include "seedload/workload.h"
typedef struct bench_prep {
    app_profile ap;
    bool loaded, have_meta;
    sql_dialect dialect;
    const char *where; /* the target without its "sqlite:" prefix */
    char *schemas;     /* PostgreSQL search_path list */
    char *masked;      /* the target for messages */
    target_meta meta;
    model *m;
    workload *w;
    const char **pragmas; /* SQLite: the DDL's per-connection PRAGMAs */
    size_t npragmas;
    uint64_t seed; /* the run's seed: parameter streams, transaction picks, arrivals */
} bench_prep;
/* Everything a run needs before connecting: the profile, the target's metadata and key
 * space, the compiled workload. seed: the --seed given (NULL: derived from the dataset's). */
int bench_prepare(const char *profile_path, const char *target, const char *wname,
                  const char *schema_opt, int busy_ms, const uint64_t *seed, bench_prep *bp);
void bench_prep_free(bench_prep *bp);
/* Objectives must name transactions of the workload: 0, or an exit code after the message. */
struct slo;
int bench_check_slo(const bench_prep *bp, const struct slo *s);
/* Place `fresh` keys for the next run (see docs/workload.md). */
int bench_fresh(bench_prep *bp, sl_err *e);

/* Print an error to stderr as "seedload: msg" and return its exit code. */
int app_error(const sl_err *e);

#endif
