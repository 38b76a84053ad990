#!/usr/bin/env bash
# Inside a private D-Bus session: start gnome-keyring's Secret Service, unlocked with an empty
# password from stdin, so the keyring tests talk to the real thing. Then run the given command.
set -eu
export HOME_FOR_KEYRING=$(mktemp -d)
export XDG_DATA_HOME="$HOME_FOR_KEYRING/data" XDG_RUNTIME_DIR="$HOME_FOR_KEYRING/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
eval "$(printf '\n' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
export X2DESK_SECRET_SERVICE=1
exec "$@"
