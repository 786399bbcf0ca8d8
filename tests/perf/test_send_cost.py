"""Benchmark: the CPU time one chat send costs a server process, without sockets or a load
generator (not part of `make test`; part of `make perf`).

    pytest tests/perf/test_send_cost.py -m perf -s
    PERF_SEND_N=200 PERF_SEND_ROUNDS=2 pytest tests/perf/test_send_cost.py -m perf -s   # quicker

A send goes the way a socket's does (messaging.consumers): through core.db.Batched onto the socket
database pool, one transaction on PostgreSQL (the access check with the family's contact mode, the
tone check, the insert), its message.new handed to the event loop's outbox and published on Redis.
It runs in a process of its own with the server's environment (tests/perf/send_cost.py), on the
benchmark's database (PERF_DATABASE_URL, dropped and recreated, as for test_chat_benchmark).
Printed: the CPU time of that whole process (every thread) a send, for sends made

- back to back ("hot"): the next send as soon as the last one was stored;
- PACE apart ("paced", 10 ms): what each of two server processes sees at 100 messages a second;

in ROUNDS alternating rounds of N sends each: the median and every round. The paced figure is the
one a server pays at 100 msg/s. Between two sends the cores run other processes (PostgreSQL, Redis,
the other server process), so a send finds the code and data it needs gone from the CPU caches and
costs about twice its hot figure (docs/OPERATIONS.md, Capacity). The figures move with the
machine: on one machine in one hour, the paced median of three runs was 2.65-3.03 ms and single
rounds 2.2-3.5 ms, so compare two versions of the code by alternating them several times.
Nothing here asserts on time: the figures are for a person to read.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys

import pytest

from tests.perf import harness

pytestmark = pytest.mark.perf

N = int(os.environ.get("PERF_SEND_N", "500"))
ROUNDS = int(os.environ.get("PERF_SEND_ROUNDS", "3"))
PACE = 0.010


def test_send_cost():
    config = harness.Config.from_env()
    if not harness.reachable(config.database_url) or not harness.reachable(config.redis_url):
        pytest.skip(f"needs PostgreSQL ({config.database_url}) and Redis ({config.redis_url})")
    bench = harness.Bench(config)
    try:
        env, data = bench.prepare_database(2)
        harness.settle_database(config.database_url)
        prepared = bench.workdir / "prepared.json"
        prepared.write_text(json.dumps(data))
        command = [sys.executable, str(harness.HERE / "send_cost.py"), str(prepared), str(N), str(ROUNDS),
                   str(PACE)]
        done = subprocess.run(  # noqa: S603 - our own script
            command, env=env, cwd=harness.ROOT, capture_output=True, text=True, timeout=600, check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        result = json.loads(done.stdout)
    finally:
        harness.delete_redis_keys(config.redis_url, bench.prefixes)
        shutil.rmtree(bench.workdir, ignore_errors=True)

    print(f"\nchat send, in one process with the server's settings: its CPU time a send "
          f"({ROUNDS} rounds of {N} sends each way; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores; reference loop {harness.reference_loop_ms():.1f} ms)")
    for name, label in (("hot", "back to back"), ("paced", f"{PACE * 1000:g} ms apart")):
        ms = [v * 1000 for v in result[name]]
        print(f"  {name:<6} {label:<14} median {statistics.median(ms):.3f} ms  "
              f"(rounds: {', '.join(f'{v:.3f}' for v in ms)})")
    print(f"  paced / hot: {statistics.median(result['paced']) / statistics.median(result['hot']):.2f}x")
    # The figures are of real sends: every one stored as a message of the thread.
    assert result["stored"] == result["sent"] == N * (1 + 2 * ROUNDS)
