/* screens.h - 科普e站 screens (issue 18 D): kiosks registered to a node by a pairing code, their
 * device tokens, heartbeats with the plays since the last one (the statistics' keyed metric
 * screen_plays), playlists per screen or per node type, and the screens' administrators.
 *
 * Scope: screens, playlists and administrators are the normal path scope of their node (the node
 * and those above write and read). The kiosk side (screen_kiosk.c) has no user: it proves a
 * screen by its device token and sees what the screen's node would see.
 *
 * Strings of read records live in the given arena; nothing here is freed by the caller. */
#ifndef KEPU_SCREENS_H
#define KEPU_SCREENS_H
#include "auth/principal.h"
#include "core/arena.h"
#include "db/db.h"
#include "model/entity.h"
#include <stdbool.h>
#include <stdint.h>

enum {
    SCR_NOT_FOUND = -3000,          /* missing or outside the caller's scope */
    SCR_ORG_NOT_FOUND = -3001,      /* org_id outside the scope */
    SCR_BAD_CODE = -3002,           /* no such pairing code (or expired, or used) */
    SCR_PLAYLIST_NOT_FOUND = -3003, /* playlist_id outside the screen's node's reach */
    SCR_BAD_ITEMS = -3004,          /* an item refers to what the playlist's node cannot show */
    SCR_BAD_TOKEN = -3006,          /* the kiosk's device token is unknown */
    SCR_ADMIN_NOT_FOUND = -3007,
    SCR_BAD_TYPE = -3008,           /* for_type is no org type */
    SCR_BAD_PLAYS = -3009,          /* a heartbeat's plays malformed */
    SCR_PENDING = -3010,            /* the pairing code is not registered yet */
    SCR_IN_USE = -3011,             /* a playlist some screen plays as its own */
};

typedef struct screen {
    int64_t id, org_id, playlist_id, last_seq, last_seen_s, plays, created_by;
    const char *org_path, *org_name, *org_type, *name, *place, *status, *token_hash, *last_seen, *paired_at;
    const char *playlist_name, *created_at, *updated_at;
    bool online;        /* a heartbeat within screens_offline_seconds() */
} screen;

typedef struct playlist {
    int64_t id, org_id, created_by, screens;
    const char *org_path, *org_name, *name, *items, *for_type, *created_at, *updated_at;
} playlist;

typedef struct screen_admin {
    int64_t id, org_id, created_by;
    const char *org_path, *org_name, *name, *phone, *trainings, *awards, *created_at, *updated_at;
} screen_admin;

extern entity screen_entity, playlist_entity, screen_admin_entity;
extern const struct error_row screen_errors[];

/* Seconds without a heartbeat after which a screen is offline: KEPU_SCREEN_OFFLINE_SECONDS or 180. */
int64_t screens_offline_seconds(void);

/* ---- playlists.c ---- */
/* The playlist a screen plays: its own (playlist_id) or else the newest one for its node's type
 * from the nearest node above or at it; *id 0 when none. Unscoped: there is no user, the screen
 * (proven by its device token) plays what its node and the nodes above assigned to it. */
int playlists_for_screen_unscoped(db *c, arena *a, const screen *s, int64_t *id);
/* A scope of just the node at path and below (what a screen on that node may show). */
scope screens_node_scope(arena *a, const char *path);
void playlists_register_routes(void);

/* ---- screen_pairing.c ---- */
/* The screen whose device token the request carries (header X-Screen-Token): DB_OK, or
 * SCR_BAD_TOKEN for none, an unknown or a revoked one. */
struct request;
int screens_by_token(struct request *r, db *c, screen *out);
void screen_pairing_register_routes(void);

/* ---- screen_kiosk.c ---- */
void screen_kiosk_init(void);
void screen_kiosk_register_routes(void);

/* ---- screen_admins.c ---- */
void screen_admins_register_routes(void);

void screens_init(void);
void screens_register_routes(void);

#endif
