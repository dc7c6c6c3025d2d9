-- Issue 16 D: the to-do home's indexes and the reminders already sent.
-- Plans awaiting review are read by status within a subtree (plan_review): one range scan.
CREATE INDEX teaching_plans_status ON teaching_plans(status, org_path);

-- One row per reminder sent: a deadline (the source's kind and the record's id) reminded to a user
-- for one lead (days before). The reminder worker of every node claims a reminder by inserting
-- its row; the unique key makes the second node's insert fail, so a reminder goes out once.
CREATE TABLE todo_reminders_sent (
    kind     TEXT NOT NULL,
    ref_id   BIGINT NOT NULL,
    user_id  BIGINT NOT NULL REFERENCES users(id),
    lead     INTEGER NOT NULL,
    sent_at  TEXT NOT NULL,
    PRIMARY KEY (kind, ref_id, user_id, lead)
);

-- Sign-ups and applications pending (volunteer_approve), read by state within a subtree; the open
-- calls by their deadline (call_entry_due's reminders).
CREATE INDEX volunteer_signups_status ON volunteer_signups(status, org_path);
CREATE INDEX volunteer_members_status ON volunteer_members(status, org_path);
CREATE INDEX calls_status_deadline ON calls(status, deadline);
