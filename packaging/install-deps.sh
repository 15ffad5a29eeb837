#!/bin/sh
# Install the Debian packages listed in the given files that are not installed yet.
#   install-deps.sh [--list] [--arch ARCH] LIST...
# --list prints the packages the lists name (placeholders replaced) and installs nothing.
# With --arch (a Debian architecture: arm64, armhf), @ARCH@ in the lists becomes ARCH and
# @TRIPLET@ its GNU triplet. A package named NAME:ARCH of an architecture dpkg does not
# know yet makes it add that architecture first (multiarch), then refresh the indexes.
# Runs apt-get as root, or through sudo; says clearly what to do when neither works.
set -eu
arch="" triplet="" list_only=""
if [ "${1:-}" = "--list" ]; then
	list_only=1
	shift
fi
if [ "${1:-}" = "--arch" ]; then
	arch=${2:?install-deps.sh: --arch needs an architecture}
	shift 2
	triplet=$(dpkg-architecture -a"$arch" -qDEB_HOST_MULTIARCH 2>/dev/null) ||
		{ echo "gaswalk: '$arch' is not a Debian architecture" >&2; exit 2; }
fi
native=$(dpkg --print-architecture)
known=" $native $(dpkg --print-foreign-architectures | tr '\n' ' ')"

for f in "$@"; do
	[ -r "$f" ] || { echo "gaswalk: no package list $f" >&2; exit 2; }
	if [ -z "$arch" ] && grep -q '@ARCH@\|@TRIPLET@' "$f"; then
		echo "gaswalk: $f needs --arch ARCH" >&2
		exit 2
	fi
done

# The packages of one list, placeholders replaced, comments dropped.
packages() {
	grep -v '^[[:space:]]*#' "$1" | sed -e "s/@ARCH@/$arch/g" -e "s/@TRIPLET@/$triplet/g"
}

if [ -n "$list_only" ]; then
	for f in "$@"; do packages "$f"; done
	exit 0
fi
want="" add_arch=""
for f in "$@"; do
	for p in $(packages "$f"); do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
			want="$want $p"
		fi
		case $p in *:*)
			a=${p##*:}
			case "$known $add_arch " in *" $a "*) ;; *) add_arch="$add_arch $a" ;; esac ;;
		esac
	done
done
[ -z "$want" ] && exit 0
echo "gaswalk: installing missing packages:$want" >&2
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo -n"
else
	hint=""
	for a in $add_arch; do hint="${hint}sudo dpkg --add-architecture $a; "; done
	echo "gaswalk: missing packages:$want — run '${hint}sudo apt-get update; sudo apt-get install$want' and try again" >&2
	exit 1
fi
for a in $add_arch; do
	echo "gaswalk: adding the $a architecture to dpkg" >&2
	$SUDO dpkg --add-architecture "$a"
done
export DEBIAN_FRONTEND=noninteractive
# One mirror index failing to refresh should not stop an install that the others allow.
$SUDO apt-get update -qq >/dev/null 2>&1 ||
	echo "gaswalk: apt-get update reported errors; trying the install with the indexes it has" >&2

candidate() { apt-cache policy "$1" | awk '/Candidate:/ { print $2 }'; }

# A Multi-Arch: same library must have one version on every architecture. When a native
# package came from an index that the foreign architecture lacks (a security update not
# built yet, a half-synced mirror), apt refuses; align both on the foreign candidate, and
# keep at that version the native packages that would otherwise be removed.
align_pins() {
	pins="" versions=""
	for _ in 1 2 3 4 5 6; do
		# shellcheck disable=SC2086
		out=$(apt-get install -s --no-install-recommends --allow-downgrades $want $pins 2>&1) || true
		new=""
		for y in $(echo "$out" | sed -n 's/.*Depends: \([^ ]*:[a-z0-9]*\) .*not going to be installed.*/\1/p' | sort -u); do
			v=$(candidate "$y")
			[ -n "$v" ] && [ "$v" != "(none)" ] || continue
			new="$new ${y%:*}:$native=$v $y=$v"
			versions="$versions $v"
		done
		for x in $(echo "$out" | sed -n 's/^Remv \([^ :]*\) .*/\1/p'); do
			for v in $versions; do
				apt-cache madison "$x" | grep -q "| $v |" && new="$new $x:$native=$v"
			done
		done
		[ -z "$new" ] && break
		pins="$pins$new"
	done
	echo "$pins"
}

pins=""
# shellcheck disable=SC2086
if [ -n "$add_arch" ] || [ -n "$arch" ]; then
	if ! apt-get install -s --no-install-recommends $want >/dev/null 2>&1; then
		pins=$(align_pins)
		[ -n "$pins" ] && echo "gaswalk: aligning Multi-Arch versions:$pins" >&2
	fi
fi
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends --no-remove --allow-downgrades $want $pins >/dev/null ||
	{ echo "gaswalk: apt-get install failed for:$want$pins" >&2; exit 1; }
