#!/bin/sh
# Install the Debian packages listed in the given files that are not installed yet.
# Runs apt-get as root, or through sudo; says clearly what to do when neither works.
set -eu
want=""
for f in "$@"; do
	for p in $(grep -v '^[[:space:]]*#' "$f"); do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
			want="$want $p"
		fi
	done
done
[ -z "$want" ] && exit 0
echo "gaswalk: installing missing packages:$want" >&2
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo -n"
else
	echo "gaswalk: missing packages:$want — run 'sudo apt-get install$want' and try again" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null || { echo "gaswalk: apt-get update failed; check the package sources" >&2; exit 1; }
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $want >/dev/null ||
	{ echo "gaswalk: apt-get install failed for:$want" >&2; exit 1; }
