#!/usr/bin/env bash
# Check the .deb as a user's machine would get it: the control fields, the file list and modes,
# then a real `dpkg --root` install into an empty directory tree (its own dpkg database, no
# chroot, no network), the installed `x2desk --self-test`, the installed `x2desk kiosk` commands
# on the shipped example config, the systemd unit (systemd-analyze verify), removal leaving
# nothing behind, and with X2DESK_LINTIAN=1 lintian (not in CI: installing it needs the network,
# and it spends 100 s on the 290 MB bundle).
#   packaging/linux/check-deb.sh DEB
# Why `dpkg --root` rather than `dpkg-deb -x`: it runs dpkg's own unpacking (file conflicts,
# directory creation, the database) and its removal, which -x never exercises. It needs only
# an empty var/lib/dpkg in the tree; `--force-depends` because that tree's database knows no
# libgl1 (the bare-Debian chroot check, packaging/check-bare-debian.sh, covers those libraries);
# `--force-not-root` when not root; the package has no maintainer scripts, so nothing is run in
# a chroot.
set -euo pipefail
DEB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -f "$DEB" ] || { echo "check-deb: no package $1" >&2; exit 1; }
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
fail() { echo "check-deb: $*" >&2; exit 1; }
export QT_QPA_PLATFORM=offscreen

say "control fields"
field() { dpkg-deb --field "$DEB" "$1"; }
[ "$(field Package)" = x2desk ] || fail "Package is not x2desk"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "wrong Architecture"
for lib in libc6 libgl1 libegl1 libfontconfig1; do
    field Depends | tr ',' '\n' | grep -q "^ *$lib\b" || fail "Depends lacks $lib"
done
for f in Version Maintainer Installed-Size Description Section Priority; do
    [ -n "$(field "$f")" ] || fail "control field $f is empty"
done
dpkg-deb --ctrl-tarfile "$DEB" | tar -t | grep -qvE '^\./(control|md5sums)?$' \
    && fail "unexpected control files (maintainer scripts?): $(dpkg-deb --ctrl-tarfile "$DEB" | tar -t | tr '\n' ' ')"

say "file list and modes"
contents=$(dpkg-deb --contents "$DEB")
for path in ./usr/bin/x2desk ./usr/lib/x2desk/x2desk ./usr/share/applications/x2desk.desktop \
    ./usr/share/icons/hicolor/256x256/apps/x2desk.png ./usr/lib/systemd/user/x2desk-kiosk.service \
    ./usr/share/x2desk/kiosk/example.toml ./usr/share/x2desk/kiosk/x2desk-kiosk.desktop \
    ./usr/share/x2desk/kiosk/README ./usr/share/doc/x2desk/copyright; do
    grep -q " $path\( \|$\)" <<<"$contents" || fail "$path is not in the package"
done
awk '$2 != "root/root" { print "not root-owned: " $0; bad=1 } END { exit bad }' <<<"$contents" || fail "ownership"
awk '$1 ~ /^d/ && $1 != "drwxr-xr-x" { print "directory mode: " $0; bad=1 }
     $1 ~ /^-/ && $1 != "-rw-r--r--" && $1 != "-rwxr-xr-x" { print "file mode: " $0; bad=1 }
     END { exit bad }' <<<"$contents" || fail "modes"
grep -q '^-rwxr-xr-x .* ./usr/lib/x2desk/x2desk$' <<<"$contents" || fail "the app is not executable"
grep -q '^-rw-r--r-- .* ./usr/lib/systemd/user/x2desk-kiosk.service$' <<<"$contents" || fail "unit mode"
grep -q '^lrwxrwxrwx .* ./usr/bin/x2desk -> ../lib/x2desk/x2desk$' <<<"$contents" || fail "the /usr/bin link"

ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT
mkdir -p "$ROOT/var/lib/dpkg/info" "$ROOT/var/lib/dpkg/updates" "$ROOT/var/log"
touch "$ROOT/var/lib/dpkg/status"
force=(--force-depends)
[ "$(id -u)" = 0 ] || force+=(--force-not-root)
say "dpkg --root install into an empty tree"
dpkg --root="$ROOT" "${force[@]}" --log=/dev/null -i "$DEB" >/dev/null 2>"$ROOT.err" \
    || { cat "$ROOT.err" >&2; rm -f "$ROOT.err"; fail "dpkg -i failed"; }
