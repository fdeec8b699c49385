/* sink_pg.c — PostgreSQL target (work in progress: see issue 4). */
#include "seedload/sink.h"

int sink_pg_new(const char *conninfo, sink *s, sl_err *e)
{
    (void)conninfo, (void)s;
    return sl_fail(e, SL_EXIT_USAGE, "the PostgreSQL target is not available in this build yet");
}
