#!/usr/bin/env bash
# The bare-machine check (issue 7): does the frozen one-folder app work on a Debian 12 that has
# nothing but a minimal base system and libgl1 libegl1 libfontconfig1? This is what catches a
# library that is on the build machine but missing from the bundle (libzbar, xcb, ...).
#   packaging/check-bare-debian.sh [BUNDLE_DIR]          (default dist/x2desk; needs root)
# The chroot is made once with `debootstrap --variant=minbase bookworm` and reused from
# $X2DESK_BARE_ROOT (default /var/tmp/x2desk-bare-bookworm); delete that folder to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE=$(cd "${1:-dist/x2desk}" && pwd)
ROOTFS=${X2DESK_BARE_ROOT:-/var/tmp/x2desk-bare-bookworm}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
EXTRA=(libgl1 libegl1 libfontconfig1)
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

[ "$(id -u)" = 0 ] || { echo "check-bare-debian: run me as root (debootstrap and chroot need it)" >&2; exit 1; }
[ -x "$BUNDLE/x2desk" ] || { echo "check-bare-debian: no app in $BUNDLE: build it first (.ci/build-check)" >&2; exit 1; }
if ! command -v debootstrap >/dev/null; then
    say "installing debootstrap"
    apt-get install -y -qq debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
fi

if [ ! -f "$ROOTFS/.x2desk-ready" ]; then
    say "debootstrap --variant=minbase bookworm $ROOTFS"
    rm -rf "$ROOTFS"
    debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR" >"$ROOTFS.log" 2>&1 \
        || { tail -20 "$ROOTFS.log" >&2; exit 1; }
    say "adding only ${EXTRA[*]}"
    chroot "$ROOTFS" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${EXTRA[@]}" >>"$ROOTFS.log" 2>&1 || { tail -20 "$ROOTFS.log" >&2; exit 1; }
    chroot "$ROOTFS" apt-get clean
    touch "$ROOTFS/.x2desk-ready"
fi

mounted=()
cleanup() {
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
    rm -rf "$ROOTFS/opt/x2desk"
}
trap cleanup EXIT
for fs in proc dev; do
    mountpoint -q "$ROOTFS/$fs" || { mount --bind "/$fs" "$ROOTFS/$fs"; mounted+=("$ROOTFS/$fs"); }
done

say "copying the bundle into the chroot"
rm -rf "$ROOTFS/opt/x2desk" && mkdir -p "$ROOTFS/opt" && cp -a "$BUNDLE" "$ROOTFS/opt/x2desk"

in_chroot() {
    chroot "$ROOTFS" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$@"
}
say "what the chroot has: $(in_chroot sh -c '. /etc/os-release; echo $PRETTY_NAME'), $(in_chroot dpkg-query -W -f '.\n' | wc -l) packages"
if in_chroot sh -c 'ldconfig -p | grep -q libzbar'; then
    echo "check-bare-debian: libzbar is installed in the chroot: the check would hide the bug" >&2; exit 1
fi
say "libraries neither the bundle nor the chroot has (informational: xcb/wayland come with a desktop)"
in_chroot sh -c 'cd /opt/x2desk/_internal && export LD_LIBRARY_PATH=$PWD &&
    for f in PySide6/Qt/plugins/platforms/*.so PySide6/*.so cv2/*.so libzbar.so.0; do
        ldd "$f" 2>/dev/null | grep "not found" | sort -u | sed "s|^[[:space:]]*|    $f: |"; done' || true

say "frozen x2desk --self-test in the bare chroot"
in_chroot /opt/x2desk/x2desk --self-test
say "bare Debian 12 check passed"
