"""Moderated-mode benchmark over real processes (issue 10 item 8): parents send, practitioners
release, through the platform's real /ws/ sockets; not part of `make test`.

    make perf-moderated                 # 100 families in moderated mode, 20 msg/s for 30 s
    PERF_MOD_FAMILIES=20 PERF_MOD_SECONDS=10 make perf-moderated     # a quick look

Every load-test family is put in moderated contact by its coordinator (tests/perf/prepare_db.py
--moderated), so every parent's message is held. For each message: the sending parent's socket
writes message.send; the family's practitioner socket gets review.new and at once answers
review.decide "release"; the other parent's socket gets message.new. Printed (p50/p95/p99/max):
  hold-to-queue        message.send written -> review.new received at the practitioner's socket
  release-to-delivery  review.decide written -> message.new received at the other parent's socket
  send-to-delivery     the two together, with the practitioner's (instant) reaction in between
and the server's CPU per message. The practitioner sockets are sessions of the seeded load coach
(the coordinator of every load-test family): PERF_MOD_REVIEWERS sockets, family i reviewed on
socket i % PERF_MOD_REVIEWERS (each socket also gets the coach's review.count for every family).

Environment (all optional): PERF_MOD_FAMILIES (default 100), PERF_MOD_REVIEWERS (default 10; the
socket frame limit is 10 a second, so keep PERF_MOD_RATE / PERF_MOD_REVIEWERS well under it),
PERF_MOD_RATE (messages a second in total, default 20), PERF_MOD_SECONDS (default 30), and as for
the chat benchmark PERF_DRAIN, PERF_PING, PERF_DATABASE_URL (dropped and recreated), PERF_REDIS_URL,
PERF_SERVER_<NAME>.

Asserted: correctness only (every message held, queued once, released once, delivered exactly
once to the other parent and to nobody else, its sender told once); timings are printed, never
asserted.
"""

from __future__ import annotations

import sys
import time

import pytest

from tests.perf import harness

pytestmark = pytest.mark.perf


class ModeratedBench(harness.Bench):
    """Our server only, its families in moderated mode, parents and practitioner sockets open."""

    def __init__(self, config: harness.Config, *, families: int, reviewers: int):
        super().__init__(config)
        self.families, self.reviewers = families, reviewers
        self.connected: dict = {}

    def start(self) -> None:
        config = self.config
        harness.raise_fd_limit(2 * self.families + self.reviewers + 4096)
        started = time.monotonic()
        env, data = self.prepare_database(self.families, "--moderated")
        self.setup_seconds["database"] = round(time.monotonic() - started, 1)

        started = time.monotonic()
        workers = ()
        if config.notice_process:  # as in production and in the chat benchmark (harness.Bench.start)
            env["NOTICE_WORKER"] = "0"
            workers = (("notices", ["nice", "-n", "10", sys.executable, str(harness.ROOT / "manage.py"),
                                    "send_notices"]),)
        target = harness.start_daphne("ours", "config.asgi:application", env, self.workdir,
                                      processes=config.processes, workers=workers)
        self.targets.append(target)
        sessions = data["sessions"]
        spec = {
            "ports": target.ports, "cookie_name": "kompas_session", "ping_seconds": config.ping_seconds,
            "connect_concurrency": config.connect_concurrency, "connect_timeout": 30,
            "families": [{"id": f["id"], "thread": f["thread"], "a": sessions[str(f["users"][0])],
                          "b": sessions[str(f["users"][1])]} for f in data["families"]],
            "reviewers": [data["coach"]["session"]] * self.reviewers,
        }
        target.loadgen = harness.LoadGen("moderated", spec, self.workdir, script="loadgen_moderated.py")
        self.connected = target.loadgen.command({"cmd": "connect"}, "connected",
                                                timeout=120 + self.families)
        if self.connected["failed"]:
            raise RuntimeError(f"sockets failed to open: {self.connected}\n{harness.tail(target.log_path)}")
        time.sleep(2)  # let the server settle with every socket idle
        self.setup_seconds["ours"] = round(time.monotonic() - started, 1)


@pytest.fixture(scope="module")
def config():
    return harness.Config.from_env()


@pytest.fixture(scope="module")
def bench(config):
    if not harness.reachable(config.database_url) or not harness.reachable(config.redis_url):
        pytest.skip(f"needs PostgreSQL ({config.database_url}) and Redis ({config.redis_url})")
    bench = ModeratedBench(config, families=harness.env_int("PERF_MOD_FAMILIES", 100),
                           reviewers=harness.env_int("PERF_MOD_REVIEWERS", 10))
    try:
        bench.start()
        yield bench
    finally:
        bench.close()


def _line(name: str, ms: dict) -> str:
    return f"  {name:<20} p50 {ms['p50']} ms  p95 {ms['p95']} ms  p99 {ms['p99']} ms  max {ms['max']} ms"


def format_moderated(bench: ModeratedBench, rate: float, seconds: float, r: dict) -> str:
    once = {k: r[k] for k in ("queued", "released", "delivered", "sender_told")}
    return "\n".join([
        "",
        f"=== moderated-mode benchmark: {bench.families} families in moderated mode "
        f"({2 * bench.families} parent sockets, {bench.reviewers} practitioner sockets), "
        f"{rate:g} msg/s for {seconds:g} s ===",
        f"  setup seconds: {bench.setup_seconds}; sockets open {bench.connected['sockets_open']}",
        f"  sent {r['sent']}/{r['planned']} (achieved {r['achieved_send_rate']}/s), acked as held "
        f"{r['acked_held']}, not held {r['not_held']}, misrouted {r['misrouted']}, "
        f"errors {r['errors'] or '-'}, closes {r['closes'] or '-'}",
        f"  messages missing / seen twice or more: {once}",
        _line("hold-to-queue", r["hold_to_queue_ms"]),
        _line("release-to-delivery", r["release_to_delivery_ms"]),
        _line("send-to-delivery", r["send_to_delivery_ms"]),
        f"  server CPU {r['server_cpu_seconds']} s ({r['server_cpu_share']:.0%} of a core), "
        f"{r['server_cpu_ms_per_message']} ms per message (hold, queue, release, delivery), "
        f"RSS {r['server_rss_mib']} MiB; client CPU {r['client_cpu_seconds']} s; "
        f"other frames {r['other_frames'] or '-'}",
    ])


def test_moderated_hold_and_release(bench, config):
    rate = harness.env_float("PERF_MOD_RATE", 20)
    seconds = harness.env_float("PERF_MOD_SECONDS", 30)
    target = bench.targets[0]
    warm = target.run(min(rate, 5), 1, config.drain)  # first-use costs out of the figures
    assert warm["misrouted"] == 0, warm
    result = target.run(rate, seconds, config.drain)
    print(format_moderated(bench, rate, seconds, result))
    assert result["sent"] == result["planned"], result
    assert result["acked_held"] == result["sent"] and result["not_held"] == 0, result
    for step in ("queued", "released", "delivered", "sender_told"):
        assert result[step] == {"none": 0, "twice_or_more": 0}, (step, result)
    assert result["misrouted"] == 0, result
    assert result["errors"] == {}, result
