-- 045 (issue 18): two-character searches of the resource library through an index. FTS5's
-- trigram index (039) finds substrings of three characters or more; most Chinese searches are
-- two (急救, 防火), which fell back to a scan of every resource's text (80-250 ms over 100,000
-- resources). On SQLite a second FTS5 index tokenizes the same column into neighbouring pairs of
-- characters (the tokenizer kepu_bigram, src/db/sqlite_bigram.c, which every connection of the
-- server registers). It reads its text from resources (external content: no second copy), so
-- its triggers give the old text on delete. A tool that writes resources must register the
-- tokenizer too (the sqlite3 shell cannot: change resources through kepu). PostgreSQL keeps its
-- pg_trgm index, whose short queries scan the index instead of the table.
-- sqlite only {
CREATE VIRTUAL TABLE resource_bigram_fts USING fts5(search_text, tokenize = 'kepu_bigram', content = 'resources',
                                                    content_rowid = 'id');
INSERT INTO resource_bigram_fts (resource_bigram_fts) VALUES ('rebuild');
CREATE TRIGGER resource_bigram_insert AFTER INSERT ON resources BEGIN
    INSERT INTO resource_bigram_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER resource_bigram_update AFTER UPDATE OF search_text ON resources BEGIN
    INSERT INTO resource_bigram_fts (resource_bigram_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO resource_bigram_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER resource_bigram_delete AFTER DELETE ON resources BEGIN
    INSERT INTO resource_bigram_fts (resource_bigram_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
-- }
-- postgresql only {
COMMENT ON INDEX resources_search_trgm IS 'the resource library''s search (039): queries of 3+ characters; shorter ones read all of the index';
-- }
