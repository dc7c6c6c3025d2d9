-- 009: wrong 6-digit codes are counted per session: past a limit the code stops working for that
-- session (the QR code still does), so a million codes cannot be tried while a session is open.
-- Reopening a session draws a new code and starts the count again.
ALTER TABLE checkin_sessions ADD COLUMN code_failures INTEGER NOT NULL DEFAULT 0;
