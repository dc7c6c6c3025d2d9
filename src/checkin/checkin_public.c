/* checkin_public.c - what a phone does without an account (see checkin.h): look at a session
 * through a scanned token, check in with the token or the session's code, as a remembered
 * person (one tap) or by name and phone, and afterwards rate the owner with the remembered key.
 * The limits against abuse (wrong codes and names per address, newcomers per session and
 * address) are taken here, outside the transactions. Nothing personal is ever answered here but
 * the person's own key. */
#include "checkin/checkin_internal.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "auth/limiter.h"
#include "db/query.h"
#include "model/entity.h"
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int checkin_public_view(db *c, arena *a, int64_t session_id, const char *token, checkin_session *out)
{
    /* the token first: without one of this session's nothing tells whether the session exists */
    int rc = checkin_token_check(session_id, token);
    if (rc != DB_OK) return rc;
    /* unscoped: a public flow that proved the session's token */
    if ((rc = entity_get_unscoped(c, &checkin_session_entity, a, session_id, out)) != DB_OK)
        return rc == CHK_NOT_FOUND ? CHK_TOKEN_INVALID : rc;
    return checkin_window_open(out) ? DB_OK : CHK_WINDOW_CLOSED;
}

struct pub_args {
    arena *a;
    int64_t session_id;
    const checkin_input *in;
    checkin_result *out;
    bool admit_newcomer;     /* the newcomers' limits were taken: an unknown phone may enrol */
    const char *key_hash;    /* the person key's stored hash, taken before the transaction so that
                              * the keyed hash is not computed in the group commit's serial section */
};

/* The person holding the key whose stored hash is key_hash. */
static int person_of_key_hash(db *c, const char *person_kind, const char *key_hash, int64_t *person_id)
{
    qb q;
    qb_init(&q, "SELECT person_id FROM checkin_keys WHERE key_hash = ? AND person_kind = ?");
    qb_text(&q, key_hash);
    qb_text(&q, person_kind);
    int rc = qb_exec(c, &q, person_id);
    return rc == DB_DONE ? CHK_BAD_KEY : rc;
}

int checkin_person_of_key(db *c, arena *a, const char *person_kind, const char *person_key, int64_t *person_id)
{
    return person_of_key_hash(c, person_kind, checkin_key_hash(a, person_key), person_id);
}

int checkin_issue_key(db *c, arena *a, const char *person_kind, int64_t person_id, const char **person_key)
{
    const char *hash;
    char now[40];
    qb q;
    checkin_new_key(a, person_key, &hash);
    time_now_rfc3339(now);
    qb_init(&q, "INSERT INTO checkin_keys (key_hash, person_kind, person_id, created_at) VALUES (?, ?, ?, ?)");
    qb_text(&q, hash);
    qb_text(&q, person_kind);
    qb_int(&q, person_id);
    qb_text(&q, now);
    return qb_exec(c, &q, NULL);
}

/* The public check-in acts by the phone's key or the QR code, not as a user: the audit names it
 * "public_checkin" with the request's origin. */
static actor public_actor(const checkin_kind *k, const char *request_id, const char *ip)
{
    enum actor_kind kind = strcmp(k->person_kind, "volunteer") ? ACTOR_STUDENT_KEY : ACTOR_VOLUNTEER_KEY;
    return actor_key(kind, "public_checkin", request_id, ip);
}

/* Check-out of a remembered person: only after a check-in, once; the kind's on_leave hook runs
 * in the same transaction. */
