-- 011: science-and-technology volunteers (科技志愿者) and their teams (科技志愿服务队), DOMAIN.md
-- §2.2. Volunteers are registered at an org (by staff, an import or themselves on a public page);
-- ID numbers and phones are stored encrypted (pii_encrypt) and found by their blind index, one
-- volunteer per ID number. Teams belong to an owner org and one of eight categories whose suffix
-- makes the proposed name; members join by application (approved by a team admin) or invitation
-- (accepted by the volunteer). Projects, sign-up, hours and certificates build on these tables.

CREATE TABLE volunteer_counters (
    year      INTEGER PRIMARY KEY,
    last_seq  BIGINT NOT NULL
);

CREATE TABLE volunteers (
    id              {{ID_PK}},
    org_id          BIGINT NOT NULL REFERENCES orgs(id),
    org_path        {{TEXT_C}} NOT NULL,           -- the registering org, for scope
    volunteer_no    TEXT NOT NULL UNIQUE,          -- KP + year + 6-digit serial
    name            TEXT NOT NULL,
    gender          TEXT,                          -- male | female
    birth_date      TEXT NOT NULL,                 -- from the ID number
    id_number_enc   TEXT NOT NULL,
    id_number_blind TEXT NOT NULL UNIQUE,          -- pii_blind("id_number"): one volunteer per person
    phone_enc       TEXT NOT NULL,
    phone_blind     TEXT NOT NULL,
    skills          TEXT NOT NULL DEFAULT '[]',    -- JSON array of text
    fields          TEXT NOT NULL DEFAULT '[]',    -- JSON array of text (服务领域)
    availability    TEXT NOT NULL DEFAULT '[]',    -- JSON array of weekdays | weekends | evenings | holidays
    status          TEXT NOT NULL,                 -- active | suspended | left
    source          TEXT NOT NULL,                 -- staff | self | import
    created_by      BIGINT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX volunteers_path ON volunteers(org_path);
CREATE INDEX volunteers_phone ON volunteers(phone_blind);

-- The eight categories of DOMAIN.md §2.2 with the suffix their team names end with.
CREATE TABLE volunteer_team_categories (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    suffix  TEXT NOT NULL,
    sort    INTEGER NOT NULL
);
INSERT INTO volunteer_team_categories (code, name, suffix, sort) VALUES
    ('district', '县(区)科技志愿服务分队', '科技志愿服务分队', 1),
    ('society', '学会(协会、研究会)科技志愿服务队', '科技志愿服务队', 2),
    ('university', '高校科技志愿服务队', '科技志愿服务队', 3),
    ('enterprise', '企业(园区)科技志愿服务队', '科技志愿服务队', 4),
    ('rural', '农技协科技志愿服务队', '农技协科技志愿服务队', 5),
    ('youth', '青少年科技志愿服务队', '青少年科技志愿服务队', 6),
    ('caravan', '科普大篷车科技志愿服务队', '科普大篷车科技志愿服务队', 7),
    ('base', '科普教育基地科技志愿服务队', '科技志愿服务队', 8);

CREATE TABLE volunteer_teams (
    id                  {{ID_PK}},
    org_id              BIGINT NOT NULL REFERENCES orgs(id),
    org_path            {{TEXT_C}} NOT NULL,       -- the owner org, for scope
    category            TEXT NOT NULL REFERENCES volunteer_team_categories(code),
    name                TEXT NOT NULL UNIQUE,
    contact_name        TEXT,
    contact_phone_enc   TEXT,
    contact_phone_blind TEXT,
    description         TEXT,
    status              TEXT NOT NULL,             -- active | suspended | dissolved
    created_by          BIGINT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX volunteer_teams_path ON volunteer_teams(org_path);

-- A volunteer in a team: applied (pending) or invited until decided; active members hold a role.
-- org_path is the team's, so a team admin's scope filters the team's members.
CREATE TABLE volunteer_members (
    id            {{ID_PK}},
    team_id       BIGINT NOT NULL REFERENCES volunteer_teams(id),
    volunteer_id  BIGINT NOT NULL REFERENCES volunteers(id),
    org_path      {{TEXT_C}} NOT NULL,
    role          TEXT NOT NULL,                   -- leader (队长) | deputy (副队长) | member (队员)
    status        TEXT NOT NULL,                   -- pending | invited | active | declined | left
    source        TEXT NOT NULL,                   -- applied | invited | staff
    decided_by    BIGINT,
    decided_at    TEXT,
    created_by    BIGINT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (team_id, volunteer_id)
);
CREATE INDEX volunteer_members_volunteer ON volunteer_members(volunteer_id, status);
CREATE INDEX volunteer_members_path ON volunteer_members(org_path);
