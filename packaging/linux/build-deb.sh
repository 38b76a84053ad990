#!/usr/bin/env bash
# Turn the one-folder build (dist/x2desk/) into a Debian package with dpkg-deb:
# dist/x2desk_<version>_<arch>.deb. Prints the package's path and size.
#   packaging/linux/build-deb.sh [DIST_DIR]
# Layout: the app in /usr/lib/x2desk/ (one folder, replaced whole by each update), /usr/bin/x2desk
# (a relative symlink: PyInstaller finds its folder through the link), the menu entry and icons,
# the systemd user unit /usr/lib/systemd/user/x2desk-kiosk.service, and under
# /usr/share/x2desk/kiosk/ the example config, a README and the autostart entry (an opt-in copy:
# nothing starts a kiosk for a user who did not ask for one).
# X2DESK_DEB_COMPRESS: "zstd" (default: 6 s, 103 MiB; dpkg >= 1.21.18, i.e. Debian 12 and
# Ubuntu 21.10 on, which the bundle's glibc needs anyway), "gzip" (38 s, 110 MiB) or "xz" (what
# the Debian archive itself accepts besides gzip: 75 MiB but 6 minutes on two busy cores). Needs only dpkg-deb,
# not root or fakeroot: --root-owner-group makes every file root's in the package.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIST=${1:-$ROOT/dist}
APP=$DIST/x2desk
[ -x "$APP/x2desk" ] || { echo "build-deb: $APP/x2desk missing: build it first (pyinstaller build.spec)" >&2; exit 1; }
command -v dpkg-deb >/dev/null || { echo "build-deb: dpkg-deb not found (apt-get install dpkg)" >&2; exit 1; }
VERSION=$("$ROOT/.venv/bin/python" -c 'import sys; sys.path.insert(0, sys.argv[1]); import x2desk; print(x2desk.__version__)' "$ROOT")
ARCH=$(dpkg --print-architecture)
# The bundle's Python was linked on this machine: it needs at least this machine's glibc.
GLIBC=$(dpkg-query -W -f='${Version}' libc6 2>/dev/null | sed 's/-.*//') || GLIBC=
[ -n "$GLIBC" ] || GLIBC=$(ldd --version | head -1 | grep -o '[0-9]\+\.[0-9]\+$')
# What the bare-Debian check (packaging/check-bare-debian.sh) shows the bundle needs besides
# itself; everything else (libzbar, Qt's xcb helpers) is inside.
DEPENDS="libc6 (>= $GLIBC), libgl1, libegl1, libfontconfig1"
MAINTAINER="x2desk developers <x2desk@users.noreply.github.com>"

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
PKG=$STAGE/pkg
umask 022
mkdir -p "$PKG/DEBIAN" "$PKG/usr/lib" "$PKG/usr/bin" "$PKG/usr/share/applications" \
    "$PKG/usr/lib/systemd/user" "$PKG/usr/share/x2desk/kiosk" "$PKG/usr/share/doc/x2desk"
cp -a "$APP" "$PKG/usr/lib/x2desk"
ln -s ../lib/x2desk/x2desk "$PKG/usr/bin/x2desk"
sed "s|@EXEC@|/usr/bin/x2desk|g" "$ROOT/packaging/linux/x2desk.desktop" > "$PKG/usr/share/applications/x2desk.desktop"
for s in 16 24 32 48 64 128 256 512; do
    install -D -m 0644 "$ROOT/resources/icons/x2desk-$s.png" "$PKG/usr/share/icons/hicolor/${s}x${s}/apps/x2desk.png"
done
install -D -m 0644 "$ROOT/resources/x2desk.svg" "$PKG/usr/share/icons/hicolor/scalable/apps/x2desk.svg"
install -m 0644 "$ROOT/packaging/linux/x2desk-kiosk.service" "$PKG/usr/lib/systemd/user/"
install -m 0644 "$ROOT/packaging/linux/x2desk-kiosk.desktop" "$ROOT/packaging/kiosk/example.toml" \
    "$ROOT/packaging/kiosk/README" "$PKG/usr/share/x2desk/kiosk/"
# The date of the commit built (reproducible), else now.
STAMP=${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)}
cat > "$PKG/usr/share/doc/x2desk/copyright" <<TXT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: x2desk

Files: *
Copyright: $(date -u -d "@$STAMP" +%Y) the x2desk developers
License: proprietary
 All rights reserved. The bundled third-party libraries (Python, Qt for Python, OpenCV, ZBar,
 zxing-cpp, ...) keep their own licences; see /usr/lib/x2desk/_internal/.
TXT
printf 'x2desk (%s) unstable; urgency=medium\n\n  * x2desk %s, packed from the one-folder build.\n\n -- %s  %s\n' \
    "$VERSION" "$VERSION" "$MAINTAINER" "$(date -u -R -d "@$STAMP")" \
    | gzip -9n > "$PKG/usr/share/doc/x2desk/changelog.gz"
# Directories 0755 and files 0644 or 0755 as they were built; nothing group- or world-writable.
find "$PKG" -type d -exec chmod 0755 {} +
find "$PKG" -type f -perm /022 -exec chmod go-w {} +
find "$PKG/usr/lib/x2desk" -type f -name '*.so*' -perm /111 -exec chmod 0644 {} +  # loaded, never run
chmod 0644 "$PKG/usr/share/applications/x2desk.desktop" "$PKG"/usr/share/doc/x2desk/*

cat > "$PKG/DEBIAN/control" <<CTRL
Package: x2desk
Version: $VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $(du -sk --exclude=DEBIAN "$PKG" | cut -f1)
Depends: $DEPENDS
Suggests: gnome-keyring
Section: utils
Priority: optional
Description: connect messenger accounts and bots without copying a secret by hand
 x2desk reads an X2Chat integration QR from the webcam, connects Telegram,
 WhatsApp and MAX accounts through a connections provider, pairs Green-API
 instances, and keeps every secret in the system keyring. It also runs as an
 unattended, fullscreen pairing station (kiosk): see
 /usr/share/x2desk/kiosk/README.
CTRL
(cd "$PKG" && find usr -type f -print0 | sort -z | xargs -0 md5sum) > "$PKG/DEBIAN/md5sums"  # dpkg --verify
chmod 0644 "$PKG/DEBIAN/control" "$PKG/DEBIAN/md5sums"

case "${X2DESK_DEB_COMPRESS:-zstd}" in
    zstd) compress=(-Zzstd -z3) ;;
    xz) compress=(-Zxz -z6) ;;
    gzip) compress=(-Zgzip -z6) ;;
    *) echo "build-deb: X2DESK_DEB_COMPRESS must be zstd, gzip or xz" >&2; exit 2 ;;
esac
OUT=$DIST/x2desk_${VERSION}_${ARCH}.deb
rm -f "$OUT"
dpkg-deb --root-owner-group "${compress[@]}" --threads-max=2 --build "$PKG" "$OUT.part" >/dev/null
mv "$OUT.part" "$OUT"
echo "$OUT $(du -m "$OUT" | cut -f1) MB"
