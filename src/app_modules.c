/* app_modules.c - the descriptor of every module (app_modules.h), in start-up order. */
#include "app_modules.h"
#include "checkin/checkin.h"
#include "accounts/accounts.h"
#include "assessments/assessments.h"
#include "assessments/sources.h"
#include "activities/activities.h"
#include "audit/audit.h"
#include "calls/calls.h"
#include "calls/results.h"
#include "files/attachments.h"
#include "contests/contests.h"
#include "forms/forms.h"
#include "literacy/literacy.h"   /* issue 17 C */
#include "meetings/meetings.h"
#include "resources/resources.h"   /* issue 18 A */
#include "screens/screens.h"   /* issue 18 D */
#include "portal/portal.h"   /* issue 18 C */
#include "notices/notices.h"
#include "quiz/questions.h"   /* issue 17 A */
#include "orgs/orgs.h"
#include "stats/stats.h"
#include "stats/windows.h"
#include "targets/targets.h"
#include "tasks/tasks.h"
#include "teaching/students.h"
#include "teaching/teachers.h"
#include "teaching/teaching.h"
#include "teaching/signoffs.h"
#include "volunteers/certificates.h"
#include "volunteers/volunteers.h"
#include "todo/todo_internal.h"
#include "todo/todo_sources.h"
#include "todo/todo.h"
#include <stddef.h>

/* files/ knows no module: the audit reaches it through its hook. */
static void audit_init(void)
{
    attachments_set_audit_hook(audit_record);
}

static struct entity *const stats_entities[] = {&window_entity, NULL};
static struct entity *const accounts_entities[] = {&user_entity, NULL};
static struct entity *const orgs_entities[] = {&org_entity, NULL};
static struct entity *const targets_entities[] = {&target_entity, NULL};
static struct entity *const audit_entities[] = {&audit_entry_entity, &login_entry_entity, NULL};
static struct entity *const activities_entities[] = {&activity_entity, &activity_kind_entity,
                                                     &activity_audience_entity, NULL};
static struct entity *const forms_entities[] = {&form_entity, &report_entity, NULL};
static struct entity *const teachers_entities[] = {&teacher_entity, &teacher_step_entity, &letter_entity,
                                                   &selection_entity, NULL};
static struct entity *const students_entities[] = {&student_entity, &course_attendance_entity, &course_rating_entity,
                                                   NULL};
static struct entity *const volunteers_entities[] = {&volunteer_entity, &volunteer_team_entity, &team_category_entity,
                                                     &membership_entity, &vproject_entity, &vsignup_entity,
                                                     &vcert_entity, NULL};

static struct entity *const teaching_entities[] = {&plan_entity, &plan_item_entity, &plan_step_entity,
                                                   &teaching_category_entity, &course_entity,
                                                   &taught_course_entity, &signoff_entity, NULL};

static struct entity *const calls_entities[] = {&call_template_entity, &call_entity, &call_entry_entity,
                                                &call_entry_step_entity, &call_unit_quota_entity, NULL};
static struct entity *const reviews_entities[] = {&call_reviewer_entity, &call_review_entity,
                                                  &call_review_managed_entity, &call_rank_entity, NULL};
extern const attachment_kind call_entry_files, call_files;
static const attachment_kind *const calls_attachments[] = {&call_files, &call_entry_files, NULL};
static struct entity *const results_entities[] = {&entry_decision_entity, &designation_kind_entity, &designation_entity,
                                                  &publicity_entity, &objection_entity, &award_cert_entity, NULL};

static struct entity *const funds_entities[] = {&fund_disbursement_entity, NULL};
static struct entity *const recert_entities[] = {&call_recert_entity, &call_recert_settings_entity, NULL};
static struct entity *const experts_entities[] = {&expert_entity, &call_report_entity, NULL};

/* issue 16 E: the district assessment and the figure sources of the modules that exist (the
 * literacy rate, issue 17, will be a source of its own module's row; tasks_on_time is package C's) */
extern const assessment_source targets_met_source, reports_complete_source, reports_on_time_source, designations_source,
    call_results_source, volunteer_hours_source;
