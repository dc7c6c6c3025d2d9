-- 016: one-time codes of the volunteer phone's "find me" (src/volunteers/vp_find.c), sent by SMS.
-- One row per phone (its blind index, never the number), replaced by each new code; a code is
-- good for 5 minutes, 5 tries, and is deleted when used. Held in the database so that every
-- node accepts a code another node sent.
CREATE TABLE volunteer_find_codes (
    phone_blind TEXT PRIMARY KEY,
    code_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0
);
