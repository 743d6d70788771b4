#!/usr/bin/env bash
# Runs the README's first quick-start command, exactly as written there, from a fresh
# clone of this repository's HEAD in a throw-away HOME (so its default root ~/.iapeer
# is temporary too). CI runs it (.ci/run); it cleans up after itself.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
export HOME="$work/home"
mkdir -p "$HOME"
unset IAPEER_ROOT IAPEER_SOCK_DIR IAPEER_TEST_SANDBOX PEER_IDENTITY PEER_PERSONALITY PEER_RUNTIME TMUX
git clone -q "$repo" "$work/iapeer"
cd "$work/iapeer"
# the first line of the README's first ```sh block, without its comment
cmd="$(awk '/^```sh/{f=1;next} f{print; exit}' README.md | sed 's/[[:space:]]*#.*$//')"
cleanup() {
  npx --no-install iapeer stop --all >/dev/null 2>&1 || true
  npx --no-install iapeer down >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
echo "== README quick start, from a fresh clone in $work with HOME=$HOME:"
echo "\$ $cmd"
bash -c "$cmd"
echo "== README quick start: ok"