static const assessment_source *const targets_assess[] = {&targets_met_source, NULL};
static const assessment_source *const forms_assess[] = {&reports_complete_source, &reports_on_time_source, NULL};
static const assessment_source *const results_assess[] = {&designations_source, &call_results_source, NULL};
static const assessment_source *const volunteers_assess[] = {&volunteer_hours_source, NULL};
static struct entity *const assessments_entities[] = {&assessment_entity, &assessment_score_entity, NULL};
static const attachment_kind *const assessments_attachments[] = {&assessment_evidence, NULL};
static struct entity *const tasks_entities[] = {&work_plan_entity, &task_entity, &task_report_entity, NULL};
static const attachment_kind *const tasks_attachments[] = {&task_report_files, NULL};

static const attachment_kind *const activities_attachments[] = {&activity_files, NULL};
static const attachment_kind *const teaching_attachments[] = {&course_files, NULL};
static const todo_source *const teaching_todo[] = {&plan_review_source, NULL};
static const todo_source *const calls_todo[] = {&call_entry_due_source, NULL};
static const todo_source *const reviews_todo[] = {&review_assigned_source, NULL};
static const todo_source *const forms_todo[] = {&form_due_source, NULL};
static const todo_source *const volunteers_todo[] = {&hours_confirm_source, &volunteer_approve_source, NULL};
static const checkin_kind *const students_checkins[] = {&course_checkin_kind, NULL};
static const checkin_kind *const volunteers_checkins[] = {&project_checkin_kind, NULL};

static struct entity *const meetings_entities[] = {&meeting_entity, &meeting_unit_entity, &meeting_participant_entity,
                                                   NULL};
static const checkin_kind *const meetings_checkins[] = {&meeting_checkin_kind, NULL};
static const todo_source *const meetings_todos[] = {&meeting_register_source, &meeting_upcoming_source, NULL};
/* issue 17, package B: contests */
static struct entity *const contests_entities[] = {&contest_entity, NULL};
static struct entity *const notices_entities[] = {&notice_entity, &notice_receipt_entity, NULL};
static const attachment_kind *const notices_attachments[] = {&notice_files, &notice_reply_files, NULL};
static const todo_source *const notices_todo[] = {&notice_unread_source, &notice_reply_source, NULL};

/* issue 17, package A: the question bank */
static struct entity *const quiz_entities[] = {&question_entity, &question_version_entity, NULL};
/* issue 17, package C: literacy surveys and the literacy_rate ratio metric */
static struct entity *const literacy_entities[] = {&literacy_survey_entity, NULL};
static const assessment_source *const literacy_assess[] = {&literacy_rate_source, NULL};

/* issue 18, package A: the course resource library (资源库) */
static struct entity *const resources_entities[] = {&resource_entity, &resource_version_entity, NULL};
/* issue 18, package D: 科普e站 screens, their playlists and administrators */
static struct entity *const screens_entities[] = {&screen_entity, &playlist_entity, &screen_admin_entity, NULL};
/* issue 18, package C: the public portal's enrolments */
static struct entity *const portal_entities[] = {&course_enrolment_entity, NULL};

