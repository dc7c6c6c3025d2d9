-- 020 (issue 15, package A): the calls engine's core (src/calls/, calls.h). A level above issues
-- a call (征集, 申报, 推荐, 评选, 认定) from a template; the units below enter entries by a deadline
-- and within quotas; entries are recommended upward stage by stage. A call's configuration (its
-- form, stages, review, awards, designation) is a copy of its template's, kept as JSON text
-- (parsed with jansson, the same on both engines); what is counted, ranked or scoped is rows.
-- Times are RFC 3339 text in Asia/Shanghai (+08:00), compared as text. Reviews (021), results and
-- titles (022) and funds (023) refer to these tables.

-- A template an admin copies into a call (builtin ones are seeded by package E; org_id NULL: the
-- whole system's). config: {"form":[...], "stages":[...], "quotas":{...}, "review":{...}, ...}.
CREATE TABLE call_templates (
    id          {{ID_PK}},
    code        {{TEXT_C}} NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,          -- collection | application | nomination | contest | selection | recertification
    config      TEXT NOT NULL,          -- JSON object
    builtin     INTEGER NOT NULL DEFAULT 0,
    org_id      BIGINT REFERENCES orgs(id),
    org_path    {{TEXT_C}} NOT NULL,    -- the owner's path ('' reads as the root's for builtin ones)
    created_by  BIGINT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX call_templates_path ON call_templates(org_path);

CREATE TABLE calls (
    id              {{ID_PK}},
    template_code   TEXT NOT NULL,
    org_id          BIGINT NOT NULL REFERENCES orgs(id),    -- the owner (issuer)
    org_path        {{TEXT_C}} NOT NULL,
    year            INTEGER NOT NULL,
    title           TEXT NOT NULL,
    body            TEXT,
    doc_no          TEXT,
    contact         TEXT,
    status          TEXT NOT NULL,          -- draft | open | reviewing | deciding | publicizing | final | archived | cancelled
    eligible        TEXT NOT NULL,          -- types | named | persons | holders
    eligible_types  TEXT,                   -- JSON array of org types (eligible = types)
    person_kind     TEXT,                   -- teacher | volunteer (eligible = persons)
    holder_kind     TEXT,                   -- a designation kind (eligible = holders)
    form            TEXT NOT NULL,          -- JSON array of field definitions (call_form.c)
    stages          TEXT NOT NULL,          -- JSON [{org_type, max_recommend, deadline}]
    min_per_unit    INTEGER NOT NULL DEFAULT 0,
    max_per_unit    INTEGER NOT NULL DEFAULT 0,     -- 0: no maximum
    deadline        TEXT NOT NULL,          -- RFC 3339 +08:00
    late_policy     TEXT NOT NULL,          -- refuse | flag
    resubmit_days   INTEGER NOT NULL DEFAULT 0,
    review          TEXT,                   -- JSON (package B)
    awards          TEXT,                   -- JSON (package C)
    designation     TEXT,                   -- JSON (package C)
    budget          BIGINT NOT NULL DEFAULT 0,     -- yuan (package D)
    revoke_last     INTEGER NOT NULL DEFAULT 0,
    revoke_share    INTEGER NOT NULL DEFAULT 0,
    min_figures     TEXT,                   -- JSON {"courses": 24}
    entries_total   INTEGER NOT NULL DEFAULT 0,    -- entries neither draft nor withdrawn, kept current
    published_at    TEXT,
    results_at      TEXT,
    created_by      BIGINT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX calls_path ON calls(org_path);
CREATE INDEX calls_status ON calls(status, year);

-- Named eligible units (stage 0) and per-unit quota overrides; a row of stage >= 1 caps the
-- recommendations of one recommending unit. NULL: the call's default.
CREATE TABLE call_units (
    call_id     BIGINT NOT NULL REFERENCES calls(id),
    stage_no    INTEGER NOT NULL,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    {{TEXT_C}} NOT NULL,
    min_entries INTEGER,
    max_entries INTEGER,
    PRIMARY KEY (call_id, stage_no, org_id)
);
CREATE INDEX call_units_path ON call_units(org_path);

-- Per unit and call, kept current by every entry transition in its own transaction: the
-- progress board's source and the quota guard (UPDATE ... WHERE submitted < max: atomic).
-- recommended counts the entries this unit recommended upward (the unit as a stage).
CREATE TABLE call_unit_counts (
    call_id     BIGINT NOT NULL REFERENCES calls(id),
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    {{TEXT_C}} NOT NULL,
    drafts      INTEGER NOT NULL DEFAULT 0,
    submitted   INTEGER NOT NULL DEFAULT 0,     -- entries counting against the quota (submitted and beyond)
    returned    INTEGER NOT NULL DEFAULT 0,
    late        INTEGER NOT NULL DEFAULT 0,
    recommended INTEGER NOT NULL DEFAULT 0,
    withdrawn   INTEGER NOT NULL DEFAULT 0,
    last_at     TEXT,
    PRIMARY KEY (call_id, org_id)
);
CREATE INDEX call_unit_counts_path ON call_unit_counts(call_id, org_path);
CREATE INDEX call_unit_counts_org_path ON call_unit_counts(org_path);

CREATE TABLE call_entries (
    id                  {{ID_PK}},
    call_id             BIGINT NOT NULL REFERENCES calls(id),
    kind                TEXT NOT NULL DEFAULT 'entry',  -- entry | midterm | final | recert
    parent_id           BIGINT REFERENCES call_entries(id),
    org_id              BIGINT NOT NULL REFERENCES orgs(id),   -- the entrant
    org_path            {{TEXT_C}} NOT NULL,
    branch_path         {{TEXT_C}} NOT NULL,    -- the entrant's ancestor one level below the call's owner
    subject_kind        TEXT NOT NULL DEFAULT 'none',   -- org | teacher | volunteer | none
    subject_id          BIGINT,
    subject_name        TEXT,
    title               TEXT NOT NULL,
    field_values        TEXT NOT NULL,          -- JSON {key: value}, checked against the call's form
    figures             TEXT,                   -- JSON {key: n, "as_of": day}, snapshotted on submit
    status              TEXT NOT NULL,          -- draft | submitted | returned | recommended | not_recommended | under_review | decided | withdrawn
    stage_no            INTEGER NOT NULL DEFAULT 0,
    stage_org_id        BIGINT REFERENCES orgs(id),     -- the unit that holds it at this stage
    late                INTEGER NOT NULL DEFAULT 0,
    counted_day         TEXT,                   -- the Shanghai day it first counted (statistics)
    blind_code          TEXT,
    first_submitted_at  TEXT,
    submitted_at        TEXT,
    returned_at         TEXT,
    returned_reason     TEXT,
    n_reviews           INTEGER NOT NULL DEFAULT 0,
    score_sum           BIGINT NOT NULL DEFAULT 0,
    score_mean          INTEGER NOT NULL DEFAULT 0,
    score_agg           INTEGER NOT NULL DEFAULT 0,
    score_spread        INTEGER NOT NULL DEFAULT 0,
    tie1                INTEGER NOT NULL DEFAULT 0,
    rank                INTEGER,
    tied                INTEGER NOT NULL DEFAULT 0,
    outcome             TEXT,
    award_level         TEXT,
    award_amount        BIGINT NOT NULL DEFAULT 0,
    decision_reason     TEXT,
    decided_by          BIGINT,
    decided_at          TEXT,
    created_by          BIGINT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX call_entries_path ON call_entries(org_path);
CREATE INDEX call_entries_unit ON call_entries(call_id, org_id, status);
CREATE INDEX call_entries_branch ON call_entries(call_id, branch_path);
CREATE INDEX call_entries_ranking ON call_entries(call_id, kind, score_agg DESC, score_mean DESC, tie1 DESC,
                                                  first_submitted_at, id);

-- An entry's history (db/steps.h).
CREATE TABLE call_entry_steps (
    id              {{ID_PK}},
    entry_id        BIGINT NOT NULL REFERENCES call_entries(id),
    org_path        {{TEXT_C}} NOT NULL,
    action          TEXT NOT NULL,
    from_status     TEXT,
    to_status       TEXT,
    reason          TEXT,
    actor_id        BIGINT,
    actor_name      TEXT,
    actor_org_id    BIGINT,
    at              TEXT NOT NULL
);
CREATE INDEX call_entry_steps_entry ON call_entry_steps(entry_id);
CREATE INDEX call_entry_steps_path ON call_entry_steps(org_path);

-- Attachments (files/attachments.h) of a call (its documents) and of an entry (its evidence).
CREATE TABLE call_files (
    id          {{ID_PK}},
    call_id     BIGINT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    org_path    {{TEXT_C}} NOT NULL,
    name        TEXT NOT NULL,
    mime        TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    created_by  BIGINT,
    created_at  TEXT NOT NULL
);
CREATE INDEX call_files_call ON call_files(call_id);
CREATE INDEX call_files_sha ON call_files(sha256);

CREATE TABLE call_entry_files (
    id          {{ID_PK}},
    entry_id    BIGINT NOT NULL REFERENCES call_entries(id) ON DELETE CASCADE,
    org_path    {{TEXT_C}} NOT NULL,
    name        TEXT NOT NULL,
    mime        TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    created_by  BIGINT,
    created_at  TEXT NOT NULL
);
CREATE INDEX call_entry_files_entry ON call_entry_files(entry_id);
CREATE INDEX call_entry_files_sha ON call_entry_files(sha256);

-- Reminders sent to units behind (package D writes them).
CREATE TABLE call_reminders (
    id          {{ID_PK}},
    call_id     BIGINT NOT NULL REFERENCES calls(id),
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    {{TEXT_C}} NOT NULL,
    channel     TEXT NOT NULL,          -- app | sms
    sent_by     BIGINT,
    sent_at     TEXT NOT NULL
);
CREATE INDEX call_reminders_call ON call_reminders(call_id, org_id);
CREATE INDEX call_reminders_path ON call_reminders(org_path);
