#!/bin/sh
# sstp-helper serve with use-radius = yes: users without a [user] section
# are verified by Debian's freeradius (in the server's netns, on 127.0.0.1)
# through pppd's radius.so, chained behind our plugin's local users.
# Debian's sstpc connects with MS-CHAPv2 as bob (RADIUS gives his address)
# and as carol (she gets one of the pool): the server verifies the crypto
# binding with the MPPE keys RADIUS returned, and ping passes. A wrong
# RADIUS password is refused; alice, a local [user], still comes up and
# RADIUS never hears of her; freeradius sees the Access-Requests and the
# accounting, and none of it with radius-accounting = no. The RADIUS
# secret and the users' passwords are in no log of ours and on no command
# line; the files radius.so reads are private and go with the server.
# A RADIUS address inside the pool (a pool of two, PAP this time): erin
# gets hers from RADIUS and holds it, alice gets the other, carol finds
# the pool exhausted and a second session of erin's is ended, since two
# sessions must never share an address; `status` shows RADIUS's
# addresses.
# vm: userspace (the kernel sees ordinary calls; what is new is RADIUS in pppd and the helper)
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

RADIUS_SECRET=Rad1us-Test-s3cret
BOB_PASSWORD=bob-radius-pw
CAROL_PASSWORD=carol-radius-pw
# dave: RADIUS accepts him but strips the MPPE keys from its answer.
DAVE_PASSWORD=dave-radius-pw
# RADIUS's Framed-IP-Address for bob, outside the pool (.10 to .50).
BOB_ADDR=198.51.100.77
# erin: RADIUS gives her the first address of a pool of two, the one the
# pool would hand out first if it did not know she holds it.
ERIN_PASSWORD="erin-radius-pw"
SMALL_POOL=198.51.100.10-198.51.100.11
ERIN_ADDR=198.51.100.10
ALICE_ADDR=198.51.100.11
RADDB=$WORK/raddb
FRLOG=$WORK/freeradius.log

