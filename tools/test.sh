#!/usr/bin/env bash
# Runs the whole test suite: first everything but the browser tests, then the browser tests in
# their own pytest run (Playwright's event loop must not share a process with asyncio tests).
# Uses PostgreSQL and Redis on this machine when reachable (CI sets DATABASE_URL and REDIS_URL).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}  # PY=/path/to/python to use another environment
mode=${1:-all}
if [ ! -x "$PY" ]; then
  echo "no Python at $PY: run 'make test' (it creates .venv) or set PY=/path/to/python" >&2
  exit 2
fi

if [ -z "${DATABASE_URL:-}" ] && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
  export DATABASE_URL=postgres://postgres@127.0.0.1:5432/kompas
fi
if [ -z "${REDIS_URL:-}" ] && command -v redis-cli >/dev/null && [ "$(redis-cli -h 127.0.0.1 ping 2>/dev/null)" = PONG ]; then
  export REDIS_URL=redis://127.0.0.1:6379/0
fi
echo "tests on: database ${DATABASE_URL:-sqlite (embedded)}, channel layer ${REDIS_URL:-in-memory}"

results=$(mktemp -d)
status=0
if [ "$mode" != "--only-e2e" ]; then
  $PY -m pytest tests --ignore=tests/e2e --ignore=tests/perf --junitxml="$results/main.xml" || status=$?
fi
if [ "$mode" != "--no-e2e" ]; then
  DJANGO_ALLOW_ASYNC_UNSAFE=true $PY -m pytest tests/e2e --junitxml="$results/e2e.xml" || status=$?
fi
$PY - "$results" <<'PYEOF'
import sys, glob, xml.etree.ElementTree as ET
t = f = s = 0
for path in glob.glob(sys.argv[1] + "/*.xml"):
    for suite in ET.parse(path).getroot().iter("testsuite"):
        t += int(suite.get("tests", 0)); f += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        s += int(suite.get("skipped", 0))
print(f"all tests: {t - f - s} passed, {f} failed, {s} skipped")
PYEOF
exit $status
