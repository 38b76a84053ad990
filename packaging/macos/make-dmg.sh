#!/usr/bin/env bash
# Build dist/x2desk-<version>.dmg on macOS: the .app bundle (Info.plist from
# packaging/macos/Info.plist, with NSCameraUsageDescription: without it macOS kills the app on
# its first camera access), its self-test, then a compressed disk image with an Applications
# link so the user drags the app across.
#   packaging/macos/make-dmg.sh            (needs Xcode's command line tools: hdiutil, codesign)
# Signing: set CODESIGN_IDENTITY="Developer ID Application: ..." to sign (and then notarize
# with `xcrun notarytool submit dist/x2desk-<version>.dmg --wait`); unsigned otherwise, and
# Gatekeeper asks the user to open it with right-click > Open the first time.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(uname)" = Darwin ] || { echo "make-dmg.sh: run me on macOS" >&2; exit 1; }
./run x2desk --version >/dev/null   # creates or updates the venv
.venv/bin/pyinstaller --noconfirm build.spec
APP=dist/x2desk.app
/usr/libexec/PlistBuddy -c "Print :NSCameraUsageDescription" "$APP/Contents/Info.plist" >/dev/null
"$APP/Contents/MacOS/x2desk" --self-test
if [ -n "${CODESIGN_IDENTITY:-}" ]; then
    codesign --deep --force --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$APP"
fi
VERSION=$(.venv/bin/python -c 'import x2desk; print(x2desk.__version__)')
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
OUT=dist/x2desk-$VERSION.dmg
rm -f "$OUT"
hdiutil create -volname "x2desk $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -imagekey zlib-level=9 "$OUT"
echo "$OUT"
