-- 023 (issue 15, package D): funds of the calls engine (src/calls/funds.c). A call's budget is
-- calls.budget and each award's amount call_entries.award_amount (020, decided by package C);
-- here: the money paid out on an awarded entry, in whole yuan, on a Shanghai day.
CREATE TABLE fund_disbursements (
    id          {{ID_PK}},
    call_id     BIGINT NOT NULL REFERENCES calls(id),
    entry_id    BIGINT NOT NULL REFERENCES call_entries(id),
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    {{TEXT_C}} NOT NULL,
    amount      BIGINT NOT NULL,
    day         TEXT NOT NULL,
    note        TEXT,
    created_by  BIGINT,
    created_at  TEXT NOT NULL
);
CREATE INDEX fund_disbursements_entry ON fund_disbursements(entry_id);
CREATE INDEX fund_disbursements_call ON fund_disbursements(call_id);
CREATE INDEX fund_disbursements_path ON fund_disbursements(org_path);
