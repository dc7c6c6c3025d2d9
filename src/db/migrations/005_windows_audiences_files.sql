-- 005: named statistics windows (科技活动周, 全国科普日 ...), the audience dictionary and its
-- roll-ups, and files attached to activities.

-- A window is a named date range per year, set by admins: period "2026:science_week".
CREATE TABLE stat_windows (
    id          {{ID_PK}},
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    year        INTEGER NOT NULL,
    from_date   TEXT NOT NULL,
    to_date     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (year, code)
);

CREATE TABLE activity_audiences (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    sort    INTEGER NOT NULL DEFAULT 0
);
INSERT INTO activity_audiences (code, name, sort) VALUES
    ('youth', '青少年', 1), ('farmers', '农民', 2), ('workers', '城镇劳动者', 3),
    ('elderly', '老年人', 4), ('officials', '领导干部和公务员', 5), ('public', '社会公众', 6);

-- Audience counts live beside kind counts in stat_kind_rollups under the key
-- 'audience.<code>' (kind codes hold no dot). Records written before this version get theirs
-- here: every activity counts for its node and each ancestor.
INSERT INTO stat_kind_rollups (org_id, grain, bucket, kind, n)
SELECT o.id, 'd', a.start_date, 'audience.' || a.audience, COUNT(*)
FROM orgs o JOIN activities a ON a.org_path >= o.path
     AND a.org_path < substr(o.path, 1, length(o.path) - 1) || '0'
WHERE a.audience IS NOT NULL AND a.audience <> ''
GROUP BY o.id, a.start_date, a.audience;
INSERT INTO stat_kind_rollups (org_id, grain, bucket, kind, n)
SELECT org_id, 'm', substr(bucket, 1, 7), kind, SUM(n) FROM stat_kind_rollups
WHERE grain = 'd' AND kind LIKE 'audience.%'
GROUP BY org_id, substr(bucket, 1, 7), kind;

-- Photos and attachments: the bytes live on disk under files/<sha256>, shared by identical
-- uploads; a row per attachment keeps its name, sniffed type and owner.
CREATE TABLE activity_files (
    id          {{ID_PK}},
    activity_id BIGINT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    org_path    {{TEXT_C}} NOT NULL,
    name        TEXT NOT NULL,
    mime        TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    created_by  BIGINT,
    created_at  TEXT NOT NULL
);
CREATE INDEX activity_files_activity ON activity_files(activity_id);
CREATE INDEX activity_files_sha ON activity_files(sha256);
