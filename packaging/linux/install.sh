#!/bin/sh
# Install x2desk from this unpacked archive for the current user (or system-wide as root):
# the app folder, a launcher in the menu (.desktop file), the icon in every size, and an
# `x2desk` command on the PATH. Run it again to update; `./install.sh --uninstall` removes it.
#   ./install.sh [--user] [--prefix DIR] [--uninstall]     (--user: per-user even as root)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
SYSTEM=0
[ "$(id -u)" = 0 ] && SYSTEM=1
for arg in "$@"; do [ "$arg" = --user ] && SYSTEM=0; done
if [ "$SYSTEM" = 1 ]; then
    PREFIX=/opt/x2desk; SHARE=/usr/local/share; BIN=/usr/local/bin
else
    PREFIX=${XDG_DATA_HOME:-$HOME/.local/share}/x2desk/app
    SHARE=${XDG_DATA_HOME:-$HOME/.local/share}; BIN=$HOME/.local/bin
fi
UNINSTALL=0
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX=$2; shift 2 ;;
        --uninstall) UNINSTALL=1; shift ;;
        --user) shift ;;
        -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
done
SIZES="16 24 32 48 64 128 256 512"

refresh_menus() {
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$SHARE/applications" 2>/dev/null || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" 2>/dev/null || true
}

if [ "$UNINSTALL" = 1 ]; then
    rm -rf "$PREFIX"
    rm -f "$SHARE/applications/x2desk.desktop" "$BIN/x2desk"
    for s in $SIZES; do rm -f "$SHARE/icons/hicolor/${s}x${s}/apps/x2desk.png"; done
    rm -f "$SHARE/icons/hicolor/scalable/apps/x2desk.svg"
    refresh_menus
    echo "x2desk removed (your connections and settings are kept in your data folder)."
    exit 0
fi

[ -x "$HERE/x2desk/x2desk" ] || { echo "install.sh: $HERE/x2desk/x2desk not found: run me from the unpacked archive" >&2; exit 1; }
mkdir -p "$PREFIX" "$SHARE/applications" "$BIN"
# Replace the previous version as a whole, so no stale library survives an update.
rm -rf "$PREFIX.new" && cp -a "$HERE/x2desk" "$PREFIX.new"
rm -rf "$PREFIX" && mv "$PREFIX.new" "$PREFIX"
ln -sf "$PREFIX/x2desk" "$BIN/x2desk"
for s in $SIZES; do
    mkdir -p "$SHARE/icons/hicolor/${s}x${s}/apps"
    cp "$HERE/icons/x2desk-$s.png" "$SHARE/icons/hicolor/${s}x${s}/apps/x2desk.png"
done
mkdir -p "$SHARE/icons/hicolor/scalable/apps"
cp "$HERE/icons/x2desk.svg" "$SHARE/icons/hicolor/scalable/apps/x2desk.svg"
sed "s|@EXEC@|$PREFIX/x2desk|g" "$HERE/x2desk.desktop" > "$SHARE/applications/x2desk.desktop"
chmod 0644 "$SHARE/applications/x2desk.desktop"
refresh_menus
echo "x2desk installed in $PREFIX; start it from the applications menu or with: $BIN/x2desk"
case ":$PATH:" in *":$BIN:"*) ;; *) echo "(add $BIN to your PATH to type 'x2desk' in a terminal)" ;; esac
