/* accounts_input.h - reading user fields from request bodies (accounts_api.c), shared by the
 * /users and /me handlers of this module. Private to accounts/. */
#ifndef KEPU_ACCOUNTS_INPUT_H
#define KEPU_ACCOUNTS_INPUT_H
#include "accounts/accounts.h"
#include "http/request.h"

/* Reads only name, phone and email (PATCH /me). */
bool read_profile_input(request *r, user_input *in);
/* 422 weak_password naming field when the password fails the policy. */
bool check_password_policy(request *r, const char *field, const char *password, const char *username);
void session_register_routes(void);

#endif
