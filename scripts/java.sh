#!/usr/bin/env bash
# A Java runtime, which pmo-msproject's MPXJ readers (.mpp, .mpx, .xer, PMXML) run on through
# JPype. Installs Debian's default-jre-headless when `java` is missing (through apt-get; sudo
# when not root) and prints the path of `java`.
#
#     bash scripts/java.sh
#
# stdout carries only the path; everything else goes to stderr.
set -euo pipefail

if ! command -v java >/dev/null 2>&1; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: java is missing and there is no apt-get to install it" >&2
        exit 1
    fi
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "error: java is missing; install it as root" >&2; exit 1; }
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q >&2
    $sudo apt-get install -y -q --no-install-recommends default-jre-headless >&2
fi
command -v java
