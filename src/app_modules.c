/* app_modules.c - the descriptor of every module (app_modules.h), in start-up order. */
#include "app_modules.h"
#include "accounts/accounts.h"
#include "activities/activities.h"
#include "audit/audit.h"
#include "forms/forms.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include "targets/targets.h"
#include "teaching/students.h"
#include "teaching/teachers.h"
#include "teaching/teaching.h"
#include "volunteers/volunteers.h"
#include <stddef.h>

/* Plans and courses: the courses' statistics and the teacher page's "teaching" section. */
static void teaching_init(void)
{
    courses_init();
    course_teachers_init();
}

static struct entity *const teachers_entities[] = {&teacher_entity, NULL};
static struct entity *const teaching_entities[] = {&plan_entity, &plan_item_entity, &plan_step_entity,
                                                   &teaching_category_entity, &course_entity,
                                                   &taught_course_entity, NULL};

const kepu_module kepu_modules[] = {
    {"accounts", NULL, accounts_register_routes, NULL, NULL},
    {"orgs", NULL, orgs_register_routes, NULL, NULL},
    {"audit", NULL, audit_register_routes, NULL, NULL},
    {"stats", NULL, stats_register_routes, demo_step_stats, NULL},
    {"activities", activities_init, activities_register, demo_step_activities, NULL},
    {"targets", NULL, targets_register_routes, demo_step_targets, NULL},
    {"forms", forms_init, forms_register_routes, demo_step_forms, NULL},
    {"teachers", teachers_init, teachers_register_routes, demo_step_teachers, teachers_entities},
    {"teaching", teaching_init, teaching_plans_courses_register, demo_step_teaching, teaching_entities},
    /* attendance check-in and its routes; the students' ratings of courses */
    {"students", attendance_init, students_register, demo_step_students, NULL},
    /* both parts: volunteers and teams; projects, sign-ups, hours, certificates */
    {"volunteers", volunteers_init, volunteers_register, demo_step_volunteers, NULL},
    {0},
};
