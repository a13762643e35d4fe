// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * config.c - the INI-like configuration format (see config.h).
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/config.h"

#define SSTP_CONF_MAX_LINE 4096

struct conf_state {
	const char *file;
	int line;
	char kind[64];
	char name[256];
	sstp_conf_fn fn;
	void *arg;
};

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* A name of letters, digits, '-', '_' and '.', as keys and kinds are. */
static bool is_word(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_.", *s))
			return false;
	return true;
}

/* Unquote "..." in place; a bare value is kept as it is. */
static int unquote(char *v, char *err, size_t errlen)
{
	char *r = v + 1, *w = v;

	if (*v != '"')
		return 0;
	while (*r && *r != '"') {
		if (*r == '\\' && (r[1] == '"' || r[1] == '\\'))
			r++;
		*w++ = *r++;
	}
	if (*r != '"' || r[1]) {
		snprintf(err, errlen, "unterminated quoted value, or text after its closing quote");
		return -1;
	}
	*w = '\0';
	return 0;
}

static int section_header(struct conf_state *st, char *line, char *err,
			  size_t errlen)
{
	struct sstp_conf_entry e = { .file = st->file, .line = st->line };
	char *end = strchr(line, ']'), *name;

	if (!end || trim(end + 1)[0]) {
		snprintf(err, errlen, "section header must be [kind] or [kind name]");
		return -1;
	}
	*end = '\0';
	line = trim(line + 1);
	name = strpbrk(line, " \t");
	if (name) {
		*name++ = '\0';
		name = trim(name);
	}
	/* A name with spaces must be quoted: [user "a b"], not [user a b]. */
	if (!is_word(line) || strlen(line) >= sizeof(st->kind) ||
	    (name && (!*name || strlen(name) >= sizeof(st->name) ||
		      (*name != '"' && strpbrk(name, " \t")) ||
		      unquote(name, err, errlen)))) {
		if (!err[0])
			snprintf(err, errlen, "bad section header [%s%s%s]",
				 line, name ? " " : "", name ? name : "");
		return -1;
	}
	snprintf(st->kind, sizeof(st->kind), "%s", line);
	snprintf(st->name, sizeof(st->name), "%s", name ? name : "");
	e.kind = st->kind;
	e.name = st->name;
	return st->fn(&e, st->arg, err, errlen);
}

static int key_value(struct conf_state *st, char *line, char *err,
		     size_t errlen)
{
	struct sstp_conf_entry e = {
		.file = st->file, .line = st->line,
		.kind = st->kind, .name = st->name,
	};
	char *eq = strchr(line, '=');

	if (!eq) {
		snprintf(err, errlen, "expected 'key = value'");
		return -1;
	}
	*eq = '\0';
	e.key = trim(line);
	if (!is_word(e.key)) {
		snprintf(err, errlen, "bad key '%s'", e.key);
		return -1;
	}
	line = trim(eq + 1);
	if (unquote(line, err, errlen))
		return -1;
	e.value = line;
	return st->fn(&e, st->arg, err, errlen);
}

/*
 * Cut a comment off the end of @line: a '#' after a space or a tab,
 * outside double quotes ("a # b" keeps its '#', as does a#b).
 */
