-- Issue 16 B: meetings (会议). An org (the organizer) calls a meeting, invites units (targeting
-- resolved at publish into meeting_units, each with its quota of participants), the invited
-- units register named participants before the registration deadline, and the participants check
-- in at the door through the check-in module (owner kind 'meeting', person kind
-- 'meeting_participant'). Phones are stored encrypted and found by their blind index.
CREATE TABLE meetings (
    id                    {{ID_PK}},
    org_id                BIGINT NOT NULL REFERENCES orgs(id),
    org_path              {{TEXT_C}} NOT NULL,      -- the organizer, for scope
    title                 TEXT NOT NULL,
    kind                  TEXT NOT NULL,            -- report | work | training | forum | other
    starts_at             TEXT NOT NULL,            -- RFC 3339, +08:00
    ends_at               TEXT NOT NULL,
    place                 TEXT NOT NULL,
    agenda                TEXT,
    contact               TEXT,
    notes                 TEXT,
    registration_deadline TEXT NOT NULL,
    default_quota         INTEGER NOT NULL,
    targeting             TEXT NOT NULL DEFAULT '{}',   -- {"org_types": [...], "under": id, "org_ids": [...]}
    status                TEXT NOT NULL,            -- draft | published | changed | cancelled
    cancel_reason         TEXT,
    changes               TEXT NOT NULL DEFAULT '[]',   -- JSON array of {at, starts_at, ends_at, place}
    published_at          TEXT,
    created_by            BIGINT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
CREATE INDEX meetings_path ON meetings(org_path, starts_at);

CREATE TABLE meeting_units (
    id          {{ID_PK}},
    meeting_id  BIGINT NOT NULL REFERENCES meetings(id),
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    {{TEXT_C}} NOT NULL,                -- the invited unit, for its own scope
    quota       INTEGER NOT NULL,
    UNIQUE (meeting_id, org_id)
);
CREATE INDEX meeting_units_path ON meeting_units(org_path);

CREATE TABLE meeting_participants (
    id           {{ID_PK}},
    meeting_id   BIGINT NOT NULL REFERENCES meetings(id),
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    org_path     {{TEXT_C}} NOT NULL,               -- the unit that registered the person
    name         TEXT NOT NULL,
    position     TEXT,
    phone_enc    TEXT NOT NULL,
    phone_blind  TEXT NOT NULL,
    status       TEXT NOT NULL,                     -- registered | cancelled
    checked_in_at TEXT,
    created_by   BIGINT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX meeting_participants_meeting ON meeting_participants(meeting_id, org_id, status);
CREATE INDEX meeting_participants_phone ON meeting_participants(meeting_id, phone_blind);
