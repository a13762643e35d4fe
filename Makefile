# SPDX-License-Identifier: GPL-2.0
#
#   make            build sstp.ko (against KDIR) and the userspace programs
#   make demo       install what is missing, then show a tunnel in a VM
#   make check      install what is missing, then run every test (host + VMs)
#   make check-full the same with the whole VM matrix (for changes to kernel/)
#   make fuzz       run each libFuzzer target for FUZZ_SECONDS (default 60)
#   make deps       apt-get install what the build and the tests need
#   make netlink-gen regenerate kernel/netlink-gen.[ch] from the netlink spec
#   make install    install sstp.ko into /lib/modules/$(uname -r)
#
# KDIR defaults to the running kernel's build dir; where that does not exist
# (this repo's dev machines run a kernel without modules) it falls back to
# the newest installed Debian linux-headers-*-amd64 and says so.

KVER_RUNNING := $(shell uname -r)
ifeq ($(origin KDIR),undefined)
  ifneq ($(wildcard /lib/modules/$(KVER_RUNNING)/build/Makefile),)
    KDIR := /lib/modules/$(KVER_RUNNING)/build
  else
    KDIR := $(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64)))
    KDIR_FALLBACK := 1
  endif
endif

BUILD    ?= build
CC       ?= cc
CFLAGS   ?= -O2 -g
WFLAGS   := -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	    -Wmissing-prototypes
CPPFLAGS += -D_GNU_SOURCE -Iinclude -Iinclude/uapi -Iuserspace
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer
# What the helper and the plugin ship with: they run as root and parse
# what peers send. (Unit tests use SANFLAGS instead.)
HARDEN   := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fstack-clash-protection
HARDEN_LD := -Wl,-z,relro,-z,now

CODEC    := include/sstp/wire.c
CODEC_H  := include/sstp/wire.h include/sstp/compat.h
USERSPACE_H := $(wildcard userspace/*.h userspace/*/*.h)

NL_CFLAGS := $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null)
NL_LIBS   := $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null)
# The helper's route pin (client/route.c) only.
NL_ROUTE_LIBS := $(shell pkg-config --libs libnl-route-3.0 2>/dev/null)

PROGS    := $(BUILD)/tests/ktls-check $(BUILD)/tests/sstp-testpeer \
	    $(BUILD)/sstp-pppd.so
PROGS    += $(BUILD)/tests/sstp-nltest $(BUILD)/tests/sstp-loadgen
PROGS    += $(BUILD)/tests/sstp-uc-pair
PROGS    += $(BUILD)/sstp-helper $(BUILD)/tests/sstp-helper-forge
# Host unit tests: tests/unit/NAME_test.c linked with NAME_SRCS and NAME_LIBS.
UNIT_TESTS := wire binding pool
wire_SRCS  := include/sstp/wire.c
UNIT_TESTS += http proxy
http_SRCS  := userspace/call/http.c userspace/call/http-parse.c \
	      userspace/client/http-connect.c
http_LIBS  := -lcrypto
proxy_SRCS := userspace/transport/proxy.c
binding_SRCS := userspace/call/binding.c userspace/common/hex.c include/sstp/wire.c
binding_LIBS := -lcrypto
pool_SRCS := userspace/server/pool.c
UNIT_TESTS += serve_pools
serve_pools_SRCS := userspace/server/serve-pools.c userspace/server/pool.c
UNIT_TESTS += config
config_SRCS := userspace/common/config.c
UNIT_TESTS += hex
UNIT_TESTS += status ratelimit client_config server_config radius
radius_SRCS := userspace/server/radius.c
server_config_SRCS := userspace/server/server-config.c \
		      userspace/server/server-config-check.c userspace/common/config.c \
		      userspace/common/link.c \
		      userspace/call/binding.c userspace/common/hex.c include/sstp/wire.c
server_config_LIBS := -lcrypto
client_config_SRCS := userspace/client/client-config.c userspace/common/link.c \
		      userspace/common/config.c userspace/call/binding.c userspace/common/hex.c \
		      include/sstp/wire.c
client_config_LIBS := -lcrypto
status_SRCS := userspace/common/status-record.c
ratelimit_SRCS := userspace/server/ratelimit.c
ratelimit_LIBS := -lcrypto
hex_SRCS   := userspace/common/hex.c userspace/ppp/plugin-ctl.c
UNIT_TESTS += ctl_msg
ctl_msg_SRCS := userspace/ppp/ctl-msg.c userspace/common/hex.c userspace/ppp/plugin-ctl.c
ctl_msg_LIBS := -lcrypto
UNIT_TESTS += hdlc user_carrier pick
pick_SRCS := userspace/datapath/pick.c userspace/datapath/genl.c \
		userspace/transport/ktls.c
