// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for userspace/radius.c: the files pppd's radius.so reads. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/radius.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct sstp_radius_conf server = {
	.address = "192.0.2.5",
	.secret = "s3cret-#1",
	.authentication_port = 1812,
	.accounting_port = 11813,
	.timeout = 2,
	.retries = 4,
	.line = 1,
};

/* @name in @f's directory, whole, into @buf; its mode into *mode. */
static int slurp(const struct sstp_radius_files *f, const char *name,
		 char *buf, size_t size, mode_t *mode)
{
	char path[PATH_MAX + 64];
	struct stat st;
	size_t n;
	FILE *in;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	in = fopen(path, "r");
	if (!in || fstat(fileno(in), &st)) {
		if (in)
			fclose(in);
		return -1;
	}
	n = fread(buf, 1, size - 1, in);
	buf[n] = '\0';
	fclose(in);
	*mode = st.st_mode & 07777;
	return 0;
}

/* A parent directory of our own, for the files' directory. */
static void make_parent(char *parent, size_t size)
{
	snprintf(parent, size, "/tmp/sstp-radius-test-XXXXXX");
	CHECK(mkdtemp(parent) != NULL);
}

static void test_files(void)
{
	struct sstp_radius_files f;
	char parent[64], buf[8192], want[PATH_MAX + 64];
	struct stat st;
	mode_t mode = 0;
	char err[256];

	make_parent(parent, sizeof(parent));
	CHECK_INT(sstp_radius_files_write(&f, parent, &server, true, err,
					  sizeof(err)), 0);
	CHECK(!strncmp(f.dir, parent, strlen(parent)));
	/* The directory is root's alone: the secret is in it. */
	CHECK(stat(f.dir, &st) == 0 && (st.st_mode & 07777) == 0700);

	CHECK_INT(slurp(&f, "servers", buf, sizeof(buf), &mode), 0);
	CHECK(!strcmp(buf, "192.0.2.5\ts3cret-#1\n"));
	CHECK_INT(mode, 0600);

	CHECK_INT(slurp(&f, "radiusclient.conf", buf, sizeof(buf), &mode), 0);
	snprintf(want, sizeof(want), "%s/radiusclient.conf", f.dir);
	CHECK(!strcmp(f.conf, want));
	CHECK(strstr(buf, "\nauthserver\t192.0.2.5:1812\n") != NULL);
	CHECK(strstr(buf, "\nacctserver\t192.0.2.5:11813\n") != NULL);
	CHECK(strstr(buf, "\nradius_timeout\t2\n") != NULL);
	CHECK(strstr(buf, "\nradius_retries\t4\n") != NULL);
	CHECK(strstr(buf, "\nnas_identifier\t") != NULL);
	snprintf(want, sizeof(want), "\nservers\t%s/servers\n", f.dir);
	CHECK(strstr(buf, want) != NULL);
	snprintf(want, sizeof(want), "\nmapfile\t%s/port-map\n", f.dir);
	CHECK(strstr(buf, want) != NULL);
	/* The secret is in the servers file only. */
	CHECK(strstr(buf, "s3cret") == NULL);

	CHECK_INT(slurp(&f, "dictionary", buf, sizeof(buf), &mode), 0);
	CHECK(strstr(buf, "\nATTRIBUTE\tFramed-IP-Address\t8\tipaddr\n") != NULL);
	CHECK(strstr(buf, "\nVENDOR\tMicrosoft\t311\n") != NULL);
	CHECK(strstr(buf, "\nATTRIBUTE\tMS-MPPE-Send-Key\t16\tstring\tMicrosoft\n")
	      != NULL);
	CHECK(strstr(buf, "\nATTRIBUTE\tMS-CHAP2-Success\t26\tstring\tMicrosoft\n")
	      != NULL);
	/* radiusclient wants a vendor declared before its attributes. */
	CHECK(strstr(buf, "VENDOR") < strstr(buf, "MS-CHAP-Response"));

	CHECK_INT(slurp(&f, "port-map", buf, sizeof(buf), &mode), 0);
	CHECK(buf[0] == '\0');
	CHECK_INT(slurp(&f, "seq", buf, sizeof(buf), &mode), 0);

	snprintf(want, sizeof(want), "%s", f.dir);
	sstp_radius_files_remove(&f);
	CHECK(f.dir[0] == '\0' && f.conf[0] == '\0');
	CHECK(stat(want, &st) == -1);
	CHECK(rmdir(parent) == 0);
}

/* Without accounting, radiusclient gets an accounting server it skips. */
static void test_no_accounting(void)
{
	struct sstp_radius_files f;
	char parent[64], buf[8192], err[256];
	mode_t mode;

	make_parent(parent, sizeof(parent));
	CHECK_INT(sstp_radius_files_write(&f, parent, &server, false, err,
					  sizeof(err)), 0);
	CHECK_INT(slurp(&f, "radiusclient.conf", buf, sizeof(buf), &mode), 0);
	CHECK(strstr(buf, "\nacctserver\t0.0.0.0:11813\n") != NULL);
	sstp_radius_files_remove(&f);
	CHECK(rmdir(parent) == 0);
}

/* Every name in the dictionary fits radiusclient's 32 characters. */
static void test_dictionary_names(void)
{
	struct sstp_radius_files f;
	char parent[64], buf[8192], err[256], *line, *save = NULL;
	char kw[16], name[64];
	mode_t mode;
	int n = 0;

	make_parent(parent, sizeof(parent));
	CHECK_INT(sstp_radius_files_write(&f, parent, &server, true, err,
					  sizeof(err)), 0);
	CHECK_INT(slurp(&f, "dictionary", buf, sizeof(buf), &mode), 0);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		CHECK(sscanf(line, "%15s %63s", kw, name) == 2);
		CHECK_MSG(strlen(name) <= 32, "too long: %s", name);
		n++;
	}
	CHECK(n > 50);
	sstp_radius_files_remove(&f);
	CHECK(rmdir(parent) == 0);
}

/* A parent that cannot be made: an error, and nothing to remove. */
static void test_refused(void)
{
	struct sstp_radius_files f;
	char err[256] = "";

	CHECK_INT(sstp_radius_files_write(&f, "/proc/no/such/dir", &server,
					  true, err, sizeof(err)), -1);
	CHECK(strstr(err, "/proc/no/such/dir") != NULL);
	CHECK(f.dir[0] == '\0');
	sstp_radius_files_remove(&f);
}

static const struct unit_test tests[] = {
	UNIT_TEST(test_files),
	UNIT_TEST(test_no_accounting),
	UNIT_TEST(test_dictionary_names),
	UNIT_TEST(test_refused),
};

int main(void)
{
	return unit_run(tests, ARRAY_SIZE(tests));
}
