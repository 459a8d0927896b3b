#!/usr/bin/env bash
# Install tox, the Chromium the browser tests drive, the Java runtime pmo-msproject's MPXJ
# readers run on, the PostgreSQL server the pmo-postgres tests use and the Redmine the
# pmo-redmine tests read, and run every check: tests on Python 3.10-3.13, the plugins' own
# tests, ruff, mypy --strict and the strict docs build, then (with no arguments) mutation
# testing of the modules changed against main and of the named mutants. Usage:
# bash scripts/test.sh [tox arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# pyenv installs several interpreters but its shims expose only the selected one (and tox does
# not pass PYENV_VERSION on), so put every installed 3.10-3.13 directly on PATH for tox to find.
if command -v pyenv >/dev/null 2>&1; then
    root=$(pyenv root)
    for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(10|11|12|13)\.[0-9]+$'); do
        PATH="$root/versions/$version/bin:$PATH"
    done
    export PATH
fi

# The browser tests drive Debian's Chromium: install it when missing (as root, or through sudo)
# and export where it is; without it they fail, they never pass by skipping.
eval "$(bash scripts/chromium.sh)"
# The scale benchmark's smoke test measures pmo against the sqlite3 shell: install it too.
bash scripts/sqlite3.sh >/dev/null
# pmo-msproject reads .mpp and .xer files through MPXJ, which runs on Java: install a runtime
# when missing (Debian's default-jre-headless); without it those tests fail.
bash scripts/java.sh >/dev/null
# The pmo-postgres tests run against a real server: a throwaway one on 127.0.0.1 (installed
# when missing), whose URL they read from PMO_TEST_POSTGRES_URL; without it they fail.
eval "$(bash scripts/postgres.sh)"
# The pmo-redmine tests run against a real Redmine: a throwaway one on 127.0.0.1 (Debian's
# package, installed when missing), whose URL and admin key they read from
# PMO_TEST_REDMINE_URL and PMO_TEST_REDMINE_KEY; without it they skip, which fails the run.
eval "$(bash scripts/redmine.sh)"

python3 -m venv .venv-tox
.venv-tox/bin/python -m pip install --quiet --upgrade pip 'tox>=4'
if [ $# -eq 0 ]; then
    .venv-tox/bin/tox run
    # Mutation testing of the modules this change touched (mutation.toml; all of them is the
    # scheduled `tox -e mutation`): a module under 90 % killed fails the run.
    .venv-tox/bin/tox run -e mutation -- --changed
    # The named mutants (tests/mutation/named.toml), the gaps tests were written for: each
    # must still be killed (a few minutes).
    exec .venv-tox/bin/tox run -e mutation -- --named
fi
exec .venv-tox/bin/tox run "$@"
