#!/usr/bin/env bash
# Install tox and run every check: tests on Python 3.10-3.13, the plugins' own tests, ruff,
# mypy --strict and the strict docs build. Usage: bash scripts/test.sh [tox arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# pyenv installs several interpreters but puts only one on PATH; make them all visible so tox
# finds python3.10 ... python3.13.
if command -v pyenv >/dev/null 2>&1; then
    versions=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.(10|11|12|13)\.[0-9]+$' | sort -t. -k2,2n -u | tr '\n' ':')
    if [ -n "$versions" ]; then
        export PYENV_VERSION="${versions%:}"
    fi
fi

python3 -m venv .venv-tox
.venv-tox/bin/python -m pip install --quiet --upgrade pip 'tox>=4'
exec .venv-tox/bin/tox run "$@"
