/* checkin.h - check-in by rotating QR code (扫码签到), generic over what is attended.
 *
 * A session belongs to an owner record of another module, named by a kind string and an id
 * ("course" 12). The owner kind registers callbacks: load the owner (its org path for scope,
 * the time window with grace, what a phone shows), enrol a newcomer as a person of its person
 * kind (courses: a student at the course's point), and on_checkin / on_checkout hooks that run
 * inside the check-in's transaction (courses: attendance and the keyed counter move together).
 *
 * The teacher's screen shows a token that changes every step (KEPU_CHECKIN_STEP seconds,
 * default 15): base64url(step || HMAC-SHA256(key, session id || step)[0..16]); a token of the
 * current step or the one before is accepted. The key is KEPU_CHECKIN_KEY (64 hex) or derived
 * from the personal-data key, so every node agrees. A 6-digit code per session is the fallback
 * typed on a phone while the session is open. A phone that checked in once remembers a random
 * person key (stored hashed) and checks in with one tap next time. With that key a person who
 * checked in may rate the owner (1-5 stars, a short comment) when its kind takes ratings
 * (on_rating): once per person, a second rating replaces the first.
 *
 * Abuse of the public side (checkin_public.c, limits through auth/limiter.h): a phone already
 * on record gets a key only with the QR token and the name on record; with the code it checks in
 * under that name without a key; under another name it is refused. Newcomers are limited per
 * session and per address and session; wrong codes and wrong names count per address and per
 * address and session, never for everyone. No answer tells an anonymous caller which session
 * ids exist: no such session is answered as a wrong code or token.
 *
 * Strings of returned records live in the given arena. */
#ifndef KEPU_CHECKIN_H
#define KEPU_CHECKIN_H
#include "auth/principal.h"
#include "core/arena.h"
#include "db/db.h"
#include "core/jsonw.h"
#include "http/request.h"
#include <stdbool.h>
#include <time.h>

enum {
    CHK_NOT_FOUND = -800,        /* session (or owner) missing or outside scope */
    CHK_TOKEN_INVALID = -801,    /* forged, or another session's */
    CHK_TOKEN_EXPIRED = -802,
    CHK_WINDOW_CLOSED = -803,    /* outside the owner's window, or the session closed */
    CHK_UNKNOWN_KIND = -804,
    CHK_BAD_KEY = -805,          /* a person key nobody holds */
    CHK_CODE_INVALID = -806,
    CHK_PERSON_NOT_FOUND = -807, /* marking a person outside scope */
    CHK_CODE_LOCKED = -808,      /* too many wrong codes or names from this address: only the QR works */
    CHK_NOT_ATTENDED = -809,     /* rating without having checked in to the session */
    CHK_NOT_RATABLE = -810,      /* the owner kind takes no ratings */
    CHK_RATING_CLOSED = -811,    /* the owner was cancelled, or its rating days are over */
    CHK_NOT_ADMITTED = -812,     /* the owner kind refuses this person (e.g. no accepted sign-up) */
    CHK_NOT_CHECKED_IN = -813,   /* check-out before check-in */
    CHK_NO_CHECKOUT = -814,      /* the owner kind has no check-out */
    CHK_NAME_MISMATCH = -815,    /* a phone on record given under another name */
    CHK_TOO_MANY_NEWCOMERS = -816, /* the newcomers' limit of the session or of the address */
    CHK_NEWCOMER = -817,         /* (internal) an unknown phone while enrolment is not admitted yet */
    CHK_LIMIT_UNAVAILABLE = -818, /* the limiter's store could not be read (503) */
};

#define CHECKIN_RATING_DAYS 7          /* a rating is taken until this long after the window closes */
#define CHECKIN_COMMENT_MAX 200        /* characters of a rating's comment */

/* A person by name and phone, for the owner kind's enrol callback. */
typedef struct checkin_enrolment {
    const char *name, *phone;    /* in: validated */
    bool create;                 /* in: enrol an unknown phone; false: answer CHK_NEWCOMER instead */
    int64_t person_id;           /* out */
    bool enrolled;               /* out: a newcomer, enrolled now */
    const char *known_name;      /* out: the name on record of a person found (in the arena) */
} checkin_enrolment;