static int checkout_cb(db *c, struct pub_args *w, const checkin_kind *k, const checkin_session *ses)
{
    checkin_result *out = w->out;
    char now[40];
    time_now_rfc3339(now);
    if (!k->on_leave) return CHK_NO_CHECKOUT;
    int rc = person_of_key_hash(c, k->person_kind, w->key_hash, &out->person_id);
    if (rc != DB_OK) return rc;
    out->person_key = w->in->person_key;
    out->out = true;
    out->title = ses->owner.title;
    out->checked_in = ses->checked_in;
    int64_t left = 0;
    qb q;
    qb_init(&q, "SELECT CASE WHEN out_at IS NULL THEN 0 ELSE 1 END FROM checkins WHERE session_id = ? "
                "AND person_kind = ? AND person_id = ?");
    qb_int(&q, ses->id);
    qb_text(&q, k->person_kind);
    qb_int(&q, out->person_id);
    if ((rc = qb_exec(c, &q, &left)) == DB_DONE) return CHK_NOT_CHECKED_IN;
    if (rc != DB_OK) return rc;
    if (left) { out->already = true; return DB_OK; }
    qb_init(&q, "UPDATE checkins SET out_at = ? WHERE session_id = ? AND person_kind = ? AND person_id = ?");
    qb_text(&q, now);
    qb_int(&q, ses->id);
    qb_text(&q, k->person_kind);
    qb_int(&q, out->person_id);
    if ((rc = qb_exec(c, &q, NULL)) == DB_OK) rc = k->on_leave(c, w->a, ses->owner_id, out->person_id, now);
    if (rc != DB_OK) return rc;
    json_t *after = json_pack("{s:s, s:I, s:s}", "person_kind", k->person_kind, "person_id",
                              (json_int_t)out->person_id, "method", w->in->token ? "qr" : "code");
    rc = audit_record(c, public_actor(k, w->in->request_id, w->in->ip), ses->org_path, "checkin_session", ses->id, "checkout", NULL, after);
    json_decref(after);
    return rc;
}

/* Skips white space: ASCII, U+00A0 and U+3000 (the full-width space of Chinese input). */
static const unsigned char *skip_space(const unsigned char *p)
{
    for (;;) {
        if (*p == ' ' || (*p >= '\t' && *p <= '\r')) p++;
        else if (p[0] == 0xC2 && p[1] == 0xA0) p += 2;
        else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) p += 3;
        else return p;
    }
}

/* True when two names are the same but for white space (ASCII, U+3000, U+00A0) and ASCII case. */
static bool names_match(const char *a, const char *b)
{
    if (!a || !b) return false;
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    for (;;) {
        p = skip_space(p), q = skip_space(q);
        if (!*p || !*q) return !*p && !*q;
        if (tolower(*p) != tolower(*q)) return false;
        p++, q++;
    }
}

/* A person by name and phone (no key). A newcomer is enrolled (once the limits admitted it) and
 * given a key. A phone on record is taken only under its name on record, and given its key only
 * with the QR token: the code may have been passed to someone outside the room, who could
 * otherwise check in any known student and rate as them. */
static int by_name_and_phone(db *c, struct pub_args *w, const checkin_kind *k, const checkin_session *ses,
                             bool *enrolled)
{
    checkin_enrolment e = {.name = w->in->name, .phone = w->in->phone, .create = w->admit_newcomer};
    int rc = k->enrol(c, public_actor(k, w->in->request_id, w->in->ip), w->a, &ses->owner, &e);
    if (rc != DB_OK) return rc;
    w->out->person_id = e.person_id;
    *enrolled = e.enrolled;
    if (!e.enrolled && !names_match(e.known_name, w->in->name)) return CHK_NAME_MISMATCH;
    if (!e.enrolled && !w->in->token) return DB_OK;   /* checked in by the code, no key */
    return checkin_issue_key(c, w->a, k->person_kind, e.person_id, &w->out->person_key);
}

static int public_cb(db *c, void *cls)
{
    struct pub_args *w = cls;
    const checkin_input *in = w->in;
    checkin_session ses;
    /* unscoped: no user; the token or code is checked before anything about the session is told */
    int rc = entity_get_unscoped(c, &checkin_session_entity, w->a, w->session_id, &ses);
    /* no such session is answered as a wrong code or token: session ids are not revealed */
    if (rc == CHK_NOT_FOUND) return in->token ? CHK_TOKEN_INVALID : CHK_CODE_INVALID;
    if (rc != DB_OK) return rc;
    const checkin_kind *k = checkin_kind_find(ses.owner_kind);
    if (!k) return CHK_UNKNOWN_KIND;
    /* the token was checked before the transaction; the code is checked before the window, so
     * that only a caller who proved it learns that the session is closed or not open yet */
    if (in->code && !(strlen(in->code) == 6 && sodium_memcmp(in->code, ses.code, 6) == 0)) return CHK_CODE_INVALID;
    if (!checkin_window_open(&ses)) return CHK_WINDOW_CLOSED;
    checkin_result *out = w->out;
    bool enrolled = false;
    memset(out, 0, sizeof *out);
    if (in->out) return checkout_cb(c, w, k, &ses);
    if (in->person_key) {
        rc = person_of_key_hash(c, k->person_kind, w->key_hash, &out->person_id);
        out->person_key = in->person_key;
    } else {
        rc = by_name_and_phone(c, w, k, &ses, &enrolled);
    }
    int64_t record_id = 0;
    if (rc == DB_OK)
        rc = checkin_record(c, w->a, k, &ses, out->person_id, in->token ? "qr" : "code", 0, &out->already, &record_id);
    if (rc != DB_OK) return rc;
    out->checked_in = ses.checked_in + (out->already ? 0 : 1);
    out->title = ses.owner.title;
    if (out->already) return DB_OK;
    json_t *after = json_pack("{s:I, s:s, s:I, s:s, s:b, s:b}", "session_id", (json_int_t)ses.id, "person_kind",
                              k->person_kind, "person_id", (json_int_t)out->person_id, "method",
                              in->token ? "qr" : "code", "enrolled", enrolled, "key_issued",
                              out->person_key && !in->person_key);
    /* The entry names the check-in row (entity "checkin", its id), with the session in the
     * changes: the ids only grow, so at a contest's or a city's peak every entry of a batch lands
     * at the end of the audit's entity index (one page to write), where the session's id put
     * them beside each session's older ones (a page per session in every commit). */
    rc = audit_record(c, public_actor(k, in->request_id, in->ip), ses.org_path, "checkin", record_id, "checkin", NULL, after);
    json_decref(after);
    return rc;
}

