#!/bin/sh
# deps.sh - make sure the Debian packages Baton needs are installed.
#
#   tools/deps.sh run    what `make run` needs: compiler, GRUB, QEMU
#   tools/deps.sh all    everything `make test` needs, Bochs included
#
# Missing packages are installed when we are root; otherwise the exact
# apt-get line is printed and we stop, so nothing depends on a package
# someone installed by hand and forgot.
set -eu

RUN_PACKAGES="gcc make binutils python3 grub-pc-bin grub-common xorriso qemu-system-x86"
ALL_PACKAGES="$RUN_PACKAGES bochs bochs-term bochsbios vgabios libcmocka-dev unifdef clang-format clang libclang-rt-14-dev bear gdb pycodestyle pyflakes3 ccache"

case "${1:-run}" in
run) wanted=$RUN_PACKAGES ;;
all) wanted=$ALL_PACKAGES ;;
*) echo "usage: tools/deps.sh run|all" >&2; exit 2 ;;
esac

missing=""
for p in $wanted; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "Baton needs these Debian packages:$missing"
	echo "Install them with:"
	echo "  sudo apt-get install -y$missing"
	exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# --no-install-recommends keeps QEMU from pulling in a desktop's worth;
# bochs needs some display plugin installed: bochs-term is the lightest
# (we run it with the rfb display built into bochs itself).
apt-get install -y -qq --no-install-recommends $missing >/dev/null
