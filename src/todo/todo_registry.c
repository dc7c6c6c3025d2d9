/* todo_registry.c - the registry of the to-do's sources (todo.h), filled at start-up from the
 * modules' descriptors before the server's threads start, read-only afterwards. */
#include "todo/todo.h"
#include <string.h>

#define MAX_SOURCES 32
static const todo_source *sources[MAX_SOURCES];
static int nsources;

void todo_register_source(const todo_source *s)
{
    if (todo_source_find(s->kind)) return;
    if (nsources < MAX_SOURCES) sources[nsources++] = s;
}

int todo_source_count(void)
{
    return nsources;
}

const todo_source *todo_source_at(int i)
{
    return i >= 0 && i < nsources ? sources[i] : NULL;
}

const todo_source *todo_source_find(const char *kind)
{
    for (int i = 0; kind && i < nsources; i++)
        if (!strcmp(sources[i]->kind, kind)) return sources[i];
    return NULL;
}
