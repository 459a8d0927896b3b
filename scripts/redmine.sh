#!/usr/bin/env bash
# The throwaway Redmine the pmo-redmine tests run against: Debian's own package (Redmine 5),
# SQLite, WEBrick listening on 127.0.0.1 only, on a free port, the REST API enabled and a fixed
# admin API key. Installs the packages when missing, and prints the environment the tests read,
# for eval:
#
#     eval "$(bash scripts/redmine.sh)"         # export PMO_TEST_REDMINE_URL=http://127.0.0.1:...
#                                               # export PMO_TEST_REDMINE_KEY=...
#     bash scripts/redmine.sh stop              # stop the server and delete its files
#
# stdout carries only the exports; everything else goes to stderr. "start" on a running server
# reprints its exports; "stop" twice does nothing. PMO_REDMINE_DIR chooses where the database,
# log, pid and port files live (default: $TMPDIR/pmo-test-redmine), PMO_REDMINE_PORT the port.
# About a minute from nothing (the packages), a few seconds afterwards: the migrated database is
# kept as a template next to the state directory and copied for every fresh start.
set -euo pipefail
command=${1:-start}
self=$(realpath "$0")
base=${PMO_REDMINE_DIR:-${TMPDIR:-/tmp}/pmo-test-redmine}
# The templates outlive "stop" (which deletes $base): migrating the schema takes ~40 s.
templates=${base}-templates
# A fixed key: the server lives on the loopback as long as the test run and holds test data only.
key=0123456789abcdef0123456789abcdef01234567

if [ "$command" = stop ]; then
    if [ -s "$base/server.pid" ]; then
        pid=$(cat "$base/server.pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -rf "$base"
    exit 0
fi
if [ "$command" != start ]; then echo "usage: bash $0 [start|stop]" >&2; exit 2; fi

installed() {
    for p in redmine redmine-sqlite; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || return 1
    done
}
if ! installed; then
    command -v apt-get >/dev/null 2>&1 || { echo "error: no Redmine and no apt-get to install it" >&2; exit 1; }
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "error: Redmine is missing; install it as root" >&2; exit 1; }
        sudo="sudo"
    fi
    # dbconfig-common asks which database Debian's own instance uses: that instance is not ours,
    # but the sqlite3 adapter must appear in a database.yml for Debian's Gemfile to load it.
    $sudo debconf-set-selections <<'EOF'
redmine redmine/instances/default/dbconfig-install boolean true
redmine redmine/instances/default/database-type select sqlite3
EOF
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q >&2
    $sudo apt-get install -y -q --no-install-recommends redmine redmine-sqlite >&2
fi

mkdir -p "$base" "$templates"
db="$base/redmine.sqlite3"
# Debian's Gemfile lists no app server, so "rails server" fails with: Could not find server "".
# This one adds WEBrick (the redmine package pulls ruby-webrick in) and the sqlite3 adapter.
cat >"$base/Gemfile" <<'EOF'
eval_gemfile '/usr/share/redmine/Gemfile'
gem 'webrick'
gem 'sqlite3', '~> 1.4.0' unless @dependencies.any? { |d| d.name == 'sqlite3' }
EOF
# One request at a time (Rack::Lock): SQLite lets one writer in, and two requests that both
# read then write deadlock, one failing at once with "database is locked" (a 500), whatever
# the busy timeout. The tests may run in parallel against one server.
cat >"$base/config.ru" <<'EOF'
require '/usr/share/redmine/config/environment'
use Rack::Lock
run Rails.application
EOF
# RAILS_LOG_TO_STDOUT: the log goes to $base/server.log, not to the Debian instance's log.
# timeout: a writer waits up to 10 s for SQLite's lock instead of failing the request (500).
export BUNDLE_GEMFILE="$base/Gemfile" RAILS_ENV=production DATABASE_URL="sqlite3:$db?timeout=10000" \
    RAILS_LOG_TO_STDOUT=1 \
    REDMINE_LANG=en SECRET_KEY_BASE="pmo-test-secret-pmo-test-secret-pmo-test-secret-pmo-test-secret"

running() {
    [ -s "$base/server.pid" ] && [ -s "$base/port" ] && kill -0 "$(cat "$base/server.pid")" 2>/dev/null
}

if ! running; then
    rm -f "$base/server.pid"
    # Named by the package version, the key and the settings' version (v2: no mails).
    template="$templates/redmine-$(dpkg-query -W -f='${Version}' redmine)-${key:0:8}-v2.sqlite3"
    if [ ! -s "$template" ]; then
        # The schema, Redmine's default data (trackers, statuses, roles, priorities), the REST API
        # enabled, and the admin's API key set to the fixed one.
        rm -f "$db"
        ( cd /usr/share/redmine && VERBOSE=false KEY="$key" bin/rails runner '
            ActiveRecord::Tasks::DatabaseTasks.migrate
            ActiveRecord::Base.descendants.each(&:reset_column_information)
            Redmine::DefaultData::Loader.load("en")
            Setting.rest_api_enabled = "1"
            # No notification mails: their delivery jobs write to SQLite from other threads
            # while a request writes, and one of the two fails ("database is locked").
            Setting.notified_events = []
            admin = User.find_by_login("admin")
            admin.update_columns(must_change_passwd: false)
            token = Token.find_or_create_by!(user_id: admin.id, action: "api")
            token.update_columns(value: ENV["KEY"])' ) >"$base/init-db.log" 2>&1 \
            || { cat "$base/init-db.log" >&2; exit 1; }
        cp "$db" "$template.tmp" && mv "$template.tmp" "$template"
    fi
    cp "$template" "$db"
    # A free port: the kernel picks one (bind to port 0).
    port=${PMO_REDMINE_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
    # exec and setsid: no wrapper shell stays behind holding the caller's stdout open, and the
    # server leaves the caller's process group (a test run's Ctrl-C does not take it down).
    ( cd /usr/share/redmine || exit 1
      exec setsid bin/rails server -u webrick -b 127.0.0.1 -p "$port" -P "$base/server.pid" \
          -c "$base/config.ru" \
          </dev/null >"$base/server.log" 2>&1 ) &
    # Up when the admin's key reads the current user: the REST API answers, with that key.
    up=0
    for _ in $(seq 1 480); do
        if python3 - "http://127.0.0.1:$port/users/current.json" "$key" 2>/dev/null <<'PY'
import sys, urllib.request
request = urllib.request.Request(sys.argv[1], headers={"X-Redmine-API-Key": sys.argv[2]})
sys.exit(0 if urllib.request.urlopen(request, timeout=5).status == 200 else 1)
PY
        then up=1; break; fi
        sleep 0.25
    done
    if [ "$up" != 1 ]; then
        echo "error: Redmine did not come up; the end of $base/server.log:" >&2
        tail -40 "$base/server.log" >&2
        exit 1
    fi
    echo "$port" >"$base/port"
fi
port=$(cat "$base/port")
echo "export PMO_TEST_REDMINE_URL=http://127.0.0.1:$port"
echo "export PMO_TEST_REDMINE_KEY=$key"
echo "# stop with: bash $self stop   (log: $base/server.log)" >&2