# freeradius_setup: a copy of the parts of Debian's configuration this
# needs (all of it, over 9p, would take 20 s), run as root with its logs
# under $WORK; the modules always, files, pap, chap and mschap (which
# returns the MPPE keys by default); our NAS as its only client, our
# users, and one virtual server on 127.0.0.1 doing PAP, CHAP and MS-CHAP
# and taking accounting. No EAP: pppd refuses it.
freeradius_setup() {
	_etc=/etc/freeradius/3.0
	[ -f "$_etc/radiusd.conf" ] || fail "no $_etc/radiusd.conf (tools/deps.sh installs freeradius)"
	mkdir -p "$RADDB/mods-enabled" "$RADDB/mods-config/files" \
		"$RADDB/sites-enabled" "$RADDB/policy.d" "$WORK/radlog" "$WORK/radrun"
	cp "$_etc/radiusd.conf" "$_etc/dictionary" "$_etc/proxy.conf" "$RADDB/" ||
		fail "cannot copy $_etc"
	cp "$_etc"/mods-config/files/* "$RADDB/mods-config/files/" ||
		fail "cannot copy $_etc/mods-config/files"
	for _m in always files pap chap mschap; do
		cp -L "$_etc/mods-enabled/$_m" "$RADDB/mods-enabled/" ||
			fail "no freeradius module $_m"
	done
	sed -i -e "s|^raddbdir = .*|raddbdir = $RADDB|" \
		-e "s|^logdir = .*|logdir = $WORK/radlog|" \
		-e "s|^run_dir = .*|run_dir = $WORK/radrun|" \
		-e 's/^\([[:space:]]*\)\(user\|group\) = freerad/\1#\2 = freerad/' \
		"$RADDB/radiusd.conf"
	cat >"$RADDB/clients.conf" <<-EOF
	client sstp-helper {
		ipaddr = 127.0.0.1
		secret = $RADIUS_SECRET
		require_message_authenticator = no
	}
	EOF
	# <<- strips the tabs: the reply items are indented with spaces.
	cat >"$RADDB/mods-config/files/authorize" <<-EOF
	bob Cleartext-Password := "$BOB_PASSWORD"
	    Service-Type = Framed-User,
	    Framed-Protocol = PPP,
	    Framed-IP-Address = $BOB_ADDR

	carol Cleartext-Password := "$CAROL_PASSWORD"
	    Service-Type = Framed-User,
	    Framed-Protocol = PPP

	dave Cleartext-Password := "$DAVE_PASSWORD"

	erin Cleartext-Password := "$ERIN_PASSWORD"
	    Service-Type = Framed-User,
	    Framed-Protocol = PPP,
	    Framed-IP-Address = $ERIN_ADDR
	EOF
	cat >"$RADDB/sites-enabled/sstp" <<-EOF
	server sstp {
		listen {
			type = auth
			ipaddr = 127.0.0.1
			port = 1812
		}
		listen {
			type = acct
			ipaddr = 127.0.0.1
			port = 1813
		}
		authorize {
			files
			mschap
			chap
			pap
		}
		authenticate {
			Auth-Type PAP {
				pap
			}
			Auth-Type CHAP {
				chap
			}
			Auth-Type MS-CHAP {
				mschap
			}
		}
		accounting {
			ok
		}
		# What breaks SSTP behind other servers: no keys for dave.
		post-auth {
			if (&User-Name == "dave") {
				update reply {
					&MS-MPPE-Send-Key !* ANY
					&MS-MPPE-Recv-Key !* ANY
				}
			}
		}
	}
	EOF
}

start_freeradius() {
	ip netns exec srv freeradius -X -d "$RADDB" >"$FRLOG" 2>&1 &
	radiusd=$!
	wait_for 90 grep -q "Ready to process requests" "$FRLOG" ||
		fail "freeradius did not start"
}

# radius_server_config ACCOUNTING AUTHENTICATION [RANGES]: alice local,
# RADIUS for the others; the pool's ranges RANGES, or vm-common's.
# freeradius -X, writing its debug log over 9p, took more than 4 s to
# answer on the debug kernel: up to 3 tries of 5 s.
radius_server_config() {
	make_server_config "authentication = $2" "use-radius = yes" \
		"radius-accounting = $1"
	if [ -n "${3:-}" ]; then
		sed -i "s/^ranges = .*/ranges = $3/" "$WORK/server.conf"
	fi
	cat >>"$WORK/server.conf" <<-EOF
	[radius]
	address = 127.0.0.1
	secret = $RADIUS_SECRET
	timeout = 5
	retries = 3
	EOF
}

# start_serve_logged: vm-common's start_serve, with the log of every
# pppd (its stdout) in $WORK/pppd.log.
start_serve_logged() {
	ip netns exec srv "$HELPER" serve --debug --config "$WORK/server.conf" \
		>>"$WORK/pppd.log" 2>"$WORK/serve.err.log" &
	serve=$!
	wait_for 60 listening "$serve" 443 ||
		fail "sstp-helper serve not listening"
}

# step WHAT: a line with the guest's uptime, to see where time goes.
step() {
	echo "$(cut -d' ' -f1 /proc/uptime) $*"
}

# count FILE REGEX: how many lines of FILE match.
count() {
	grep -c -- "$2" "$1"
}

# pgrep, not vm-common's pppd_procs: one fork per process is slow under
# TCG, and this test asks often.
no_pppd() {
	! pgrep -x pppd >/dev/null
}

# pppds_at_most N: N pppd or fewer run (both ends' count).
pppds_at_most() {
	[ "$(pgrep -c -x pppd)" -le "$1" ]
}

# cli_links: "IFACE ADDRESS" for each of the client's ppp links that has
# an address.
cli_links() {
	ip -n cli -4 -o addr show |
		sed -n 's/^[0-9]*: \(ppp[0-9]*\) *inet \(198\.51\.100\.[0-9]*\) .*/\1 \2/p'
}

# new_link: a link of the client's that was not there when come_up began
# (those in $links).
new_link() {
	cli_links | grep -v -x -F -e "${links:-none}" | head -n 1
}

has_link_cli() {
	[ -n "$(new_link)" ]
}

