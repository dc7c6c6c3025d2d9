/* sqlite_bigram.h - the FTS5 tokenizer "kepu_bigram": every two neighbouring characters of a text
 * are a token, so that an FTS5 table finds a two-character Chinese word (科普, 防火, 急救) through
 * its index. FTS5's own trigram tokenizer finds substrings of three characters or more only, and
 * Chinese searches are mostly two: without this they were a scan of every resource's text.
 *
 * A token is two characters (ASCII letters lower-cased, so "AI" finds "ai"); whitespace separates
 * (no token spans it); a text of one character, or characters between spaces, gives no token. A
 * query's phrase of k characters is k-1 tokens at neighbouring positions, which FTS5 matches as a
 * substring. Bytes that are not valid UTF-8 count one character each: any input is tokenized.
 *
 * Nothing to free: the tokenizer has no state. */
#ifndef KEPU_SQLITE_BIGRAM_H
#define KEPU_SQLITE_BIGRAM_H
#include <stddef.h>

/* Registers the tokenizer on every SQLite connection opened from now on (sqlite3_auto_extension);
 * call once, before the first connection. 0, or an SQLite error code. */
int sqlite_bigram_register(void);

/* The tokenizer's walk, for its tests: calls emit(cls, token, token_len, start, end) for each
 * token of text[0..n) (start and end: its byte range in text); stops and returns what emit
 * returns when that is not 0. A token is at most SQLITE_BIGRAM_MAX bytes. */
#define SQLITE_BIGRAM_MAX 8
typedef int (*sqlite_bigram_emit)(void *cls, const char *token, int len, int start, int end);
int sqlite_bigram_walk(const char *text, int n, sqlite_bigram_emit emit, void *cls);

#endif
