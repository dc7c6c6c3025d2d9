-- 046 (issue 18): the portal's home and a point's page list the courses still to come (status
-- scheduled, soonest first): read down this index instead of sorting every course of the city.
CREATE INDEX courses_open ON courses(status, starts_at);