const kepu_module kepu_modules[] = {
    {"accounts", NULL, accounts_register_routes, NULL, .entities = accounts_entities},
    {"orgs", orgs_init, orgs_register_routes, NULL, .entities = orgs_entities},
    {"audit", audit_init, audit_register_routes, NULL, .entities = audit_entities},
    {"stats", NULL, stats_register_routes, demo_step_stats, .entities = stats_entities},
    {"activities", activities_init, activities_register, demo_step_activities, .entities = activities_entities,
     .attachment_kinds = activities_attachments},
    {"targets", NULL, targets_register_routes, demo_step_targets, .entities = targets_entities,
     .assessment_sources = targets_assess},
    {"forms", forms_init, forms_register_routes, demo_step_forms, .entities = forms_entities,
     .todo_sources = forms_todo, .assessment_sources = forms_assess},
    {"teachers", teachers_init, teachers_register_routes, demo_step_teachers, .entities = teachers_entities},
    {"teaching", courses_init, teaching_plans_courses_register, demo_step_teaching, .entities = teaching_entities,
     .attachment_kinds = teaching_attachments, .todo_sources = teaching_todo},
    /* attendance check-in and its routes; the students' ratings of courses */
    {"students", attendance_init, students_register, demo_step_students, .entities = students_entities,
     .checkin_kinds = students_checkins},
    /* both parts: volunteers and teams; projects, sign-ups, hours, certificates */
    {"volunteers", volunteers_init, volunteers_register, demo_step_volunteers, .entities = volunteers_entities,
     .checkin_kinds = volunteers_checkins, .todo_sources = volunteers_todo, .assessment_sources = volunteers_assess},
    /* issue 15's calls engine, package A: templates, calls, entries and their flow */
    {"calls", calls_init, calls_register_routes, NULL, .entities = calls_entities, .attachment_kinds = calls_attachments,
     .todo_sources = calls_todo},
    /* issue 15, package B: reviewers, assignments, score sheets, rounds, ranking */
    {"reviews", reviews_init, reviews_register_routes, NULL, .entities = reviews_entities,
     .todo_sources = reviews_todo},
    /* issue 15, package C: decisions, 公示 and objections, finalize, titles, award certificates */
    {"results", results_init, results_register_routes, NULL, .entities = results_entities,
     .assessment_sources = results_assess},
    /* issue 15, package E: the figures of the builtin templates (the templates: migration 024) */
    {"templates", call_builtin_init, NULL, demo_step_calls, .entities = NULL},
    /* issue 15, package D: the board and reminders, the collected table's export, funds */
    {"funds", funds_init, funds_register_routes, NULL, .entities = funds_entities},
    /* issue 15, package J: persons as entrants, 推荐上报, the entry PDF (the title hook: results.h) */
    {"calls_j", NULL, calls_j_register_routes, NULL, .entities = NULL},
    /* issue 15, package G: re-certification of title holders (称号复核, 末位淘汰) and its demo */
    {"recert", NULL, recert_register_routes, demo_step_recert, .entities = recert_entities},
    /* issue 15, package H: the expert pool, follow-up reports and their performance rounds */
    {"experts", experts_init, experts_register_routes, demo_step_experts, .entities = experts_entities},
    /* issue 16, package D: the to-do home, notifications and reminder settings (the worker: serve) */
    {"todo", NULL, todo_register_routes, NULL, .entities = NULL},
    /* issue 16, package B: meetings, their invited units and participants, check-in at the door */
    {"meetings", meetings_init, meetings_register_routes, demo_step_meetings, .entities = meetings_entities,
     .checkin_kinds = meetings_checkins, .todo_sources = meetings_todos},
    /* issue 16, package E: the district assessment (目标管理考核) */
    {"assessments", assessments_init, assessments_register_routes, demo_step_assessments, .entities = assessments_entities,
     .attachment_kinds = assessments_attachments},
    /* issue 16, package A: notices (通知公告) with receipts and replies */
    {"notices", notices_init, notices_register_routes, demo_step_notices, .entities = notices_entities,
     .attachment_kinds = notices_attachments, .todo_sources = notices_todo},
    /* issue 16, package C: yearly work points (工作要点) broken into tasks for the units below */
    {"tasks", tasks_init, tasks_register_routes, demo_step_tasks, .entities = tasks_entities, .attachment_kinds = tasks_attachments,
     .todo_sources = tasks_todo_sources, .assessment_sources = tasks_assessment_sources},
    /* issue 17, package A: the question bank (题库) that contests and the self-assessment draw from */
    {"quiz", NULL, quiz_register_routes, demo_step_quiz, .entities = quiz_entities},
    /* issue 17, package C: literacy surveys (科学素质调查), the literacy_rate ratio metric */
    {"literacy", literacy_init, literacy_register_routes, demo_step_literacy, .entities = literacy_entities,
     .assessment_sources = literacy_assess},
    /* issue 17, package B: knowledge contests and self-assessments (知识竞赛 / 科学素质自测) */
    {"contests", contests_init, contests_register_routes, demo_step_contests, .entities = contests_entities},
    /* issue 18, package A: the course resource library: versions, review up and sharing down */
    {"resources", resources_init, resources_register_routes, demo_step_resources, .entities = resources_entities},
    /* issue 18, package D: 科普e站 screens: pairing, playlists, heartbeats (screen_plays), administrators */
    {"screens", screens_init, screens_register_routes, NULL, .entities = screens_entities},
    /* issue 18, package C: the public portal (/portal/), its JSON twins and enrolments from a phone */
    {"portal", portal_init, portal_register_routes, NULL, .entities = portal_entities},
    {0},
};