static void cut_comment(char *line)
{
	bool quoted = false;
	char *p;

	for (p = line; *p; p++) {
		if (quoted && *p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == '#' && p > line &&
			 (p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
	}
}

static int parse_line(struct conf_state *st, char *line, char *err,
		      size_t errlen)
{
	cut_comment(line);
	line = trim(line);
	if (!*line || *line == '#' || *line == ';')
		return 0;
	if (*line == '[')
		return section_header(st, line, err, errlen);
	return key_value(st, line, err, errlen);
}

/* Prefix @err with "FILE:LINE: ". */
static int located(const struct conf_state *st, char *err, size_t errlen)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s", err);
	snprintf(err, errlen, "%s:%d: %s", st->file, st->line, msg);
	return -1;
}

int sstp_conf_parse_string(const char *text, const char *file,
			   sstp_conf_fn fn, void *arg, char *err,
			   size_t errlen)
{
	struct conf_state st = { .file = file, .fn = fn, .arg = arg };
	char line[SSTP_CONF_MAX_LINE];
	const char *p = text, *nl;
	size_t len;

	while (*p) {
		st.line++;
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		err[0] = '\0';
		if (len >= sizeof(line)) {
			snprintf(err, errlen, "line longer than %d bytes",
				 SSTP_CONF_MAX_LINE - 1);
			return located(&st, err, errlen);
		}
		memcpy(line, p, len);
		line[len] = '\0';
		if (memchr(p, '\0', len) || parse_line(&st, line, err, errlen))
			return located(&st, err, errlen);
		p += len + (nl ? 1 : 0);
	}
	return 0;
}

/* A config is a page or two; this is far beyond any real one. */
#define SSTP_CONF_MAX_FILE	(1 << 20)

/*
 * The whole of @f as a C string. A NUL byte inside would cut the text
 * short where nobody sees it: refused, with its line.
 */
static char *read_text(FILE *f, const char *path, char *err, size_t errlen)
{
	size_t len = 0, cap = 4096, n;
	char *text = malloc(cap), *more, *nul;

	while (text && (n = fread(text + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len < cap - 1)
			continue;
		if (cap >= SSTP_CONF_MAX_FILE) {
			snprintf(err, errlen, "%s: larger than %d bytes", path,
				 SSTP_CONF_MAX_FILE);
			free(text);
			return NULL;
		}
		more = realloc(text, cap *= 2);
		if (!more)
			free(text);
		text = more;
	}
	if (!text || ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, text ? "read error" :
			 "out of memory");
		free(text);
		return NULL;
	}
	text[len] = '\0';
	nul = memchr(text, '\0', len);
	if (nul) {
		int line = 1;
		const char *c;

		for (c = text; c < nul; c++)
			line += *c == '\n';
		snprintf(err, errlen, "%s:%d: a NUL byte in the file", path,
			 line);
		free(text);
		return NULL;
	}
	return text;
}

int sstp_conf_parse_file(const char *path, sstp_conf_fn fn, void *arg,
			 char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text;
	int ret;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	text = read_text(f, path, err, errlen);
	fclose(f);
	if (!text)
		return -1;
	ret = sstp_conf_parse_string(text, path, fn, arg, err, errlen);
	free(text);
	return ret;
}

bool sstp_conf_exposed(const char *path, char *msg, size_t msglen)
{
	struct stat st;

	if (stat(path, &st) || !(st.st_mode & 077))
		return false;
	snprintf(msg, msglen, "warning: %s holds passwords but others than "
		 "its owner may read it (mode %04o): chmod 600 %s", path,
		 (unsigned int)(st.st_mode & 07777), path);
	return true;
}

int sstp_conf_string(char *dst, size_t size, const char *value, char *err,
		     size_t errlen)
{
	size_t len = strlen(value);

	if (len >= size) {
		snprintf(err, errlen, "value longer than %zu characters", size - 1);
		return -1;
	}
	memcpy(dst, value, len + 1);
	return 0;
}

int sstp_conf_bool(const char *value, bool *out, char *err, size_t errlen)
{
	static const char *const yes[] = { "yes", "true", "on", "1", NULL };
	static const char *const no[] = { "no", "false", "off", "0", NULL };
	int i;

	for (i = 0; yes[i]; i++) {
		if (!strcasecmp(value, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(value, no[i])) {
			*out = false;
			return 0;
		}
	}
	snprintf(err, errlen, "'%s' is not yes or no", value);
	return -1;
}

int sstp_conf_uint(const char *value, unsigned long min, unsigned long max,
		   unsigned long *out, char *err, size_t errlen)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(value, &end, 10);
	if (!isdigit((unsigned char)*value) || *end || errno || v < min ||
	    v > max) {
		snprintf(err, errlen, "'%s' is not a number from %lu to %lu",
			 value, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int sstp_conf_seconds(const char *value, unsigned long max,
		      unsigned long *out, char *err, size_t errlen)
{
	unsigned long v, unit = 1;
	char num[32], *end;
	size_t len = strlen(value);

	if (len && len < sizeof(num) && strchr("smh", value[len - 1])) {
		unit = value[len - 1] == 's' ? 1 : value[len - 1] == 'm' ? 60 : 3600;
		len--;
	}
	if (!len || len >= sizeof(num))
		goto bad;
	memcpy(num, value, len);
	num[len] = '\0';
	errno = 0;
	v = strtoul(num, &end, 10);
	if (!isdigit((unsigned char)num[0]) || *end || errno || v > max / unit)
		goto bad;
	*out = v * unit;
	return 0;
bad:
	snprintf(err, errlen, "'%s' is not a duration up to %lu s (like 60, 90s, 5m, 1h)",
		 value, max);
	return -1;
}

int sstp_conf_word_list(const char *value, const char *const *words,
			unsigned int *mask, char *err, size_t errlen)
{
	char copy[512], *tok, *save = NULL, known[256] = "";
	int i;

	if (strlen(value) >= sizeof(copy)) {
		snprintf(err, errlen, "list too long");
		return -1;
	}
	snprintf(copy, sizeof(copy), "%s", value);
	*mask = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		tok = trim(tok);
		for (i = 0; words[i] && strcasecmp(tok, words[i]); i++)
			;
		if (!words[i]) {
			for (i = 0; words[i]; i++)
				snprintf(known + strlen(known),
					 sizeof(known) - strlen(known), "%s%s",
					 i ? ", " : "", words[i]);
			snprintf(err, errlen, "unknown '%s' (want one or more of: %s)",
				 tok, known);
			return -1;
		}
		*mask |= 1u << i;
	}
	if (!*mask) {
		snprintf(err, errlen, "empty list");
		return -1;
	}
	return 0;
}

int sstp_conf_choice(const char *value, const char *const *words, int *out,
		     char *err, size_t errlen)
{
	char known[256] = "";
	int i;

	for (i = 0; words[i]; i++) {
		if (!strcasecmp(value, words[i])) {
			*out = i;
			return 0;
		}
	}
	for (i = 0; words[i]; i++)
		snprintf(known + strlen(known), sizeof(known) - strlen(known),
			 "%s%s", i ? ", " : "", words[i]);
	snprintf(err, errlen, "'%s' is not one of: %s", value, known);
	return -1;
}

char *sstp_conf_split_host_port(char *text, char **port)
{
	char *colon, *end;

	*port = NULL;
	if (*text == '[') {
		end = strchr(text, ']');
		if (!end || (end[1] && end[1] != ':'))
			return NULL;
		*end = '\0';
		if (end[1])
			*port = end + 2;
		return text + 1;
	}
	colon = strchr(text, ':');
	if (colon && !strchr(colon + 1, ':')) {
		*colon = '\0';
		*port = colon + 1;
	}
	return text;
}
