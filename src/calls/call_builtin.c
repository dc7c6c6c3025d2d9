/* call_builtin.c - package E's code beside the builtin call templates (the templates themselves
 * are data: migration 024_call_builtin.sql, docs/domain.md §2.6.1): the person figure
 * teacher_courses, which the excellent_teacher template's form reads for the nominated teacher
 * of the pool (a typed name has no courses: 0). */
#include "calls/calls.h"
#include "db/query.h"

/* The held courses a teacher of the pool taught within [from_day, to_day] (course_teachers
 * links a course to each pool teacher named on it). */
static int teacher_courses(db *c, int64_t teacher_id, const char *from_day, const char *to_day, int64_t *out)
{
    qb q;
    qb_init(&q, "SELECT COUNT(*) FROM course_teachers ct JOIN courses k ON k.id = ct.course_id "
                "WHERE ct.teacher_id = ? AND k.status = 'held' AND k.day >= ? AND k.day <= ?");
    qb_int(&q, teacher_id), qb_text(&q, from_day), qb_text(&q, to_day);
    return qb_exec(c, &q, out);
}

void call_builtin_init(void)
{
    calls_register_figure("teacher_courses", "年度授课次数", CALL_FIGURE_PERSON, teacher_courses);
}