/* ---- limits (auth/limiter.h), taken outside the transactions ---- */

/* Wrong codes count per address, and per address and session; wrong names (a phone on record
 * under another name) per address and session. Nothing counts per session alone, so that one
 * address never locks the code for the others; a name for a phone is counted apart from the
 * code, so that an address that typed wrong codes still checks in newcomers by the QR. */
static const limit_rule fails_ip = {"checkin.fail.ip", 30, 3600, "KEPU_CHECKIN_FAILS_PER_ADDRESS"};
static const limit_rule fails_ip_session = {"checkin.fail.ip_session", 20, 900, "KEPU_CHECKIN_FAILS_PER_ADDRESS_SESSION"};
static const limit_rule names_ip_session = {"checkin.name.ip_session", 20, 900, "KEPU_CHECKIN_NAME_FAILS_PER_ADDRESS"};
/* Newcomers enrolled by phone, per address and session (a class of 60 on one school Wi-Fi
 * passes) and per session: invented people cannot swell the attendance figures. */
static const limit_rule new_ip_session = {"checkin.new.ip_session", 60, 86400, "KEPU_CHECKIN_NEWCOMERS_PER_ADDRESS"};
static const limit_rule new_session = {"checkin.new.session", 300, 86400, "KEPU_CHECKIN_NEWCOMERS_PER_SESSION"};

static const char *ip_session_key(char *buf, size_t n, const checkin_input *in, int64_t session_id)
{
    snprintf(buf, n, "%s|%lld", in->ip ? in->ip : "", (long long)session_id);
    return buf;
}

/* op (limit_peek or limit_take) on rule for key: DB_OK, or the refusal: over_rc with *retry set,
 * or CHK_LIMIT_UNAVAILABLE. */
static int limit_rc(int (*op)(const limit_rule *, const char *, limit_state *), const limit_rule *rule,
                    const char *key, int over_rc, int *retry)
{
    limit_state st;
    int lr = op(rule, key, &st);
    if (lr == LIMIT_OK) return DB_OK;
    if (lr == LIMIT_ERROR) return CHK_LIMIT_UNAVAILABLE;
    *retry = limit_retry_after(rule, &st);
    return over_rc;
}

/* Before a check-in by the code (code) or by name and phone (name). */
static int fails_peek(const checkin_input *in, int64_t session_id, int *retry)
{
    char key[128];
    int rc = DB_OK;
    ip_session_key(key, sizeof key, in, session_id);
    if (in->code) rc = limit_rc(limit_peek, &fails_ip, in->ip, CHK_CODE_LOCKED, retry);
    if (in->code && rc == DB_OK) rc = limit_rc(limit_peek, &fails_ip_session, key, CHK_CODE_LOCKED, retry);
    if (!in->person_key && rc == DB_OK) rc = limit_rc(limit_peek, &names_ip_session, key, CHK_CODE_LOCKED, retry);
    return rc;
}

static void fails_take(const checkin_input *in, int64_t session_id, int rc)
{
    char key[128];
    ip_session_key(key, sizeof key, in, session_id);
    if (rc == CHK_NAME_MISMATCH) {
        limit_take(&names_ip_session, key, NULL);
        return;
    }
    limit_take(&fails_ip, in->ip, NULL);
    limit_take(&fails_ip_session, key, NULL);
}

