/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sstp-helper.h - the subcommands of sstp-helper, one file each. */
#ifndef SSTP_HELPER_H
#define SSTP_HELPER_H

int sstp_cmd_connect(int argc, char **argv);
int sstp_cmd_serve(int argc, char **argv);
int sstp_cmd_status(int argc, char **argv);

#endif /* SSTP_HELPER_H */
