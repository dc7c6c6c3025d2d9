-- 015: attempt counts of the limiter (src/auth/limiter.c) when several nodes share PostgreSQL:
-- one row per hashed key (never a clear address, phone or ID number), a fixed window each.
-- SQLite deployments (one node) keep their counts in memory and leave this table empty.
CREATE TABLE rate_limits (
    key_hash TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hits INTEGER NOT NULL,
    last_at BIGINT NOT NULL
);
CREATE INDEX rate_limits_last_at ON rate_limits(last_at);
