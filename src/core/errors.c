/* errors.c - error tables (see errors.h). */
#include "core/errors.h"
#include <stddef.h>

const error_row *error_row_find(const error_row *table, int rc)
{
    for (; table && table->rc; table++)
        if (table->rc == rc) return table;
    return NULL;
}