rm -f "$ROOT.err"
[ "$(dpkg-query --admindir="$ROOT/var/lib/dpkg" -W -f='${Status}' x2desk)" = "install ok installed" ] \
    || fail "dpkg does not list x2desk as installed"
dpkg --root="$ROOT" --verify x2desk || fail "dpkg --verify: installed files differ from md5sums"

say "the installed x2desk --self-test"
home=$ROOT/home/kiosk
mkdir -p "$home"
export X2DESK_HOME=$home/data
"$ROOT/usr/bin/x2desk" --self-test

say "the installed x2desk kiosk set-pin / check on the shipped example"
cp "$ROOT/usr/share/x2desk/kiosk/example.toml" "$home/kiosk.toml"
echo 24681357 | "$ROOT/usr/bin/x2desk" kiosk set-pin --pin-stdin --config "$home/kiosk.toml" >/dev/null
[ "$(stat -c %a "$home/kiosk.toml")" = 600 ] || fail "set-pin did not make the config 0600"
checked=$("$ROOT/usr/bin/x2desk" kiosk check --config "$home/kiosk.toml")
echo "${checked%%$'\n'*}"
if "$ROOT/usr/bin/x2desk" kiosk check --config "$ROOT/usr/share/x2desk/kiosk/example.toml" 2>"$home/err"; then
    fail "a config without a PIN passed the check"
fi
grep -q "line [0-9]*, key admin.pin_hash" "$home/err" || fail "the missing PIN's error names no line: $(cat "$home/err")"

if command -v systemd-analyze >/dev/null; then
    say "systemd-analyze verify the user unit"
    mkdir -p "$ROOT/run/user"
    sed "s|/usr/bin/x2desk|$ROOT/usr/bin/x2desk|" "$ROOT/usr/lib/systemd/user/x2desk-kiosk.service" \
        > "$ROOT/run/x2desk-kiosk.service"
    out=$(XDG_RUNTIME_DIR=$ROOT/run/user systemd-analyze verify --user "$ROOT/run/x2desk-kiosk.service" 2>&1) \
        || { echo "$out" >&2; fail "systemd-analyze verify failed"; }
    [ -z "$out" ] || { echo "$out" >&2; fail "systemd-analyze verify warned"; }
    rm -rf "$ROOT/run"
fi

say "dpkg --root remove leaves nothing"
rm -rf "$home" "$ROOT/home"
dpkg --root="$ROOT" "${force[@]}" --log=/dev/null -r x2desk >/dev/null
left=$(cd "$ROOT" && find . -mindepth 1 -not -path './var*')
[ -z "$left" ] || fail "left after removal: $left"

if [ "${X2DESK_LINTIAN:-0}" = 1 ]; then
    say "lintian"
    # Tags a PyInstaller bundle has by nature: the wheels' libraries carry RPATHs, their own
    # copies of libraries, no separate debug symbols (strip corrupts auditwheel's output, see
    # packaging/README.md); the bootloader is PyInstaller's own build; a zstd .deb is what
    # dpkg >= 1.21.18 reads but the Debian archive itself does not take. No man page yet.
    lintian --tag-display-limit 0 --fail-on error --suppress-tags \
custom-library-search-path,embedded-library,shared-library-lacks-prerequisites,\
unstripped-binary-or-object,library-not-linked-against-libc,hardening-no-pie,no-manual-page,\
malformed-deb-archive "$DEB" || fail "lintian found errors"
fi
echo "check-deb passed: $(basename "$DEB")"