pick_LIBS := $(NL_LIBS) -lssl -lcrypto
hdlc_SRCS := userspace/datapath/hdlc.c
user_carrier_SRCS := userspace/datapath/user-carrier.c userspace/datapath/hdlc.c \
		include/sstp/wire.c
user_carrier_LIBS := -lssl -lcrypto
UNIT_TESTS += ciphers
ciphers_SRCS := userspace/transport/ciphers.c userspace/transport/tls.c \
		userspace/transport/ktls.c userspace/common/link.c \
		userspace/common/config.c userspace/common/log.c
ciphers_LIBS := -lssl -lcrypto
UNITS    := $(UNIT_TESTS:%=$(BUILD)/tests/%_test)
# libFuzzer targets: tests/fuzz/NAME_fuzz.c with NAME_FUZZ_SRCS, seeds in
# tests/fuzz/corpus/NAME. `make fuzz` runs each for FUZZ_SECONDS.
FUZZ_TARGETS := stream http proxy config binding hdlc
stream_FUZZ_SRCS  := include/sstp/wire.c
http_FUZZ_SRCS    := $(http_SRCS)
http_FUZZ_LIBS    := -lcrypto
proxy_FUZZ_SRCS   := userspace/transport/proxy.c
config_FUZZ_SRCS  := $(client_config_SRCS) userspace/server/server-config.c \
		     userspace/server/server-config-check.c
config_FUZZ_LIBS  := -lcrypto
binding_FUZZ_SRCS := userspace/call/binding.c userspace/common/hex.c include/sstp/wire.c
binding_FUZZ_LIBS := -lcrypto
hdlc_FUZZ_SRCS    := userspace/datapath/hdlc.c
FUZZERS  := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/%_fuzz)
FUZZ_SECONDS ?= 60
FUZZ_CC  ?= clang
FUZZFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined \
	     -fno-sanitize-recover=all -fno-omit-frame-pointer
# RSA keys for the VM tests' certificates, made on the host: in the
# emulated guest one 2048-bit key takes seconds (tests/lib/vm-common.sh).
TEST_KEYS := $(foreach i,1 2 3 4 5 6,$(BUILD)/tests/keys/rsa2048-$(i).pem) \
	     $(foreach i,1 2,$(BUILD)/tests/keys/rsa512-$(i).pem)
# The certificates most VM tests use, made from those keys on the host too
# (an openssl run takes seconds in the debug guest): make_cert's
# self-signed one and make_ca_cert's CA and server certificate.
TEST_CERTS := $(BUILD)/tests/certs/self/cert.pem $(BUILD)/tests/certs/ca/cert.pem
# Debian 13's pppd 2.5 headers, for a compile check of the plugin.
PPP25_INC = $(shell tools/ppp25-headers.sh)

.PHONY: all module userspace units test-keys check check-full demo bench bench-scale deps install clean checkpatch sparse plugin-ppp25 fuzzers fuzz print-fuzz-targets netlink-gen

all: module userspace