static int newcomer_take(const checkin_input *in, int64_t session_id, int *retry)
{
    char key[128], skey[24];
    int rc = limit_rc(limit_take, &new_ip_session, ip_session_key(key, sizeof key, in, session_id),
                      CHK_TOO_MANY_NEWCOMERS, retry);
    snprintf(skey, sizeof skey, "%lld", (long long)session_id);
    if (rc == DB_OK) rc = limit_rc(limit_take, &new_session, skey, CHK_TOO_MANY_NEWCOMERS, retry);
    return rc;
}

int checkin_public(db *c, arena *a, int64_t session_id, const checkin_input *in, checkin_result *out)
{
    struct pub_args w = {a, session_id, in, out, false, in->person_key ? checkin_key_hash(a, in->person_key) : NULL};
    int retry = 0, rc;
    memset(out, 0, sizeof *out);
    /* a forged or old token costs no database work and tells nothing about the session */
    /* a grant of the page counts as the token it was given for */
    if (in->token && (rc = checkin_pass_check(session_id, in->token)) != DB_OK) return rc;
    /* the code, or a name for a phone: an address with too many failures is refused for a while
     * (the one tap with the QR token and a key is not: the key and the token cannot be guessed) */
    if ((in->code || !in->person_key) && (rc = fails_peek(in, session_id, &retry)) != DB_OK) {
        out->retry_after = retry;
        return rc;
    }
    rc = db_transaction(c, public_cb, &w);
    /* an unknown phone: counted against the newcomers' limits, then the check-in runs again,
     * admitted (exact counts: no enrolment is ever uncounted) */
    if (rc == CHK_NEWCOMER && (rc = newcomer_take(in, session_id, &retry)) == DB_OK) {
        w.admit_newcomer = true;
        rc = db_transaction(c, public_cb, &w);
    }
    if (rc == CHK_CODE_INVALID || rc == CHK_NAME_MISMATCH) fails_take(in, session_id, rc);
    if (rc != DB_OK) out->retry_after = retry;
    return rc;
}

/* ---- ratings ---- */

struct rate_args {
    arena *a;
    int64_t session_id;
    const checkin_rating_input *in;
    bool *replaced;
    const char **title;
};

/* Whether the person checked in to the session (by phone or marked by staff). */
static int attended(db *c, const checkin_session *ses, const char *person_kind, int64_t person_id)
{
    int64_t one;
    qb q;
    qb_init(&q, "SELECT 1 FROM checkins WHERE session_id = ? AND person_kind = ? AND person_id = ?");
    qb_int(&q, ses->id);
    qb_text(&q, person_kind);
    qb_int(&q, person_id);
    int rc = qb_exec(c, &q, &one);
    return rc == DB_DONE ? CHK_NOT_ATTENDED : rc;
}

static int rate_cb(db *c, void *cls)
{
    struct rate_args *w = cls;
    checkin_session ses;
    int64_t person_id = 0;
    /* unscoped: no user; the person key is proved before anything about the session is told */
    int rc = entity_get_unscoped(c, &checkin_session_entity, w->a, w->session_id, &ses);
    if (rc == CHK_NOT_FOUND) return CHK_BAD_KEY;   /* answered as a key nobody holds: ids are not revealed */
    if (rc != DB_OK) return rc;
    const checkin_kind *k = checkin_kind_find(ses.owner_kind);
    if (!k) return CHK_UNKNOWN_KIND;
    /* the key first: a stranger learns nothing about the session, its kind, window or attendance */
    if ((rc = checkin_person_of_key(c, w->a, k->person_kind, w->in->person_key, &person_id)) != DB_OK) return rc;
    if (!k->on_rating) return CHK_NOT_RATABLE;
    if ((rc = attended(c, &ses, k->person_kind, person_id)) != DB_OK) return rc;
    if (ses.owner.cancelled || time(NULL) > ses.owner.closes + CHECKIN_RATING_DAYS * 86400) return CHK_RATING_CLOSED;
    *w->title = ses.owner.title;
    return k->on_rating(c, public_actor(k, w->in->request_id, w->in->ip), w->a, ses.owner_id, person_id, w->in->stars, w->in->comment, w->replaced);
}

int checkin_rate(db *c, arena *a, int64_t session_id, const checkin_rating_input *in, bool *replaced,
                 const char **title)
{
    struct rate_args w = {a, session_id, in, replaced, title};
    *replaced = false;
    *title = NULL;
    return db_transaction(c, rate_cb, &w);
}
