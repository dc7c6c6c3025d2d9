/* todo_sources.h - the to-do sources of the modules that came before issue 16 (each in a
 * *_todo.c file of its module), listed in their modules' descriptors (app_modules.c). */
#ifndef KEPU_TODO_SOURCES_H
#define KEPU_TODO_SOURCES_H
#include "todo/todo.h"

extern const todo_source plan_review_source;      /* teaching/plans_todo.c */
extern const todo_source call_entry_due_source, review_assigned_source;   /* calls/calls_todo.c */
extern const todo_source form_due_source;        /* forms/forms_todo.c */
extern const todo_source hours_confirm_source, volunteer_approve_source;   /* volunteers/volunteers_todo.c */

#endif
