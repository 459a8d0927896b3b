#!/usr/bin/env bash
# The throwaway PostgreSQL server the pmo-postgres tests run against: Debian's own package,
# listening on 127.0.0.1 only, on a free port, with durability off (the data is thrown away).
# Installs the server when missing, and prints the environment the tests read, for eval:
#
#     eval "$(bash scripts/postgres.sh)"        # export PMO_TEST_POSTGRES_URL=postgresql://...
#     bash scripts/postgres.sh stop             # stop the server and delete its files
#
# stdout carries only the export; everything else goes to stderr. "start" on a running server
# reprints its URL; "stop" twice does nothing. PMO_PG_DIR chooses where the data directory,
# socket, log and port file live (default: $TMPDIR/pmo-test-pg), PMO_PG_PORT the port.
set -euo pipefail
command=${1:-start}
self=$(realpath "$0")
base=${PMO_PG_DIR:-${TMPDIR:-/tmp}/pmo-test-pg}
# A role that owns the test database and nothing else, as an operator would run pmo; the
# password only guards a loopback server that lives as long as the test run.
db_user=pmo db_pass=pmo-test db_name=pmo_test

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    [ "$command" = stop ] && exit 0
    command -v apt-get >/dev/null 2>&1 || { echo "error: no PostgreSQL server and no apt-get to install it" >&2; exit 1; }
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "error: PostgreSQL is missing; install it as root" >&2; exit 1; }
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q >&2
    $sudo apt-get install -y -q --no-install-recommends postgresql-common >&2
    # The package would otherwise create and start a system cluster on port 5432.
    $sudo sed -i 's/^#*\s*create_main_cluster.*/create_main_cluster = false/' \
        /etc/postgresql-common/createcluster.conf
    $sudo apt-get install -y -q --no-install-recommends postgresql >&2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

# PostgreSQL refuses to run as root: as root, its tools run as the postgres user.
if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); owner=postgres; else as=(); owner=$(id -un); fi
cd /  # the postgres user may not be able to read the current directory

running() { [ -f "$base/port" ] && "$bin/pg_isready" -q -h "$base" -p "$(cat "$base/port")"; }
wipe() {
    if [ -f "$base/data/postmaster.pid" ]; then
        "${as[@]}" "$bin/pg_ctl" -D "$base/data" -m immediate -w -t 10 stop >&2 || true
    fi
    rm -rf "$base"
}

if [ "$command" = stop ]; then wipe; exit 0; fi
if [ "$command" != start ]; then echo "usage: bash $0 [start|stop]" >&2; exit 2; fi

if ! running; then
    wipe
    install -d -m 700 -o "$owner" "$base"
    # A free port: the kernel picks one (bind to port 0).
    port=${PMO_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
    # trust only on the private socket in $base (the script's own psql below); passwords on TCP.
    "${as[@]}" "$bin/initdb" -N -D "$base/data" -U postgres --locale=C -E UTF8 \
        --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    "${as[@]}" "$bin/pg_ctl" -D "$base/data" -l "$base/server.log" -w -t 30 start \
        -o "-h 127.0.0.1 -p $port -k $base -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2
    # CREATEROLE: the privilege tests make a role that may only append to the journal.
    "${as[@]}" "$bin/psql" -qX -h "$base" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE $db_user LOGIN CREATEROLE PASSWORD '$db_pass'" \
        -c "CREATE DATABASE $db_name OWNER $db_user" >&2
    echo "$port" >"$base/port"
fi
port=$(cat "$base/port")
echo "export PMO_TEST_POSTGRES_URL=postgresql://$db_user:$db_pass@127.0.0.1:$port/$db_name"
echo "# stop with: bash $self stop   (log: $base/server.log)" >&2
