-- 039 (issue 18 A): the course resource library (精品课程资源库). A resource is uploaded by a node
-- (org_path), reviewed by the level above it and, once approved, shared down from the approving
-- node (shared_path): every user whose node is under shared_path reads it. Its files are versions
-- (the newest is the current one); courses link resources (resource_uses); users rate them once
-- each (resource_ratings; the sum and count are kept on the row).
CREATE TABLE resources (
    id              {{ID_PK}},
    org_id          BIGINT NOT NULL REFERENCES orgs(id),
    org_path        {{TEXT_C}} NOT NULL,        -- the uploader's node, for scope
    title           TEXT NOT NULL,
    summary         TEXT,
    kind            TEXT NOT NULL,              -- video | audio | slides | document | ebook | images
    topics          TEXT NOT NULL DEFAULT '[]', -- JSON array of teaching_categories codes
    audience        TEXT,
    authors         TEXT,
    licence         TEXT,
    status          TEXT NOT NULL,              -- draft | pending | approved | rejected | withdrawn
    shared_path     {{TEXT_C}},                 -- the approving node's path (NULL until approved)
    review_comments TEXT,
    reviewed_by     BIGINT,
    reviewed_at     TEXT,
    views           BIGINT NOT NULL DEFAULT 0,
    rating_sum      BIGINT NOT NULL DEFAULT 0,
    rating_count    BIGINT NOT NULL DEFAULT 0,
    premium         INTEGER NOT NULL DEFAULT 0,
    search_text     TEXT NOT NULL DEFAULT '',   -- title, summary and the current version's text
    created_by      BIGINT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX resources_path ON resources(org_path, id);
CREATE INDEX resources_shared ON resources(shared_path);

CREATE TABLE resource_versions (
    id          {{ID_PK}},
    resource_id BIGINT NOT NULL REFERENCES resources(id),
    version_no  INTEGER NOT NULL,
    org_path    {{TEXT_C}} NOT NULL,            -- the resource's, for scope
    name        TEXT NOT NULL,
    mime        TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    text        TEXT NOT NULL DEFAULT '',       -- text extracted for search (a PDF's, bounded)
    created_by  BIGINT,
    created_at  TEXT NOT NULL,
    UNIQUE (resource_id, version_no)
);

CREATE TABLE resource_uses (
    id          {{ID_PK}},
    course_id   BIGINT NOT NULL REFERENCES courses(id),
    resource_id BIGINT NOT NULL REFERENCES resources(id),
    org_path    {{TEXT_C}} NOT NULL,            -- the course's, for scope
    created_by  BIGINT,
    created_at  TEXT NOT NULL,
    UNIQUE (course_id, resource_id)
);
CREATE INDEX resource_uses_resource ON resource_uses(resource_id);
CREATE INDEX resource_uses_path ON resource_uses(org_path);

CREATE TABLE resource_ratings (
    resource_id BIGINT NOT NULL REFERENCES resources(id),
    user_id     BIGINT NOT NULL,
    stars       INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (resource_id, user_id)
);

-- Views of resources by signed-in users, per resource, the viewer's node and Shanghai day: the raw
-- records of the statistics' keyed metric resource_views (stats verify recomputes it from here).
CREATE TABLE resource_view_days (
    resource_id BIGINT NOT NULL REFERENCES resources(id),
    org_path    {{TEXT_C}} NOT NULL,            -- the viewer's node
    day         TEXT NOT NULL,                  -- YYYY-MM-DD, Shanghai
    n           BIGINT NOT NULL,
    PRIMARY KEY (resource_id, org_path, day)
);
CREATE INDEX resource_view_days_path ON resource_view_days(org_path, day);

-- The search over search_text (resources_search(), src/resources/resource_search.c): a trigram
-- index on each engine, which finds any substring of 3 characters or more, Chinese included
-- (no word segmentation needed); shorter queries fall back to LIKE over the same column.
-- sqlite only {
CREATE VIRTUAL TABLE resource_fts USING fts5(search_text, tokenize = 'trigram');
CREATE TRIGGER resource_fts_insert AFTER INSERT ON resources BEGIN
    INSERT INTO resource_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER resource_fts_update AFTER UPDATE OF search_text ON resources BEGIN
    DELETE FROM resource_fts WHERE rowid = old.id;
    INSERT INTO resource_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER resource_fts_delete AFTER DELETE ON resources BEGIN
    DELETE FROM resource_fts WHERE rowid = old.id;
END;
-- }
-- postgresql only {
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX resources_search_trgm ON resources USING gin (search_text gin_trgm_ops);
-- }
