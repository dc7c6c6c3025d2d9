-- 017: each applied migration's SHA-256 (hex, of the file's text as embedded), so that a migration
-- file edited after it was applied stops the server (migrate.c). Rows applied before this
-- column existed get the checksum of the text embedded in the binary that adds it.
ALTER TABLE schema_migrations ADD COLUMN checksum TEXT;
