#!/bin/sh
# 'make deb-test': installs the package that 'make deb' built into a clean Debian 12 system
# (a fresh mmdebstrap chroot from this machine's apt sources: essential packages and apt,
# nothing else), with apt-get resolving its Depends, then runs as a user would there:
# gaswalk --version, --lang zh (the installed Chinese catalog), the man page, the bash
# completion, 'gaswalk demo --no-tui', a list of the demo ledger and an XLSX report
# (libxlsxwriter is loaded with dlopen: only the control file's Depends bring it). Needs root.
set -eu
native=$(dpkg --print-architecture)
ARCH=${ARCH:-$native}
[ "$ARCH" = "$native" ] || { echo "gaswalk: deb-test runs this machine's architecture ($native)" >&2; exit 2; }
deb=$(ls build-deb-"$ARCH"/gaswalk_*_"$ARCH".deb 2>/dev/null | tail -n 1)
[ -n "$deb" ] || { echo "gaswalk: no package yet: run 'make deb' first" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "gaswalk: deb-test needs root (a chroot)" >&2; exit 1; }
sh packaging/install-deps.sh packaging/debian-deb-test-deps.txt
sources=""
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
	[ -s "$f" ] && grep -q '^[^#]*debian' "$f" && sources="$sources $f"
done
[ -n "$sources" ] || { echo "gaswalk: no Debian apt sources on this machine" >&2; exit 1; }
root=$(mktemp -d "${TMPDIR:-/tmp}/gaswalk-clean.XXXXXX")
trap 'rm -rf "$root"' EXIT
name=$(basename "$deb")
cat >"$root.run" <<'RUN'
set -eu
cd /tmp
gaswalk --version
gaswalk --lang zh --help | grep -q '用法' || { echo "no Chinese help"; exit 1; }
[ -s /usr/share/man/man1/gaswalk.1.gz ] || { echo "man page not installed"; exit 1; }
bash -c '. /usr/share/bash-completion/completions/gaswalk && complete -p gaswalk' | grep -q _gaswalk
[ -r /usr/share/gaswalk/checklist.tsv ]
if gaswalk --help | grep -q '^  demo '; then
	gaswalk --db demo.db demo --households 300 --seed 1 --no-tui
	gaswalk --db demo.db list | head -n 3
	gaswalk --db demo.db --lang zh list --pending | head -n 3
	# libxlsxwriter is loaded with dlopen: it is there only if the Depends name it
	gaswalk --db demo.db report ranking --format xlsx -o ranking.xlsx
	[ -s ranking.xlsx ] || { echo "no XLSX report"; exit 1; }
else
	echo "(no demo command in this build: init + list instead)"
	gaswalk --db o.db init --office "清洁系统"
	gaswalk --db o.db list
	gaswalk --db o.db report ranking --format xlsx -o ranking.xlsx
	[ -s ranking.xlsx ] || { echo "no XLSX report"; exit 1; }
fi
echo "clean-system test: ok"
RUN
echo "  DEBTEST $deb in a clean Debian system (mmdebstrap$sources)"
# shellcheck disable=SC2086
mmdebstrap --quiet --mode=root --variant=apt --include=ca-certificates \
	--customize-hook="copy-in $deb /tmp" \
	--customize-hook="copy-in $root.run /tmp" \
	--customize-hook="chroot \"\$1\" sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq /tmp/$name >/dev/null'" \
	--customize-hook="chroot \"\$1\" sh /tmp/$(basename "$root.run")" \
	bookworm "$root/sys" $sources
rm -f "$root.run"
