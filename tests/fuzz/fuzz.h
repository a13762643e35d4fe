/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz.h - what every libFuzzer target of tests/fuzz shares. Each target
 * feeds one parser that takes bytes from a peer or a file, under ASan and
 * UBSan; `make fuzz` runs each with its seed corpus (corpus/NAME/).
 */
#ifndef SSTP_FUZZ_H
#define SSTP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property that must hold for every input: a finding when it does not. */
#define FUZZ_ASSERT(cond) do { if (!(cond)) abort(); } while (0)

#endif /* SSTP_FUZZ_H */
