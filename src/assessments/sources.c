/* sources.c - the registry of the assessment's figure sources (sources.h), filled at start-up
 * from the modules' descriptors before the server's threads start, read-only afterwards. */
#include "assessments/sources.h"
#include <string.h>

#define MAX_SOURCES 32
static const assessment_source *sources[MAX_SOURCES];
static int nsources;

void assessment_register_source(const assessment_source *s)
{
    if (assessment_source_find(s->key)) return;
    if (nsources < MAX_SOURCES) sources[nsources++] = s;
}

int assessment_source_count(void)
{
    return nsources;
}

const assessment_source *assessment_source_at(int i)
{
    return i >= 0 && i < nsources ? sources[i] : NULL;
}

const assessment_source *assessment_source_find(const char *key)
{
    for (int i = 0; key && i < nsources; i++)
        if (!strcmp(sources[i]->key, key)) return sources[i];
    return NULL;
}