# status_remotes: "USER REMOTE-ADDRESS" of each session `sstp-helper
# status --json` lists, sorted.
status_remotes() {
	ip netns exec srv "$HELPER" status --json | python3 -c '
import json, sys
for x in json.load(sys.stdin)["sessions"]:
    print(x["user"], x["remote_address"])' | sort
}

# status_is TEXT: status_remotes says TEXT.
status_is() {
	[ "$(status_remotes)" = "$1" ]
}

# settled LOG CMD...: CMD succeeds, or sstpc flaked.
settled() {
	_st_log=$1
	shift
	"$@" || sstpc_flaked "$_st_log"
}

# How the server asks users to authenticate, and what sstpc's pppd then
# requires: MS-CHAPv2 until the pool test, which does PAP.
AUTH=mschap2
REQUIRE=require-mschap-v2

# sstpc_until USER PASSWORD CMD...: sstpc as USER with $AUTH (its log in
# $WORK/sstpc-USER.log, its pid in $sstpc) until CMD succeeds, within
# 60 s. sstpc's known flake (vm-common's run_sstpc) is retried as there
# should it come after sstpc started its pppd. 1 if CMD never succeeded.
sstpc_until() {
	_su_user=$1
	_su_pw=$2
	shift 2
	_su_pppds=$(pgrep -c -x pppd)
	for _su_try in 1 2 3; do
		# shellcheck disable=SC2086 # no option at all when empty
		sstpc_as "$WORK/sstpc-$_su_user.log" "$_su_user" "$_su_pw" $REQUIRE
		wait_for 60 settled "$WORK/sstpc-$_su_user.log" "$@" || return 1
		sstpc_flaked "$WORK/sstpc-$_su_user.log" || return 0
		[ "$_su_try" = 3 ] || note_retry "sstpc: $SSTPC_FLAKE"
		wait_for 60 pppds_at_most "$_su_pppds"
	done
	return 1
}

# come_up USER PASSWORD [ADDRESS]: sstpc as USER with $AUTH until it has
# a new link with an address (ADDRESS, if given); the server authenticated
# the user, verified the crypto binding and ping passes through that
# link. The address is in $addr.
come_up() {
	step "$1 connects"
	links=$(cli_links)
	sstpc_until "$1" "$2" has_link_cli || fail "$1: the client never got an address"
	dev=$(new_link | cut -d' ' -f1)
	addr=$(new_link | cut -d' ' -f2)
	step "$1 has $addr on $dev"
	[ -z "${3:-}" ] || [ "$addr" = "$3" ] || fail "$1 got $addr, not $3"
	wait_for 30 grep -q "user $1 authenticated ($AUTH)" "$WORK/serve.err.log" ||
		fail "$1: the server never said the user authenticated"
	wait_for 30 grep -q "crypto binding verified for user $1 ($AUTH)" \
		"$WORK/serve.err.log" || fail "$1: no crypto binding verified"
	wait_for 30 grep -q "up, $addr for user $1\$" "$WORK/serve.err.log" ||
		fail "$1: the server's log has no link up with $addr"
	step "$1: the server logged it up"
	ip netns exec cli ping -I "$dev" -c 3 -i 0.2 -W 2 198.51.100.1 \
		>"$WORK/ping-$1.log" 2>&1 || fail "$1: ping through the tunnel"
	step "$1: ping passed"
	pgrep -a -x pppd >>"$WORK/pppd-cmdlines"
}

# refused USER PASSWORD REGEX: sstpc as USER until the server's log
# matches REGEX; then the client is stopped and every pppd of its
# session ends.
refused() {
	_rf_pppds=$(pgrep -c -x pppd)
	step "$1 connects, to be refused"
	sstpc_until "$1" "$2" grep -q -- "$3" "$WORK/serve.err.log" ||
		fail "$1: the server's log never said '$3'"
	kill "$sstpc" 2>/dev/null
	wait "$sstpc" 2>/dev/null
	wait_for 60 pppds_at_most "$_rf_pppds" ||
		fail "$1: a pppd of the refused session still runs"
	step "$1 refused"
}

