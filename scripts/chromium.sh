#!/usr/bin/env bash
# The headless Chromium the browser tests drive (tests/browser): Debian's own package, never a
# browser downloaded by Playwright. Installs what is missing, checks that it renders a page,
# and prints the environment the tests read, for eval:
#
#     eval "$(bash scripts/chromium.sh)"
#
# stdout carries only the exports; everything else goes to stderr.
set -euo pipefail

# fonts-dejavu-core: screenshots show text; libatomic1: Playwright's bundled driver needs it.
PACKAGES="chromium fonts-dejavu-core libatomic1"

missing=$(for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || echo "$p"
done)
if [ -n "$missing" ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: missing $missing and no apt-get to install them" >&2
        exit 1
    fi
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "error: missing $missing; install them as root" >&2; exit 1; }
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Once, only when installing: stale package lists point at versions that are gone.
    $sudo apt-get update -q >&2
    # shellcheck disable=SC2086  # one word per package
    $sudo apt-get install -y -q --no-install-recommends $missing >&2
fi

browser=$(command -v chromium || true)
[ -n "$browser" ] || { echo "error: chromium is not on PATH" >&2; exit 1; }

# Smoke test: a headless screenshot straight from the command line. --no-sandbox because CI
# runs as root; the background-networking flags and a fresh profile keep Chromium from
# calling home (the tests allow no request outside the page).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo '<h1>ok</h1><svg width="80" height="40"><rect width="80" height="40" fill="teal"/></svg>' >"$tmp/p.html"
timeout 60 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --disable-background-networking --disable-component-update --disable-sync --disable-quic \
    --no-first-run --user-data-dir="$tmp/profile" \
    --screenshot="$tmp/s.png" --window-size=400,300 "file://$tmp/p.html" >/dev/null 2>&1 || true
[ -s "$tmp/s.png" ] || { echo "error: chromium could not render a page (smoke test)" >&2; exit 1; }
"$browser" --version >&2

cat <<ENV
export CHROMIUM_PATH=$browser
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
ENV
