/* migrate_data.c - SQLite to PostgreSQL copy (see migrate_data.h).
 *
 * Tables go in foreign-key order, each in one transaction on the target; values travel as
 * text (the target types them from its columns), NULLs stay NULL, ids are kept, and the
 * target's id sequences are moved past the largest copied id. Orgs are copied parents first. */
#include "migrate_data.h"
#include "app.h"
#include "db/db.h"
#include <stdio.h>
#include <string.h>

struct table {
    const char *name, *columns, *order;
    int ncols;
    bool has_identity;
    bool seeded;        /* the migrations fill it with defaults: the source's rows replace them */
};

/* Every table of the schema, parents before children. Keep in step with db/migrations. */
static const struct table tables[] = {
    {"orgs", "id, parent_id, type, name, code, path, depth, population, created_at, updated_at", "depth, id", 10, true, false},
    {"users", "id, username, name, org_id, role, data_scope, active, password_hash, phone, email, "
              "failed_logins, locked_until, last_login_at, created_at, updated_at", "id", 15, true, false},
    {"user_orgs", "user_id, org_id", "user_id, org_id", 2, false, false},
    {"sessions", "id, token_hash, csrf_token, user_id, created_at, last_seen, ip", "id", 7, true, false},
    {"audit_log", "id, at, user_id, username, org_path, entity, entity_id, action, changes, request_id, ip",
     "id", 11, true, false},
    {"login_log", "id, at, username, user_id, org_path, success, reason, ip, user_agent", "id", 9, true, false},
    {"activity_kinds", "code, name, sort, active", "code", 4, false, true},
    {"activity_audiences", "code, name, sort", "code", 3, false, true},
    {"activities", "id, org_id, org_path, kind, title, start_date, end_date, place, audience, tags, co_organizers, "
                   "description, participants, materials, videos, views, volunteers, volunteer_hours, funds, "
                   "created_by, created_at, updated_at", "id", 22, true, false},
    {"activity_files", "id, activity_id, org_path, name, mime, size, sha256, created_by, created_at", "id", 9, true, false},
    {"stat_windows", "id, code, name, year, from_date, to_date, created_at, updated_at", "id", 8, true, false},
    {"targets", "id, org_id, org_path, title, metric, period, period_from, period_to, goal, applies, each_type, "
                "created_by, created_at, updated_at", "id", 14, true, false},
    {"report_forms", "id, org_id, org_path, title, period_type, filler_type, deadline_days, fields, active, "
                     "created_by, created_at, updated_at", "id", 12, true, false},
    {"report_submissions", "id, form_id, org_id, org_path, period, period_day, field_values, status, submitted_at, "
                           "returned_reason, activities, participants, materials, videos, views, volunteers, "
                           "volunteer_hours, funds, created_by, created_at, updated_at", "id", 21, true, false},
    {"teachers", "id, org_id, org_path, name, gender, unit, title, specialties, topics, id_number_enc, "
                 "id_number_blind, phone_enc, phone_blind, pool_level, status, created_by, created_at, updated_at",
     "id", 18, true, false},
    {"teacher_steps", "id, teacher_id, org_path, action, from_status, to_status, reason, actor_id, actor_name, "
                      "actor_org_id, at", "id", 11, true, false},
    {"letter_counters", "issuer_org_id, year, pattern, last_seq", "issuer_org_id, year", 4, false, false},
    {"teacher_letters", "id, teacher_id, org_path, issuer_org_id, issuer_name, teacher_name, serial, year, seq, code, "
                        "term_from, term_to, status, issued_by, issued_at", "id", 15, true, false},
    {"teacher_selections", "id, year, teacher_id, org_path, nominator_org_id, reason, status, decision_reason, "
                           "nominated_by, nominated_at, decided_by, decided_at", "id", 12, true, false},
    {"teaching_categories", "code, name, sort", "code", 3, false, true},
    {"teaching_plans", "id, org_id, org_path, year, term, term_from, term_to, title, status, returned_reason, "
                       "submitted_at, reviewed_at, reviewed_by, created_by, created_at, updated_at", "id", 16, true, false},
    {"teaching_plan_items", "id, plan_id, seq, topic, category, teacher_name, teacher_id, planned_date, place", "id", 9,
     true, false},
    {"teaching_plan_steps", "id, plan_id, action, from_status, to_status, reason, user_id, username, at", "id", 9, true,
     false},
    {"courses", "id, org_id, org_path, plan_item_id, title, topic, category, starts_at, ends_at, day, place, capacity, "
                "teachers, audience, materials, status, record, attendance, hours, held_at, cancel_reason, created_by, "
                "created_at, updated_at", "id", 24, true, false},
    {"course_files", "id, course_id, org_path, name, mime, size, sha256, created_by, created_at", "id", 9, true, false},
    {"course_teachers", "course_id, teacher_id", "course_id, teacher_id", 2, false, false},
    {"course_ratings", "id, course_id, org_path, student_id, stars, comment, created_at, updated_at", "id", 8, true,
     false},
    {"teaching_signoffs", "id, org_id, org_path, year, term, status, comments, planned, held, signed_by, signed_at, "
                          "created_at", "id", 12, true, false},
    {"students", "id, org_id, org_path, name, gender, age_group, phone_enc, phone_blind, id_number_enc, "
                 "id_number_blind, informant, status, source, created_by, created_at, updated_at", "id", 16, true, false},
    {"checkin_sessions", "id, owner_kind, owner_id, org_path, code, status, checked_in, created_by, created_at, "
                         "updated_at, code_failures", "id", 11, true, false},
    {"checkins", "id, session_id, org_path, person_kind, person_id, method, created_by, at, out_at", "id", 9, true,
     false},
    {"checkin_keys", "key_hash, person_kind, person_id, created_at", "key_hash", 4, false, false},
    {"volunteer_counters", "year, last_seq", "year", 2, false, false},
    {"volunteers", "id, org_id, org_path, volunteer_no, name, gender, birth_date, id_number_enc, id_number_blind, "
                   "phone_enc, phone_blind, skills, fields, availability, status, source, created_by, created_at, "
                   "updated_at", "id", 19, true, false},
    {"volunteer_team_categories", "code, name, suffix, sort", "code", 4, false, true},
    {"volunteer_teams", "id, org_id, org_path, category, name, contact_name, contact_phone_enc, contact_phone_blind, "
                        "description, status, created_by, created_at, updated_at", "id", 13, true, false},
    {"volunteer_members", "id, team_id, volunteer_id, org_path, role, status, source, decided_by, decided_at, "
                          "created_by, created_at, updated_at", "id", 12, true, false},
    {"volunteer_projects", "id, team_id, org_path, title, content, starts_at, ends_at, day, place, lat, lng, audience, "
                           "credit_share, status, confirmed_at, confirmed_by, credited, present, created_by, created_at, "
                           "updated_at, people_served", "id", 22, true, false},
    {"volunteer_positions", "id, project_id, name, headcount, sort", "id", 5, true, false},
    {"volunteer_signups", "id, project_id, position_id, volunteer_id, org_path, status, source, checkin_at, checkout_at, "
                          "attendance, minutes, credited, hours_status, decided_by, decided_at, created_by, created_at, "
                          "updated_at", "id", 18, true, false},
    {"volunteer_cert_counters", "year, last_seq", "year", 2, false, false},
    {"volunteer_certificates", "id, volunteer_id, org_path, cert_no, code, year, activities, minutes, content, issuer, "
                               "issued_at, created_by", "id", 12, true, false},
    /* seeded: 024 adds the builtin templates; the source's (the same, plus any saved) replace them */
    {"call_templates", "id, code, name, kind, config, builtin, org_id, org_path, created_by, created_at, updated_at",
     "id", 11, true, true},
    {"calls", "id, template_code, org_id, org_path, year, title, body, doc_no, contact, status, eligible, eligible_types, "
              "person_kind, holder_kind, form, stages, min_per_unit, max_per_unit, deadline, late_policy, resubmit_days, "
              "review, awards, designation, budget, revoke_last, revoke_share, min_figures, entries_total, published_at, "
              "results_at, created_by, created_at, updated_at", "id", 34, true, false},
    {"call_units", "call_id, stage_no, org_id, org_path, min_entries, max_entries", "call_id, stage_no, org_id", 6, false,
     false},
    {"call_unit_counts", "call_id, org_id, org_path, drafts, submitted, returned, late, recommended, withdrawn, last_at",
     "call_id, org_id", 10, false, false},
    {"call_entries", "id, call_id, kind, parent_id, org_id, org_path, branch_path, subject_kind, subject_id, subject_name, "
                     "title, field_values, figures, status, stage_no, stage_org_id, late, counted_day, blind_code, "
                     "first_submitted_at, submitted_at, returned_at, returned_reason, n_reviews, score_sum, score_mean, "
                     "score_agg, score_spread, tie1, rank, tied, outcome, award_level, award_amount, decision_reason, "
                     "decided_by, decided_at, created_by, created_at, updated_at, report_due, grade", "id", 42, true, false},
    {"call_entry_steps", "id, entry_id, org_path, action, from_status, to_status, reason, actor_id, actor_name, "
                         "actor_org_id, at", "id", 11, true, false},
    {"call_files", "id, call_id, org_path, name, mime, size, sha256, created_by, created_at", "id", 9, true, false},
    {"call_entry_files", "id, entry_id, org_path, name, mime, size, sha256, created_by, created_at", "id", 9, true, false},
    {"call_reminders", "id, call_id, org_id, org_path, channel, sent_by, sent_at", "id", 7, true, false},
    {"fund_disbursements", "id, call_id, entry_id, org_id, org_path, amount, day, note, created_by, created_at", "id", 10,
     true, false},
    {"expert_pool", "id, org_id, org_path, user_id, teacher_id, name, specialties, affiliation, active, created_by, "
                    "created_at, updated_at", "id", 12, true, false},
    {"call_reviewers", "id, call_id, user_id, org_path, user_path, branch_path, created_by, created_at, expert_id", "id", 9,
     true, false},
    {"call_rounds", "call_id, round_no, purpose, status, per_entry, opened_at, closed_at", "call_id, round_no", 7, false,
     false},
    {"call_reviews", "id, call_id, round_no, entry_id, reviewer_id, user_id, entry_path, status, total, outlier, comment, "
                     "submitted_at, reopened_reason, reopened_by, reopened_at, assigned_by, assigned_at", "id", 17, true,
     false},
    {"call_review_scores", "review_id, criterion_no, score, comment", "review_id, criterion_no", 4, false, false},
    {"designation_kinds", "code, name, subject, org_type, levels, valid_years, builtin", "code", 7, false, true},
    {"designations", "id, kind, level, subject_kind, subject_id, org_id, org_path, name, call_id, entry_id, valid_from, "
                     "valid_to, status, revoked_at, revoked_by, revoke_reason, revoke_call_id, created_by, created_at",
     "id", 19, true, false},
    {"call_publicities", "id, call_id, org_path, starts_at, ends_at, body, status, created_by, created_at", "id", 9, true, false},
    {"call_objections", "id, publicity_id, call_id, entry_id, org_path, name, phone_enc, phone_blind, body, status, response, "
                        "responded_by, responded_at, created_at", "id", 14, true, false},
    {"award_certificates", "id, call_id, entry_id, designation_id, org_path, serial, code, holder_name, title, level, "
                           "issuer_org_id, issuer_name, issued_at, status", "id", 14, true, false},
    {"notifications", "id, user_id, org_path, kind, ref_id, title, body, link, email_state, sms_state, created_at, "
                      "read_at", "id", 12, true, false},
    {"notify_prefs", "user_id, email, sms, lead_days, updated_at", "user_id", 5, false, false},
    {"todo_reminders_sent", "kind, ref_id, user_id, lead, sent_at", "kind, ref_id, user_id, lead", 5, false, false},
    {"meetings", "id, org_id, org_path, title, kind, starts_at, ends_at, place, agenda, contact, notes, "
                 "registration_deadline, default_quota, targeting, status, cancel_reason, changes, published_at, "
                 "created_by, created_at, updated_at", "id", 21, true, false},
    {"meeting_units", "id, meeting_id, org_id, org_path, quota", "id", 5, true, false},
    {"meeting_participants", "id, meeting_id, org_id, org_path, name, position, phone_enc, phone_blind, status, "
                             "checked_in_at, created_by, created_at, updated_at", "id", 13, true, false},
    {"assessment_schemes", "id, org_id, org_path, year, title, unit_type, status, frozen_at, created_by, created_at, "
                           "updated_at", "id", 11, true, false},
    {"assessment_indicators", "id, scheme_id, no, name, source, param, weight, max_points, description", "id", 9, true, false},
    {"assessment_manual_scores", "id, scheme_id, indicator_id, org_id, org_path, score_e2, note, scored_by, scored_at, "
                                 "created_by", "id", 10, true, false},
    {"assessment_evidence", "id, score_id, org_path, name, mime, size, sha256, created_by, created_at", "id", 9, true, false},
    {"assessment_results", "scheme_id, org_id, org_path, indicator_id, value_e4, score_e2, rank, detail",
     "scheme_id, org_id, indicator_id", 8, false, false},
    /* issue 16 A: notices, their recipients (receipts and replies), reply names and files */
    {"notices", "id, org_id, org_path, title, doc_no, body, contact_name, contact_phone, category, public, publish_at, "
                "reply_required, reply_deadline, reply_names, status, withdraw_reason, corrects_id, target, recipients_total, "
                "created_by, created_at, updated_at, published_at", "id", 23, true, false},
    {"notice_recipients", "id, notice_id, org_id, org_path, status, read_at, read_by, replied_at, reply_text, reply_by, "
                          "chased_on, created_by", "id", 12, true, false},
    {"notice_reply_names", "id, recipient_id, org_path, pos, name, unit, phone", "id", 7, true, false},
    {"notice_files", "id, notice_id, org_path, name, mime, size, sha256, created_by, created_at", "id", 9, true, false},
    {"notice_reply_files", "id, recipient_id, org_path, name, mime, size, sha256, created_by, created_at", "id", 9, true,
     false},
    /* issue 16 C: work plans, their tasks, owner units, progress reports and evidence */
    {"work_plans", "id, org_id, org_path, year, title, doc_no, body, status, published_at, created_by, created_at, "
                   "updated_at", "id", 12, true, false},
    {"tasks", "id, plan_id, plan_path, no, title, description, lead_org_id, deadline, outputs, target_id, weight, "
              "created_at, updated_at", "id", 13, true, false},
    {"task_owners", "id, task_id, org_id, org_path, progress, done_at", "id", 6, true, false},
    {"task_reports", "id, task_id, owner_id, org_id, org_path, plan_path, progress, text, done, status, reason, "
                     "reported_by, reported_at, decided_by, decided_at", "id", 15, true, false},
    {"task_report_files", "id, report_id, org_path, name, mime, size, sha256, created_by, created_at", "id", 9, true,
     false},
    /* issue 17: the question bank and its versions */
    {"questions", "id, org_id, org_path, type, category, difficulty, status, version, stem, source, tags, reviewed_by, "
                  "reviewed_at, created_by, created_at, updated_at", "id", 16, true, false},
    {"question_versions", "id, question_id, version, stem, options, answer, explanation, created_by, created_at", "id", 9,
     true, false},
    /* issue 17 C: literacy surveys */
    {"literacy_surveys", "id, org_id, org_path, year, group_dim, group_value, sample_size, rate_bp, weight_population, "
                         "source, note, created_by, created_at, updated_at", "id", 14, true, false},
    /* issue 17 B: contests, their players, attempts, papers, answers, bests, districts, certificates */
    {"contests", "id, org_id, org_path, title, kind, description, opens_at, closes_at, audience, rules, shuffle_questions, "
                 "shuffle_options, time_limit_s, question_time_s, attempts_per_day, attempts_total, certificate_top, "
                 "scoring, status, published_at, created_by, created_at, updated_at", "id", 23, true, false},
    {"contest_players", "id, contest_id, org_id, org_path, name, phone_enc, phone_blind, created_at", "id", 8, true, false},
    {"contest_attempts", "id, contest_id, contest_path, person_kind, person_id, person_name, org_id, org_path, token_hash, "
                         "seed, day, started_at, started_s, deadline_s, question_time_s, submitted_at, used_s, score, "
                         "max_score, correct, total, literacy, status", "id", 23, true, false},
    {"contest_papers", "attempt_id, no, question_id, version, option_order, points, category, served_s", "attempt_id, no", 8,
     false, false},
    {"contest_answers", "attempt_id, no, answer, answered_at, correct, points", "attempt_id, no", 6, false, false},
    {"contest_best", "contest_id, person_kind, person_id, person_name, org_id, org_path, attempt_id, score, used_s, at",
     "contest_id, person_kind, person_id", 10, false, false},
    {"contest_districts", "contest_id, org_id, org_path, participants, score_sum", "contest_id, org_id", 5, false, false},
    {"contest_certificates", "id, contest_id, attempt_id, code, rank, person_name, org_path, score, issued_at", "id", 9,
     true, false},
    /* issue 18 A: the resource library, its versions, uses in courses and ratings */
    {"resources", "id, org_id, org_path, title, summary, kind, topics, audience, authors, licence, status, shared_path, "
                  "review_comments, reviewed_by, reviewed_at, views, rating_sum, rating_count, premium, search_text, "
                  "created_by, created_at, updated_at", "id", 23, true, false},
    {"resource_versions", "id, resource_id, version_no, org_path, name, mime, size, sha256, text, created_by, created_at",
     "id", 11, true, false},
    {"resource_uses", "id, course_id, resource_id, org_path, created_by, created_at", "id", 6, true, false},
    {"resource_ratings", "resource_id, user_id, stars, created_at", "resource_id, user_id", 4, false, false},
    {"resource_view_days", "resource_id, org_path, day, n", "resource_id, org_path, day", 4, false, false},
    /* issue 18 D: 科普e站 screens, playlists, pairing codes, plays per day, administrators */
    {"playlists", "id, org_id, org_path, name, items, for_type, created_by, created_at, updated_at", "id", 9, true, false},
    {"screens", "id, org_id, org_path, name, place, status, token_hash, playlist_id, last_seq, last_seen, last_seen_s, plays, "
                "paired_at, created_by, created_at, updated_at", "id", 16, true, false},
    {"screen_pairings", "id, code, secret_hash, expires_s, screen_id, created_at", "id", 6, true, false},
    {"screen_play_days", "screen_id, org_path, day, n", "screen_id, org_path, day", 4, false, false},
    {"screen_admins", "id, org_id, org_path, name, phone_enc, trainings, awards, created_by, created_at, updated_at", "id", 10,
     true, false},
    /* issue 18 C: the portal's enrolments and its views per node and day */
    {"course_enrolments", "id, course_id, student_id, org_path, source, created_at", "id", 6, true, false},
    {"portal_view_days", "org_path, day, n", "org_path, day", 3, false, false},
    {"stat_rollups", "org_id, grain, bucket, activities, participants, materials, videos, views, volunteers, "
                     "volunteer_hours, funds", "org_id, grain, bucket", 11, false, false},
    {"stat_kind_rollups", "org_id, grain, bucket, kind, n", "org_id, grain, bucket, kind", 5, false, false},
};