module:
	@if [ -z "$(KDIR)" ] || [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "no kernel build dir: install linux-headers-$(KVER_RUNNING) or set KDIR" >&2; \
		exit 1; \
	fi
ifdef KDIR_FALLBACK
	@echo "note: no build dir for the running kernel $(KVER_RUNNING); using KDIR=$(KDIR)"
endif
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace: $(PROGS)

units: $(UNITS)

test-keys: $(TEST_KEYS) $(TEST_CERTS)

$(BUILD)/tests/keys/rsa%.pem:
	@mkdir -p $(@D)
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$(firstword $(subst -, ,$*)) \
		-out $@ 2>/dev/null

$(BUILD)/tests/certs/self/cert.pem: $(BUILD)/tests/keys/rsa2048-1.pem
	@mkdir -p $(@D)
	cp $< $(@D)/key.pem
	openssl req -x509 -key $< -days 3650 -subj /CN=sstp-test -out $@ 2>/dev/null

$(BUILD)/tests/certs/ca/cert.pem: $(BUILD)/tests/keys/rsa2048-2.pem \
		$(BUILD)/tests/keys/rsa2048-3.pem tests/lib/make-ca-cert.sh
	rm -rf $(@D)
	tests/lib/make-ca-cert.sh $(@D) $(BUILD)/tests/keys/rsa2048-2.pem \
		$(BUILD)/tests/keys/rsa2048-3.pem \
		$$(date -u -d yesterday +%Y%m%d%H%M%SZ) $$(date -u -d '+10 years' +%Y%m%d%H%M%SZ)

$(BUILD)/tests/ktls-check: tests/progs/ktls-check.c userspace/transport/ktls.c userspace/transport/ktls.h
	@mkdir -p $(@D)
	$(CC) $(WFLAGS) $(CFLAGS) $(CPPFLAGS) -o $@ tests/progs/ktls-check.c \
		userspace/transport/ktls.c -lssl -lcrypto -lpthread

TESTPEER_SRCS := tests/progs/sstp-testpeer.c userspace/datapath/genl.c userspace/transport/ktls.c \
		 include/sstp/wire.c \
		 userspace/common/hex.c userspace/ppp/plugin-ctl.c

$(BUILD)/tests/sstp-testpeer: $(TESTPEER_SRCS) $(USERSPACE_H) tests/progs/ppp-packet.h \
		include/uapi/linux/sstp.h
	@mkdir -p $(@D)
	$(CC) $(WFLAGS) $(CFLAGS) $(CPPFLAGS) $(NL_CFLAGS) -o $@ $(TESTPEER_SRCS) \
		$(NL_LIBS) -lssl -lcrypto

$(BUILD)/tests/sstp-nltest: tests/progs/sstp-nltest.c userspace/datapath/genl.c \
		userspace/datapath/genl.h userspace/transport/ktls.c userspace/transport/ktls.h include/uapi/linux/sstp.h
	@mkdir -p $(@D)
	$(CC) $(WFLAGS) $(CFLAGS) $(CPPFLAGS) $(NL_CFLAGS) -o $@ \
		tests/progs/sstp-nltest.c userspace/datapath/genl.c userspace/transport/ktls.c \
		$(NL_LIBS) -lssl -lcrypto

UC_PAIR_SRCS := tests/progs/sstp-uc-pair.c userspace/datapath/user-carrier.c \
		userspace/datapath/hdlc.c userspace/datapath/genl.c include/sstp/wire.c

$(BUILD)/tests/sstp-uc-pair: $(UC_PAIR_SRCS) $(USERSPACE_H) $(CODEC_H) tests/lib/test-cert.h
	@mkdir -p $(@D)
	$(CC) $(WFLAGS) $(CFLAGS) $(CPPFLAGS) $(NL_CFLAGS) -Itests/lib -o $@ $(UC_PAIR_SRCS) \
		$(NL_LIBS) -lssl -lcrypto

LOADGEN_SRCS := tests/progs/sstp-loadgen.c userspace/call/binding.c \
		userspace/call/http.c userspace/call/http-parse.c \
		userspace/common/hex.c include/sstp/wire.c

$(BUILD)/tests/sstp-loadgen: $(LOADGEN_SRCS) $(USERSPACE_H) $(CODEC_H) tests/progs/ppp-packet.h
	@mkdir -p $(@D)
	$(CC) $(WFLAGS) $(CFLAGS) $(CPPFLAGS) -o $@ $(LOADGEN_SRCS) -lssl -lcrypto

# The helper: the subcommands on top, each layer in a folder of its own
# (README.md, "Layout"); the pppd plugin in ppp/plugin/ is built apart.
HELPER_DIRS := userspace userspace/client userspace/server userspace/call \
	       userspace/transport userspace/datapath userspace/ppp userspace/common
HELPER_SRCS := $(foreach d,$(HELPER_DIRS),$(wildcard $(d)/*.c)) include/sstp/wire.c

$(BUILD)/sstp-helper: $(HELPER_SRCS) $(USERSPACE_H) $(CODEC_H)
	@mkdir -p $(@D)
	$(CC) $(WFLAGS) $(CFLAGS) $(HARDEN) $(CPPFLAGS) $(NL_CFLAGS) -pie -fPIE \
		-o $@ $(HELPER_SRCS) $(HARDEN_LD) $(NL_LIBS) $(NL_ROUTE_LIBS) -lssl -lcrypto

# The same helper whose client sends a wrong Compound MAC, for the
# server's refusal test (tests/vm/serve-hostile.sh); never installed.
$(BUILD)/tests/sstp-helper-forge: $(HELPER_SRCS) $(USERSPACE_H) $(CODEC_H)
	@mkdir -p $(@D)
	$(CC) $(WFLAGS) $(CFLAGS) $(CPPFLAGS) $(NL_CFLAGS) -DSSTP_TEST_FORGE_BINDING \
		-o $@ $(HELPER_SRCS) $(NL_LIBS) $(NL_ROUTE_LIBS) -lssl -lcrypto

PLUGIN_SRC := userspace/ppp/plugin/sstp-pppd.c userspace/ppp/plugin/ctl.c \
	      userspace/common/hex.c userspace/common/hex.h \
	      userspace/ppp/plugin/auth.c userspace/ppp/plugin/sstp-pppd.h \
	      userspace/ppp/plugin/pppd-compat.h userspace/ppp/plugin-ctl.h

# The pppd plugin, for Debian 12's pppd (2.4.9).
$(BUILD)/sstp-pppd.so: $(PLUGIN_SRC)
	@mkdir -p $(@D)
	$(CC) $(WFLAGS) $(CFLAGS) $(HARDEN) -Iuserspace -fPIC -shared -o $@ $(filter %.c,$^) \
		$(HARDEN_LD)

# The same plugin against pppd 2.5 (Debian 13): built, never installed.
$(BUILD)/pppd25/sstp-pppd.so: $(PLUGIN_SRC)
	@mkdir -p $(@D)
	$(CC) $(WFLAGS) $(CFLAGS) -Iuserspace -isystem $(PPP25_INC) -fPIC -shared -o $@ \
		$(filter %.c,$^)

plugin-ppp25: $(BUILD)/pppd25/sstp-pppd.so

# Unit tests run on the host under AddressSanitizer and UBSan.
.SECONDEXPANSION:
$(BUILD)/tests/%_test: tests/unit/%_test.c tests/unit/unit.h tests/lib/test-cert.h \
		$$($$*_SRCS) $(CODEC_H) $(USERSPACE_H)
	@mkdir -p $(@D)
	$(CC) $(WFLAGS) $(SANFLAGS) $(CPPFLAGS) $(NL_CFLAGS) -Itests/lib -o $@ $< \
		$($*_SRCS) $($*_LIBS)

fuzzers: $(FUZZERS)

print-fuzz-targets:
	@echo $(FUZZ_TARGETS)

$(BUILD)/fuzz/%_fuzz: tests/fuzz/%_fuzz.c tests/fuzz/fuzz.h $$($$*_FUZZ_SRCS) \
		$(CODEC_H) $(USERSPACE_H)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZFLAGS) $(CPPFLAGS) -Itests/fuzz -o $@ $< \
		$($*_FUZZ_SRCS) $($*_FUZZ_LIBS)

# Each target for FUZZ_SECONDS; new inputs go to build/fuzz/corpus/NAME,
# findings (crash-*, leak-*) to build/fuzz/findings/NAME-.
fuzz: $(FUZZERS)
	@tools/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

check:
	@tools/check.sh

check-full:
	@SSTP_CHECK_FULL=1 tools/check.sh

# The data path measured side by side in one guest: build/bench/bench.md,
# .json, .svg (tools/bench/bench.sh; BENCH_ARGS="--reps 5 --seconds 20").
bench:
	@tools/deps.sh
	@tools/bench/bench.sh $(BENCH_ARGS)

# One serve with many sessions: build/bench/scale.md, .json
# (tools/bench/scale.sh; SCALE_ARGS="--calls '100 500'").
bench-scale:
	@tools/deps.sh
	@tools/bench/scale.sh $(SCALE_ARGS)

# A tunnel through sstp.ko in a VM guest running Debian's 6.1 kernel.
demo:
	@tools/deps.sh
	@$(MAKE) -s userspace test-keys
	@SSTP_VERBOSE=1 tools/vm/run.sh 6.1 tools/demo/tunnel.sh

deps:
	@tools/deps.sh

install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(notdir $(patsubst %/build,%,$(KDIR)))

checkpatch:
	@tools/checkpatch.sh

# After a change to Documentation/netlink/specs/sstp.yaml.
netlink-gen:
	@tools/netlink-spec.sh --update

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 modules

clean:
	rm -rf $(BUILD)
	@if [ -n "$(KDIR)" ] && [ -f "$(KDIR)/Makefile" ]; then \
		$(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
