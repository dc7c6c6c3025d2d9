-- 038 (issue 17 review): one table for the 6-digit codes that prove a phone (src/auth/phone_code.h),
-- used by the volunteer phone's "find me" and by a contest player's on a new phone. It replaces
-- volunteer_find_codes (016): codes live 5 minutes, so the ones pending at the upgrade are not
-- carried over (the phone asks for a new one).
CREATE TABLE phone_codes (
    purpose     TEXT NOT NULL,          -- the flow and what it is bound to: 'volunteer', 'contest:42'
    phone_blind TEXT NOT NULL,
    code_hash   TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,        -- unix seconds
    tries       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (purpose, phone_blind)
);
DROP TABLE volunteer_find_codes;
