/* teacher_internal.h - what the files of the teacher pool share among themselves (not for
 * other modules: they use teachers.h). */
#ifndef KEPU_TEACHER_INTERNAL_H
#define KEPU_TEACHER_INTERNAL_H
#include "teaching/teachers.h"
#include "http/entity_http.h"
#include "http/request.h"

/* GET /teachers/:id/profile's writer (entity_handle_write): the teacher's page (teachers.h). */
extern const entity_writer teacher_profile_writer;
/* The pool's error table (teachers.c), the selection's too. */
extern const struct error_row teacher_errors[];
/* Records one step of the chain (inside the caller's transaction). from may be NULL. */
int teacher_step_record(db *c, const principal *p, int64_t teacher_id, const char *org_path, const char *action,
                        const char *from, const char *to, const char *reason);
/* Sets status (and pool_level when not NULL), inside the caller's transaction. */
int teacher_set_status(db *c, int64_t id, const char *status, const char *pool_level);

/* Whether a teacher of the pool (any unit: the pool keeps one record per person) has this ID
 * number (in clear, checked); for the import's per-row report. DB_OK or a DB code. */
int teachers_id_taken(db *c, arena *a, const char *id_number, bool *taken);
/* GET /teachers/import/template.xlsx and POST /teachers/import (teachers_import.c). */
void teachers_import_register_routes(void);

/* The teacher body's rules after the field table's (teacher_entity.input, teachers_api.c). */
bool teacher_input(request *r, void *rec, bool creating);

#endif
