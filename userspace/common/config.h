/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config.h - reading sstp-helper's configuration files.
 *
 * The format is INI-like, with MikroTik RouterOS option names as keys:
 *
 *   # a comment
 *   [server]
 *   certificate = /etc/sstp/server.pem
 *   authentication = mschap2,mschap1     # a comment too
 *
 *   [user alice]
 *   password = "secret with spaces"
 *
 * A section header is "[kind]" or "[kind name]". A value runs to the end of
 * the line or to a '#' after a space (a comment), spaces around it
 * trimmed; double quotes keep spaces and '#' and allow \" and \\ inside.
 * Every error names the file, the line and what was wrong there.
 */
#ifndef SSTP_CONFIG_H
#define SSTP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct sstp_conf_entry {
	const char *file;
	int line;
	const char *kind;	/* section kind, "" before any section */
	const char *name;	/* section name, "" when the header has none */
	const char *key;
	const char *value;
};

/*
 * Called for every section header (key == NULL) and every key. Returns 0,
 * or -1 with a message in @err (the caller adds file and line).
 */
typedef int (*sstp_conf_fn)(const struct sstp_conf_entry *e, void *arg,
			    char *err, size_t errlen);

/* Parse @path; 0, or -1 with "FILE:LINE: message" in @err. */
int sstp_conf_parse_file(const char *path, sstp_conf_fn fn, void *arg,
			 char *err, size_t errlen);

/* The same from a string, for tests; @file names it in messages. */
int sstp_conf_parse_string(const char *text, const char *file,
			   sstp_conf_fn fn, void *arg, char *err,
			   size_t errlen);

/* Value parsers: 0, or -1 with a message saying what was expected. */
/*
 * Whether group or others have any access to the file at @path; if so,
 * @msg says so and gives the chmod that fixes it. For files that hold
 * passwords.
 */
bool sstp_conf_exposed(const char *path, char *msg, size_t msglen);

/*
 * Split "HOST", "HOST:PORT", "[IPV6]" or "[IPV6]:PORT" in place; an IPv6
 * address without brackets (several ':') is a host without a port. The
 * host, with *@port the port's text or NULL; NULL when malformed.
 */
char *sstp_conf_split_host_port(char *text, char **port);

/* Copy @value into a fixed field of @size bytes, refusing what does not fit. */
int sstp_conf_string(char *dst, size_t size, const char *value, char *err,
		     size_t errlen);
int sstp_conf_bool(const char *value, bool *out, char *err, size_t errlen);
int sstp_conf_uint(const char *value, unsigned long min, unsigned long max,
		   unsigned long *out, char *err, size_t errlen);
/* "60", "60s", "5m", "1h" -> seconds. */
int sstp_conf_seconds(const char *value, unsigned long max,
		      unsigned long *out, char *err, size_t errlen);

/*
 * A comma-separated list of words, each one of @words (NULL-terminated);
 * sets bit i of @mask for words[i]. Unknown words are an error naming
 * them and the accepted ones.
 */
int sstp_conf_word_list(const char *value, const char *const *words,
			unsigned int *mask, char *err, size_t errlen);

/* Exactly one of @words (NULL-terminated, any case): its index in @out. */
int sstp_conf_choice(const char *value, const char *const *words, int *out,
		     char *err, size_t errlen);

#endif /* SSTP_CONFIG_H */