/* What an owner kind tells the module about one owner record. */
typedef struct checkin_owner {
    const char *org_path, *title, *place, *starts_at, *ends_at;   /* starts/ends: RFC 3339 */
    time_t opens, closes;        /* the window, grace included */
    bool cancelled;              /* no check-in at all */
    int64_t created_by;          /* who recorded the owner: scope self sees only its own owners' sessions */
    int64_t id;                  /* the owner's id, when its kind's load sets it (enrol needs it: meetings) */
} checkin_owner;

typedef struct checkin_kind {
    const char *kind;            /* "course" */
    const char *person_kind;     /* "student" */
    /* The owner without scope (public pages need it); CHK_NOT_FOUND when missing. */
    int (*load)(db *c, arena *a, int64_t owner_id, checkin_owner *out);
    /* A person by name and phone: found where the owner is (known_name set), or enrolled there
     * when e->create (else CHK_NEWCOMER, nothing written); who (a key, not a user: the public
     * check-in) for the audit log. The module compares the names: the kind never decides on them. */
    int (*enrol)(db *c, actor who, arena *a, const checkin_owner *o, checkin_enrolment *e);
    /* Whether a person exists and p may see it (marking by staff); CHK_PERSON_NOT_FOUND if not. */
    int (*person_visible)(db *c, const principal *p, arena *a, int64_t person_id);
    /* Inside the check-in's transaction: one more / one less attendant. */
    int (*on_checkin)(db *c, arena *a, int64_t owner_id, int64_t person_id);
    int (*on_checkout)(db *c, arena *a, int64_t owner_id, int64_t person_id);
    /* Optional (NULL: the kind takes no ratings). Inside the rating's transaction, for a person
     * who checked in: stores stars (1-5) and comment (NULL or <= CHECKIN_COMMENT_MAX characters)
     * once per person and owner, replacing an earlier rating (*replaced), and audits it as who. */
    int (*on_rating)(db *c, actor who, arena *a, int64_t owner_id, int64_t person_id, int stars,
                     const char *comment, bool *replaced);
    /* Optional (NULL: the kind has no check-out): inside the check-out's transaction, the person
     * leaves at `at` (RFC 3339). on_checkin may return CHK_NOT_ADMITTED to refuse a person: the
     * whole check-in rolls back. */
    int (*on_leave)(db *c, arena *a, int64_t owner_id, int64_t person_id, const char *at);
} checkin_kind;

/* At start-up only; k is kept by reference. */
void checkin_register_kind(const checkin_kind *k);

typedef struct checkin_session {
    int64_t id, owner_id, checked_in, created_by;
    const char *owner_kind, *org_path, *code, *status, *created_at, *updated_at;
    checkin_owner owner;
    const char *opens_at, *closes_at;    /* the owner's window as RFC 3339 (filled on read) */
    bool window_open;                    /* checkin_window_open() when read */
} checkin_session;

/* The declared record (model/entity.h): a read by id (entity_get) loads the owner through its
 * kind and applies scope 'self' to the owner's recorder; its error table holds every CHK_ code. */
extern struct entity checkin_session_entity;
void checkin_session_write(jw *w, const checkin_session *s, bool with_code);

/* The owner's session, opened (or reopened) if needed; the owner must be visible to p. */
int checkin_open(db *c, const principal *p, arena *a, const char *kind, int64_t owner_id, checkin_session *out);
int checkin_close(db *c, const principal *p, arena *a, int64_t id, checkin_session *out);
/* The session of an owner (p's scope); CHK_NOT_FOUND when none was opened. */
int checkin_of_owner(db *c, const principal *p, arena *a, const char *kind, int64_t owner_id, checkin_session *out);

/* Check-ins at owners of `kind` in the subtree of org_path (within p's scope) on each of the
 * ndays days from `from` (YYYY-MM-DD): counts[i] for the day from + i. */
int checkin_daily_counts(db *c, const principal *p, arena *a, const char *kind, const char *org_path,
                         const char *from, int ndays, int64_t *counts);

