-- 043 (issue 18): what the media probe read of a video or audio version of a resource (its
-- length, picture size and codec) and the poster frame drawn from a video, kept in the file
-- store under its SHA-256 like every file.
ALTER TABLE resource_versions ADD COLUMN duration_ms BIGINT;
ALTER TABLE resource_versions ADD COLUMN width INTEGER;
ALTER TABLE resource_versions ADD COLUMN height INTEGER;
ALTER TABLE resource_versions ADD COLUMN codec TEXT;
ALTER TABLE resource_versions ADD COLUMN poster_sha256 TEXT;