static long long count_rows(db *c, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);   /* table names are ours */
    return db_query_int(c, sql);
}

static int copy_table(db *from, db *to, const struct table *t)
{
    char select[1024], insert[1024], marks[256] = "";
    snprintf(select, sizeof select, "SELECT %s FROM %s ORDER BY %s", t->columns, t->name, t->order);
    for (int i = 0; i < t->ncols; i++) strcat(marks, i ? ", ?" : "?");
    snprintf(insert, sizeof insert, "INSERT INTO %s (%s) VALUES (%s)", t->name, t->columns, marks);
    db_stmt *src = db_prepare(from, select);
    if (!src) return DB_ERR;
    int rc = db_begin(to);
    if (rc == DB_OK && t->seeded) {
        char clear[128];
        snprintf(clear, sizeof clear, "DELETE FROM %s", t->name);   /* table names are ours */
        rc = db_exec(to, clear);
    }
    while (rc == DB_OK && db_step(src) == DB_ROW) {
        db_stmt *dst = db_prepare(to, insert);
        if (!dst) { rc = DB_ERR; break; }
        for (int i = 0; i < t->ncols; i++) db_bind_text(dst, i + 1, db_col_text(src, i));
        rc = db_exec_stmt(dst);
        db_finish(dst);
    }
    db_finish(src);
    if (rc == DB_OK && t->has_identity) rc = db_reset_identity(to, t->name);
    if (rc == DB_OK) return db_commit(to);
    db_rollback(to);
    return rc;
}

int migrate_data(const char *from_url, const char *to_url)
{
    if (db_url_is_pg(from_url) || !db_url_is_pg(to_url)) {
        fprintf(stderr, "kepu migrate-data: copies a SQLite file (--from) into PostgreSQL (--to)\n");
        return 2;
    }
    db *from = app_open_database(from_url), *to = from ? app_open_database(to_url) : NULL;
    if (!from || !to) { db_close(from); return 2; }
    int failed = 0;
    if (count_rows(to, "orgs") != 0 || count_rows(to, "users") != 0) {
        fprintf(stderr, "kepu migrate-data: the target database is not empty\n");
        failed = 1;
    }
    for (size_t i = 0; !failed && i < sizeof tables / sizeof *tables; i++) {
        const struct table *t = &tables[i];
        int rc = copy_table(from, to, t);
        long long a = count_rows(from, t->name), b = count_rows(to, t->name);
        printf("%-18s %8lld -> %8lld %s\n", t->name, a, b, rc == DB_OK && a == b ? "ok" : "MISMATCH");
        if (rc != DB_OK || a != b) failed = 1;
    }
    db_close(from);
    db_close(to);
    if (!failed) printf("migrate-data: all tables copied, counts verified\n");
    return failed;
}
