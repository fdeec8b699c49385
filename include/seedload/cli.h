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
int cmd_hist(int argc, char **argv);
int cmd_merge(int argc, char **argv);

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

/* A hex id of the dataset a model makes: profile text, DDL files, dictionaries, scenario,
 * scale, seed and the generator format version. Caller frees. */
char *app_dataset_id(const model *m, const char *scenario);

/* Print an error to stderr as "seedload: msg" and return its exit code. */
int app_error(const sl_err *e);

#endif
