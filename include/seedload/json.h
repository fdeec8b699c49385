/* json.h — writing JSON (results, reports) and reading it back into a small tree (`hist`,
 * `merge`, `compare`, `report` read results). Numbers keep their source text so integers
 * survive exactly. */
#ifndef SEEDLOAD_JSON_H
#define SEEDLOAD_JSON_H

#include "seedload/util.h"

/* ---- writer: an sbuf with comma/indent bookkeeping ------------------------------------- */
#define JW_MAX_DEPTH 256

typedef struct jw {
    sbuf *out;
    int depth;
    bool first[JW_MAX_DEPTH];
    bool pretty;
} jw;

void jw_init(jw *w, sbuf *out, bool pretty);
void jw_obj(jw *w);     /* { */
void jw_end_obj(jw *w); /* } */
void jw_arr(jw *w);
void jw_end_arr(jw *w);
void jw_key(jw *w, const char *k);
void jw_str(jw *w, const char *s);
void jw_strn(jw *w, const char *s, size_t n);
void jw_int(jw *w, int64_t v);
void jw_uint(jw *w, uint64_t v);
void jw_num(jw *w, double v); /* NaN/inf become null */
void jw_bool(jw *w, bool v);
void jw_null(jw *w);
/* key + value shorthands */
void jw_kstr(jw *w, const char *k, const char *s);
void jw_kint(jw *w, const char *k, int64_t v);
void jw_knum(jw *w, const char *k, double v);
void jw_kbool(jw *w, const char *k, bool v);

/* ---- reader ------------------------------------------------------------------------------ */
typedef enum { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ } jv_kind;

typedef struct jv {
    jv_kind kind;
    bool b;
    double num;
    char *str;         /* JV_STR: the string; JV_NUM: the number's text */
    struct jv **items; /* JV_ARR: n values; JV_OBJ: n values with keys */
    char **keys;
    size_t n;
} jv;

/* Parse JSON text; NULL with e (SL_EXIT_USAGE, "name:line:col: ...") on malformed input. */
jv *jv_parse(const char *name, const char *text, size_t len, sl_err *e);
void jv_free(jv *v);
const jv *jv_get(const jv *obj, const char *key); /* NULL if absent or not an object */
const char *jv_str(const jv *v);                  /* NULL unless a string */
double jv_num(const jv *v, double dflt);
int64_t jv_int(const jv *v, int64_t dflt); /* exact for integers written as such */

#endif