/* ---- tokens (checkin_token.c) ---- */
/* Reads KEPU_CHECKIN_KEY / KEPU_CHECKIN_STEP; after pii_configure(). false when no key. */
bool checkin_configure(void);
int checkin_step_seconds(void);
/* The current token of a session (buf >= 48 bytes) and the seconds it has left. */
int checkin_token(int64_t session_id, char *buf, size_t len);
/* DB_OK, CHK_TOKEN_INVALID or CHK_TOKEN_EXPIRED. */
int checkin_token_check(int64_t session_id, const char *token);
/* The grant a phone page gets when it opened with a valid token (buf >= 48 bytes): it submits
 * with it for KEPU_CHECKIN_GRANT seconds (default 600), never past window_closes, however often
 * the token rotated meanwhile (a newcomer typing name and phone is slower than a step). Returns
 * the seconds it lasts. */
int checkin_grant(int64_t session_id, time_t window_closes, char *buf, size_t len);
/* A token (as checkin_token_check) or a grant of this session: DB_OK, CHK_TOKEN_INVALID (forged,
 * another session's) or CHK_TOKEN_EXPIRED. */
int checkin_pass_check(int64_t session_id, const char *pass);
/* <public base>/c/<session>/<token> (http/public_url.h), in r's arena. */
const char *checkin_url(request *r, int64_t session_id, const char *token);
/* A new random person key (base64url, 43 characters) and its stored hash (64 hex). */
void checkin_new_key(arena *a, const char **key, const char **hash);
const char *checkin_key_hash(arena *a, const char *key);

/* ---- the public side (checkin_public.c) ---- */
/* A public look at a session through a token: the owner to show, or why not. */
int checkin_public_view(db *c, arena *a, int64_t session_id, const char *token, checkin_session *out);

typedef struct checkin_input {
    const char *token, *code;            /* one of them */
    const char *person_key;              /* a remembered key, or */
    const char *name, *phone;            /* a newcomer (validated) */
    const char *request_id, *ip;         /* for the audit log */
    bool out;                            /* check-out (needs person_key) instead of check-in */
} checkin_input;

typedef struct checkin_result {
    int64_t person_id, checked_in;
    bool already, out;                   /* out: a check-out */
    const char *person_key;              /* new or the same one given; NULL: a phone on record
                                          * checked in by the code (no key without the QR) */
    const char *title;
    int retry_after;                     /* on CHK_CODE_LOCKED / CHK_TOO_MANY_NEWCOMERS: seconds */
} checkin_result;

int checkin_public(db *c, arena *a, int64_t session_id, const checkin_input *in, checkin_result *out);

typedef struct checkin_rating_input {
    const char *person_key;              /* the key the phone remembers */
    int stars;                           /* 1..5, validated by the caller */
    const char *comment;                 /* NULL or validated */
    const char *request_id, *ip;         /* for the audit log */
} checkin_rating_input;

/* A rating of the session's owner by the holder of a person key who checked in to it:
 * CHK_BAD_KEY (nobody holds the key), CHK_NOT_ATTENDED, CHK_NOT_RATABLE, CHK_RATING_CLOSED.
 * *replaced when an earlier rating of the same person was replaced; *title: the owner's. */
int checkin_rate(db *c, arena *a, int64_t session_id, const checkin_rating_input *in, bool *replaced,
                 const char **title);
/* A remembered person key issued by another module (e.g. a volunteer's phone after registering):
 * stored hashed in checkin_keys like the keys of the public check-in; *key in the arena. */
int checkin_issue_key(db *c, arena *a, const char *person_kind, int64_t person_id, const char **key);
/* The person holding key; CHK_BAD_KEY when nobody does. */
int checkin_person_of_key(db *c, arena *a, const char *person_kind, const char *key, int64_t *person_id);

/* Staff mark persons as attending (method staff); added and already counted. */
int checkin_mark(db *c, const principal *p, arena *a, const char *kind, int64_t owner_id, const int64_t *persons,
                 int n, int *added, int *already);
/* Removes one attendance (staff); CHK_PERSON_NOT_FOUND when it was not recorded. */
int checkin_unmark(db *c, const principal *p, arena *a, const char *kind, int64_t owner_id, int64_t person_id);

/* QR code of text as SVG (checkin_qr.c): malloc'd, *len set; NULL on failure. */
char *checkin_qr_svg(const char *text, size_t *len);

/* Replies to a CHK_* or DB code from the session's error table (for the owner kinds' handlers). */
void checkin_reply_error(request *r, int rc);
/* The path copies (orgs_track_path_column); for the server and the command line. */
void checkin_init(void);
/* The routes only: owner kinds call checkin_init() and checkin_register_kind() themselves. */
void checkin_register_routes(void);

#endif
