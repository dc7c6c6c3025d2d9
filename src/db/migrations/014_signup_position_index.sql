-- 014: the counts of a project's positions (accepted, pending) are read on every project page and
-- list row; without an index each count scanned every sign-up of the database.
CREATE INDEX volunteer_signups_position ON volunteer_signups(position_id, status);
