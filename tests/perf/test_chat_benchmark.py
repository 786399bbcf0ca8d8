"""Chat delivery benchmark over real processes: the platform's /ws/ pipeline against the Channels
tutorial relay, same sockets, same load, same Redis, same run.

    make perf                          # 1000 sockets, 100 msg/s, 90 s; then both servers stepped
                                       # up (150,200,300,...,600 msg/s) to their highest sustainable rate
    PERF_STEPS= make perf              # the fixed rate only
    PERF_SOCKETS=200 PERF_RATE=100 PERF_SECONDS=10 PERF_STEPS=100,200 make perf

Environment (all optional):
  PERF_SOCKETS       even, default 1000 (two per family: its parents)
  PERF_RATE          messages a second in total, default 100
  PERF_SECONDS       default 90 (several minutes' worth of once-a-minute work; figures per 10 s window,
                     with three gauges of the machine in it: the load generator's CPU a message,
                     the share of the cores' time stolen by the hypervisor, and the longest commit
                     of a probe that flushes PostgreSQL's WAL ten times a second: a stall of the
                     disk, which every message committed then waited through too)
  PERF_TARGETS       default ours,relay (one alone for a quick look)
  PERF_STEPS         comma-separated rates for the step-up (make perf: 150,200,300,400,450,500,600);
                     without it (running pytest directly) there is no step-up
  PERF_STEP_SECONDS  default 20; PERF_STEP_P99_MS default 250
  PERF_DRAIN         seconds to wait for late deliveries after sending, default 10
  PERF_PING          client ping interval on our socket, default 25 (the protocol's); 0 = none
  PERF_NOTICE_DELAY  the server's NOTICE_DELAY_SECONDS, default 30 (production's default); a run
                     shorter than it leaves the e-mail notice checks out of the figures
  PERF_CONNECT_CONCURRENCY  default 50
  PERF_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/kompas_perf: DROPPED and recreated,
                     so its name must contain "perf"
  PERF_REDIS_URL     default redis://127.0.0.1:6379/5
  PERF_SERVER_<NAME> sets <NAME> in our server's environment only (PERF_SERVER_WS_DB_THREADS=4)
  PERF_PROFILE_DIR   when set, py-spy samples each server during the fixed-rate run and writes
                     collapsed stacks there (PERF_PYSPY: the py-spy binary, default py-spy on PATH;
                     PERF_PROFILE_MODE: cpu = running threads (default), idle = waiting threads
                     too, where latency goes, gil = the thread holding the GIL)

The assertions are about correctness only (every message delivered exactly once to the other
parent and to nobody else, every send acknowledged, every socket opened); timings are printed,
never asserted: this machine is shared and the figures are noisy.
"""

from __future__ import annotations

import pytest

from tests.perf import harness

pytestmark = pytest.mark.perf


@pytest.fixture(scope="module")
def config():
    return harness.Config.from_env()


@pytest.fixture(scope="module")
def bench(config):
    if not harness.reachable(config.database_url) or not harness.reachable(config.redis_url):
        pytest.skip(f"needs PostgreSQL ({config.database_url}) and Redis ({config.redis_url})")
    bench = harness.Bench(config)
    try:
        bench.start()
        yield bench
    finally:
        bench.close()


def assert_exactly_once(name: str, result: dict) -> None:
    assert result["sent"] == result["planned"], f"{name}: a sender's socket closed during the run: {result}"
    assert result["misrouted"] == 0, f"{name}: messages reached a socket outside the pair: {result}"
    assert result["duplicates"] == 0, f"{name}: messages delivered twice: {result}"
    assert result["missing"] == 0, f"{name}: messages not delivered: {result}"
    assert result["acked"] == result["sent"], f"{name}: sends without an acknowledgement: {result}"


def test_every_socket_opens(bench, config):
    for target in bench.targets:
        assert target.memory["connect_failed"] == 0, (target.name, target.memory)
        assert target.memory["sockets_open"] == config.sockets, (target.name, target.memory)


def test_ours_against_the_tutorial_relay(bench, config):
    results = {target.name: target.run(config.rate, config.seconds, config.drain, profile=config)
               for target in bench.targets}
    print(harness.format_comparison(config, bench, results))
    if "ours" in results:
        assert results["ours"]["errors"] == {}, results["ours"]
        assert_exactly_once("ours", results["ours"])
    if "relay" in results:
        # The relay is the yardstick, not the subject: it may drop frames (channels_redis does,
        # silently, over capacity), so only its routing is checked.
        assert results["relay"]["misrouted"] == 0 and results["relay"]["duplicates"] == 0, results["relay"]


def test_step_up(bench, config):
    if not config.steps:
        pytest.skip("set PERF_STEPS (for example 100,200,300,500) to step the rate up")
    print(f"\n=== step-up: {config.sockets} sockets, {config.step_seconds:g} s a step, sustained = "
          f"p99 <= {config.step_p99_ms:g} ms and every message delivered exactly once ===")
    best = {target.name: None for target in bench.targets}
    failed = set()
    results = []
    for rate in sorted(config.steps):
        for target in bench.targets:
            if target.name in failed:
                continue
            result = target.run(rate, config.step_seconds, config.drain)
            ok = harness.sustainable(result, config.step_p99_ms)
            print(harness.format_step(rate, target.name, result, ok), flush=True)
            results.append((target.name, rate, result))
            if ok:
                best[target.name] = rate
            else:
                failed.add(target.name)  # stop stepping this one: the next rates only get worse
    print(f"  highest sustained rate (msg/s): {best}"
          f" ratio ours/relay {harness.ratio(best.get('ours'), best.get('relay'))}")
    for name, rate, result in results:
        assert result["misrouted"] == 0, (name, rate, result)
        if name == "ours":
            assert result["duplicates"] == 0, (name, rate, result)
