#!/usr/bin/env bash
# The sqlite3 command-line shell, which benchmarks/scale.py measures pmo against. Installs it
# when missing (Debian's package, through apt-get; sudo when not root) and prints its path.
#
#     bash scripts/sqlite3.sh
#
# stdout carries only the path; everything else goes to stderr.
set -euo pipefail

if ! command -v sqlite3 >/dev/null 2>&1; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: the sqlite3 shell is missing and there is no apt-get to install it" >&2
        exit 1
    fi
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "error: sqlite3 is missing; install it as root" >&2; exit 1; }
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q >&2
    $sudo apt-get install -y -q --no-install-recommends sqlite3 >&2
fi
command -v sqlite3
