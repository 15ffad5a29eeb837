#!/bin/sh
# The key under a PIN: unlock time at the chosen Argon2id parameters (amd64, and the
# armhf build under qemu when there is one), and what guessing a 6-digit PIN offline
# costs on this machine: every PIN tried is one derivation (libsodium's Argon2id runs
# on one core), so 10^6 PINs cost 10^6 derivations. Figures only; nothing asserted.
set -eu
: "${GASWALK:?run through make bench}"
T=$(mktemp -d "${TMPDIR:-/tmp}/gaswalk-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T"
ARMHF=${ARMHF_GASWALK:-$GASWALK_ROOT/build-cross-armhf/test-bin/gaswalk}

now() { date +%s.%N; }
# best of 3 of `pin change` (unlock with the old PIN + wrap under the new: 2 derivations),
# halved: one derivation, in seconds
derivation() { # GASWALK-COMMAND...
	rm -f p.db p.db.key
	printf '111111\n' >a
	"$@" --db p.db init --device P --pin-fd 3 3<a >/dev/null
	best=""
	for i in 1 2 3; do
		if [ $((i % 2)) = 1 ]; then printf '111111\n222222\n' >c; else printf '222222\n111111\n' >c; fi
		t0=$(now)
		"$@" --db p.db pin change --pin-fd 3 3<c >/dev/null
		t=$(awk -v a="$(now)" -v b="$t0" 'BEGIN { print a - b }')
		if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
	done
	awk -v b="$best" 'BEGIN { print b / 2 }'
}
params() {
	python3 -c "import struct; b=open('p.db.key','rb').read(); a,o,m=struct.unpack('<IQQ',b[8:28]); print('Argon2id (alg %d), %d passes, %d MiB, 1 lane' % (a,o,m>>20))"
}

d=$(derivation "$GASWALK")
echo "parameters: $(params)"
printf 'unlock, amd64 (%s): %.3f s (pin change / 2: a derivation, the file rewritten)\n' "$(uname -m)" "$d"
# the attacker's loop, with the file's parameters (tests/bench/pin_guess.c)
cc -O2 -o pin_guess "$GASWALK_ROOT/tests/bench/pin_guess.c" -lsodium
g=$(./pin_guess p.db.key 3)
printf 'offline guessing, this machine: %.3f s a PIN on one core; all 10^6 six-digit PINs %.0f core-hours (half that on average)\n' \
	"$g" "$(awk -v g="$g" 'BEGIN { print g * 1000000 / 3600 }')"
printf 'a thief with 100 cores: %.0f minutes at most, %.0f on average (doc/privacy.md states this)\n' \
	"$(awk -v g="$g" 'BEGIN { print g * 1000000 / 100 / 60 }')" "$(awk -v g="$g" 'BEGIN { print g * 500000 / 100 / 60 }')"
if [ -x "$ARMHF" ] && command -v qemu-arm-static >/dev/null; then
	a=$(QEMU_LD_PREFIX=/usr/arm-linux-gnueabihf derivation qemu-arm-static "$ARMHF")
	printf 'unlock, armhf under qemu-arm-static on this machine: %.3f s (%.1fx amd64; a real handheld differs)\n' \
		"$a" "$(awk -v a="$a" -v d="$d" 'BEGIN { print a / d }')"
else
	echo "unlock, armhf: no armhf build at $ARMHF (make check-cross ARCH=armhf makes one)"
fi
