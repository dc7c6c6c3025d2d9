-- 040 (issue 18): what the public portal may show and the "科普+" live rooms. A resource or an
-- activity is on the portal only when its node marks it public (is_public); an activity may carry
-- a live stream's link and its replay's, and counts the viewers of its live room (stream_viewers,
-- one per visitor and day, counted by the portal).
ALTER TABLE resources ADD COLUMN is_public INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activities ADD COLUMN is_public INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activities ADD COLUMN stream_url TEXT;
ALTER TABLE activities ADD COLUMN replay_url TEXT;
ALTER TABLE activities ADD COLUMN stream_viewers BIGINT NOT NULL DEFAULT 0;
-- the portal's calendar and its coming activities: those still running from a day on
CREATE INDEX activities_public ON activities(is_public, end_date, start_date);
-- the portal's list of public resources, premium first and newest next, read in this order
CREATE INDEX resources_public ON resources(is_public, status, premium, id);