# go_down USER: sstpc leaves; every pppd ends with the session.
go_down() {
	kill "$sstpc" 2>/dev/null
	wait "$sstpc" 2>/dev/null
	wait_for 60 no_pppd || fail "$1: a pppd still runs after the client left"
	step "$1 gone"
}

# in_pool ADDR: ADDR is one of 198.51.100.10-50.
in_pool() {
	_n=${1##*.}
	[ "${1%.*}" = 198.51.100 ] && [ "$_n" -ge 10 ] && [ "$_n" -le 50 ]
}

step start
load_modules
make_netns
make_cert
step "netns and certificate made"
freeradius_setup
step "freeradius configured"
start_freeradius
step "freeradius ready"
radius_server_config yes mschap2
start_serve_logged
step "serve listening"
grep -q "RADIUS: users without a \[user\] section are asked of 127.0.0.1:1812, accounting too" \
	"$WORK/serve.err.log" || fail "serve did not say it uses RADIUS"
dir=$(sed -n 's/.*radius.so, files in \(.*\))$/\1/p' "$WORK/serve.err.log")
{ [ -n "$dir" ] && [ "$(stat -c %a "$dir")" = 700 ]; } ||
	fail "radius.so's directory '$dir' is not private"
[ "$(stat -c %a "$dir/servers")" = 600 ] || fail "the servers file is not 0600"

# bob: RADIUS authenticates him and gives his address.
come_up bob "$BOB_PASSWORD" "$BOB_ADDR"
status_is "bob $BOB_ADDR" || fail "status does not show bob's address: $(status_remotes)"
grep -q "user 'bob' is not local: asking RADIUS" "$WORK/serve.err.log" ||
	fail "the server did not hand bob to RADIUS"
grep -q 'plugin radius.so radius-config-file .* sstp-ctl-fd ' "$WORK/pppd-cmdlines" ||
	fail "pppd's command line lacks radius.so before our sstp-ctl-fd"
wait_for 30 grep -q "Acct-Status-Type = Start" "$FRLOG" ||
	fail "freeradius got no accounting Start"
go_down bob
wait_for 30 grep -q "Acct-Status-Type = Stop" "$FRLOG" ||
	fail "freeradius got no accounting Stop"
grep -q "Framed-IP-Address = $BOB_ADDR" "$FRLOG" ||
	fail "the accounting does not name bob's address"

# carol: RADIUS authenticates her, the pool gives her address.
come_up carol "$CAROL_PASSWORD"
in_pool "$addr" || fail "carol got $addr, not one of the pool"
go_down carol

# bob with a wrong password: RADIUS rejects, the server refuses.
rejects=$(count "$FRLOG" "Sent Access-Reject")
sstpc_until bob "not bob's password" \
	grep -q "user bob failed to authenticate (mschap2)" "$WORK/serve.err.log" ||
	fail "the server did not say bob failed to authenticate"
[ "$(count "$FRLOG" "Sent Access-Reject")" -gt "$rejects" ] ||
	fail "freeradius did not reject bob's wrong password"
[ -z "$(cli_links)" ] || fail "bob with a wrong password got an address"
go_down bob-wrong

# dave: RADIUS accepts him without MPPE keys. The crypto binding cannot
# hold then (the client binds with its keys), and the logs say why.
sstpc_until dave "$DAVE_PASSWORD" grep -q "crypto binding failed" "$WORK/serve.err.log" ||
	fail "dave: the server did not refuse a binding without keys"
grep -q "mschap2 succeeded without MPPE keys" "$WORK/pppd.log" ||
	fail "dave: pppd did not say RADIUS sent no keys"
if grep -q "crypto binding verified for user dave" "$WORK/serve.err.log"; then
	fail "dave: a binding verified without keys"
fi
go_down dave

# alice: local, first; RADIUS never hears of her.
come_up alice "open sesame"
in_pool "$addr" || fail "alice got $addr, not one of the pool"
go_down alice
[ "$(count "$FRLOG" "Received Access-Request")" -ge 3 ] ||
	fail "freeradius saw fewer than 3 Access-Requests"

kill -TERM "$serve"
wait "$serve"
[ ! -e "$dir" ] || fail "radius.so's directory $dir outlived the server"

# radius-accounting = no: authentication still, accounting never. With
# PAP and a pool of two addresses, the first of them erin's from RADIUS.
mv "$WORK/serve.err.log" "$WORK/serve-accounting.err.log"
accounting=$(count "$FRLOG" "Received Accounting-Request")
requests=$(count "$FRLOG" "Received Access-Request")
AUTH=pap
REQUIRE=
radius_server_config no pap "$SMALL_POOL"
start_serve_logged
grep -q "asked of 127.0.0.1:1812, no accounting" "$WORK/serve.err.log" ||
	fail "serve did not say it does no accounting"

# erin: PAP through RADIUS, and RADIUS's address, which the pool holds
# for her from now on.
come_up erin "$ERIN_PASSWORD" "$ERIN_ADDR"
erin=$sstpc
grep -q "user 'erin' is not local: asking RADIUS" "$WORK/serve.err.log" ||
	fail "the server did not hand erin to RADIUS"
grep -q "} # Auth-Type PAP = ok" "$FRLOG" || fail "freeradius did no PAP for erin"

# alice, local: the pool's other address, not erin's.
come_up alice "open sesame" "$ALICE_ADDR"
alice=$sstpc
status_is "alice $ALICE_ADDR
erin $ERIN_ADDR" || fail "status does not show both addresses: $(status_remotes)"

# carol (RADIUS, no address of her own): nothing left in the pool.
refused carol "$CAROL_PASSWORD" "no address for user carol: address pool exhausted"

# erin again: RADIUS gives her the address her first session holds.
refused erin "$ERIN_PASSWORD" \
	"address $ERIN_ADDR of user erin is in use by another session"
kill -0 "$erin" 2>/dev/null || fail "erin's first session went down"
kill -0 "$alice" 2>/dev/null || fail "alice's session went down"
wait_for 30 status_is "alice $ALICE_ADDR
erin $ERIN_ADDR" || fail "status after the refusals: $(status_remotes)"
ip netns exec cli ping -I "$(cli_links | grep " $ERIN_ADDR\$" | cut -d' ' -f1)" \
	-c 2 -i 0.2 -W 2 198.51.100.1 >"$WORK/ping-erin-after.log" 2>&1 ||
	fail "erin's first session passes no traffic after the refusal"
step "pool test done"
kill "$erin" "$alice"
wait "$erin" 2>/dev/null
wait "$alice" 2>/dev/null
wait_for 60 no_pppd || fail "a pppd still runs after erin and alice left"

[ "$(count "$FRLOG" "Received Access-Request")" -gt "$requests" ] ||
	fail "with radius-accounting = no, RADIUS was not asked"
[ "$(count "$FRLOG" "Received Accounting-Request")" = "$accounting" ] ||
	fail "radius-accounting = no, and yet freeradius got accounting"
if grep -q 'User-Name = "alice"' "$FRLOG"; then
	fail "RADIUS was asked about alice, a local user"
fi
kill -TERM "$serve"
wait "$serve"

# No secret in our logs nor on a command line.
for _s in "$RADIUS_SECRET" "$BOB_PASSWORD" "$CAROL_PASSWORD" "$ERIN_PASSWORD"; do
	if grep -q -F -- "$_s" "$WORK"/serve*.err.log "$WORK/pppd-cmdlines"; then
		fail "a secret is in $(grep -l -F -- "$_s" "$WORK"/serve*.err.log "$WORK/pppd-cmdlines")"
	fi
done

kill "$radiusd"
wait "$radiusd" 2>/dev/null
rmmod sstp || fail "rmmod sstp"
echo "freeradius: $(count "$FRLOG" "Received Access-Request") Access-Requests," \
	"$(count "$FRLOG" "Sent Access-Reject") rejected," \
	"$(count "$FRLOG" "Received Accounting-Request") Accounting-Requests"
grep -E "RADIUS|radius|authenticated|failed to authenticate|crypto binding|up, |address" \
	"$WORK"/serve*.err.log
