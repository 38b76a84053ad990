#!/usr/bin/env bash
# Turn the one-folder build (dist/x2desk/) into what a Linux user downloads and double-clicks:
# dist/x2desk-<version>-linux-<arch>.tar.xz holding x2desk-<version>/ with the app folder,
# install.sh, the .desktop file and the icons. Prints the archive's path and size.
#   packaging/linux/build-tarball.sh [DIST_DIR]
# X2DESK_ARCHIVE=gz makes a .tar.gz instead; X2DESK_XZ_LEVEL (default 6) trades time for size.
# Measured on the 290 MiB folder (2 shared cores): gzip -9 109 MiB in 38 s, xz -3 82 MiB in 67 s,
# xz -6 74 MiB in 139 s, zstd -19 --long 79 MiB in 145 s (and zstd is not on every desktop;
# every archive manager and `tar -xf` open .tar.xz).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIST=${1:-$ROOT/dist}
APP=$DIST/x2desk
[ -x "$APP/x2desk" ] || { echo "build-tarball: $APP/x2desk missing: build it first (pyinstaller build.spec)" >&2; exit 1; }
VERSION=$("$ROOT/.venv/bin/python" -c 'import sys; sys.path.insert(0, sys.argv[1]); import x2desk; print(x2desk.__version__)' "$ROOT")
NAME=x2desk-$VERSION
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/$NAME/icons"
cp -a "$APP" "$STAGE/$NAME/x2desk"
cp "$ROOT/packaging/linux/install.sh" "$ROOT/packaging/linux/x2desk.desktop" "$STAGE/$NAME/"
chmod 0755 "$STAGE/$NAME/install.sh"
cp "$ROOT"/resources/icons/x2desk-*.png "$ROOT/resources/x2desk.svg" "$STAGE/$NAME/icons/"
cat > "$STAGE/$NAME/README.txt" <<TXT
x2desk $VERSION for Linux (x86_64)

Unpack:    tar -xf x2desk-$VERSION-linux-*.tar.xz   (or open it in the archive manager)
Install:   ./install.sh            (for you; as root: for everyone, in /opt/x2desk)
Run:       the "x2desk" entry in the applications menu, or ./x2desk/x2desk here
Check:     ./x2desk/x2desk --self-test
Remove:    ./install.sh --uninstall

Needs the usual desktop libraries: libgl1 libegl1 libfontconfig1 (present on every desktop).
TXT
# xz: the archive is made once and downloaded many times; two threads split the input in blocks.
LEVEL=${X2DESK_XZ_LEVEL:-6}
case "$LEVEL" in [0-9]) ;; *) echo "build-tarball: X2DESK_XZ_LEVEL must be 0..9" >&2; exit 2 ;; esac
case "${X2DESK_ARCHIVE:-xz}" in
    xz) OUT=$DIST/$NAME-linux-$(uname -m).tar.xz; compress() { xz -T2 "-$LEVEL" -c; } ;;
    gz) OUT=$DIST/$NAME-linux-$(uname -m).tar.gz; compress() { gzip -9; } ;;
    *) echo "build-tarball: X2DESK_ARCHIVE must be xz or gz" >&2; exit 2 ;;
esac
rm -f "$DIST/$NAME-linux-$(uname -m)".tar.*
tar -C "$STAGE" --owner=0 --group=0 --numeric-owner --sort=name -cf - "$NAME" | compress > "$OUT.part"
mv "$OUT.part" "$OUT"
echo "$OUT $(du -m "$OUT" | cut -f1) MB"
