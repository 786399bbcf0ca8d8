"""Benchmark: the plan editor's save round trip under load (not part of `make test`).

    make perf                      # or: pytest tests/perf -m perf -s -k plan
    PERF_PLAN_FAMILIES=100 PERF_PLAN_RATE=50 PERF_PLAN_SECONDS=20 make perf

A real Daphne process (production settings: DEBUG=0, encryption on, the Redis channel layer)
serves the test database. N families each have two parents with the plan open in their own
socket; parent A keeps editing one section and parent B another, so every family has two
editors at once. Saves go out at an aggregate rate R for T seconds, round robin over families
and sides. Round trip = from writing section.save to the OTHER parent's section.updated for that
revision; the sender's own section.saved is measured too. Printed: p50/p95/p99/max, counts,
conflicts, errors, and the server's CPU time per save. Nothing here asserts on time: only that
every save was stored and reached the other editor exactly once.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from families.models import Role
from parentingplan.models import Section, SectionRevision
from parentingplan.services import plan_ensure
from tests.conftest import verified_session
from tests.factories import FamilyFactory, MembershipFactory, UserFactory, confirmed_totp
from tests.processes import REPO_ROOT, require_postgresql, start_daphne

pytestmark = [pytest.mark.perf, pytest.mark.django_db(transaction=True)]

FAMILIES = int(os.environ.get("PERF_PLAN_FAMILIES", "100"))
RATE = float(os.environ.get("PERF_PLAN_RATE", "50"))  # saves per second, all families together
SECONDS = float(os.environ.get("PERF_PLAN_SECONDS", "20"))
DRAIN_SECONDS = 10.0
CLK_TCK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _families():
    """N families with two verified parents each and a plan; returns what the editors need."""
    editors = []
    for _ in range(FAMILIES):
        family = FamilyFactory()
        parents = []
        for _side in ("a", "b"):
            user = UserFactory()
            MembershipFactory(user=user, family=family, role=Role.PARENT)
            confirmed_totp(user)
            parents.append(user)
        plan = plan_ensure(family=family)
        sections = {s.key: s.pk for s in Section.objects.filter(plan=plan, key__in=["information", "costs"])}
        cookies = [
            verified_session(Client(HTTP_HOST="127.0.0.1"), p).cookies[settings.SESSION_COOKIE_NAME].value
            for p in parents
        ]
        editors.append({"plan": plan.pk, "cookies": cookies,
                        "sections": [sections["information"], sections["costs"]]})
    return editors


class Editor:
    """One parent's socket with the plan open, editing one section."""

    def __init__(self, family: int, side: int, plan: int, section: int, other_section: int, cookie: str):
        self.family, self.side, self.plan, self.section, self.other_section = (
            family, side, plan, section, other_section
        )
        self.cookie = cookie
        self.head = 0
        self.sent: dict[str, float] = {}           # client_id -> time written
        self.saved_latency: list[float] = []       # own section.saved
        self.partner: Editor | None = None
        self.updates_seen: dict[str, int] = {}     # marker -> times seen from the partner
        self.update_latency: list[float] = []
        self.conflicts = 0
        self.errors: list[dict] = []
        self.busy = False                          # a save of ours is on its way: a person waits
        self.written: dict[str, float] = {}        # marker -> time this editor wrote that save
        self.ws = None

    async def open(self, url: str, origin: str):
        from websockets.asyncio.client import connect

        self.ws = await connect(
            url, origin=origin, proxy=None, open_timeout=30, max_size=2**20,
            additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={self.cookie}"},
        )
        await self.ws.send(json.dumps({"type": "plan.join", "plan": self.plan}))
        while True:
            frame = json.loads(await self.ws.recv())
            if frame["type"] == "plan.state":
                assert frame.get("live") is not False, "the server could not subscribe to live events"
                return

    async def save(self, n: int):
        self.busy = True
        client_id = str(uuid.uuid4())
        self.sent[client_id] = time.monotonic()
        marker = f"f{self.family}s{self.side}n{n}"
        await self.ws.send(json.dumps({
            "type": "section.save", "section": self.section, "base_revision": self.head,
            "client_id": client_id,
            "content": f"<p>Afspraak {marker}: we overleggen eerst samen en daarna met de kinderen.</p>",
        }))

    async def read(self):
        async for raw in self.ws:
            now = time.monotonic()
            frame = json.loads(raw)
            kind = frame["type"]
            if kind in ("section.saved", "section.conflict"):
                self.busy = False
            if kind == "section.saved":
                self.head = max(self.head, frame["section"]["revision"])
                self.saved_latency.append(now - self.sent[frame["client_id"]])
            elif kind == "section.updated" and frame["section"]["id"] == self.other_section:
                marker = frame["section"]["content"].split("Afspraak ", 1)[1].split(":", 1)[0]
                self.updates_seen[marker] = self.updates_seen.get(marker, 0) + 1
                sent_at = self.partner.written.get(marker)
                if sent_at is not None and self.updates_seen[marker] == 1:
                    self.update_latency.append(now - sent_at)
            elif kind == "section.conflict":
                self.conflicts += 1
            elif kind == "error":
                self.errors.append(frame)


async def _run(server, editors_data) -> dict:
    origin = server.url
    editors: list[Editor] = []
    for index, data in enumerate(editors_data):
        a = Editor(index, 0, data["plan"], data["sections"][0], data["sections"][1], data["cookies"][0])
        b = Editor(index, 1, data["plan"], data["sections"][1], data["sections"][0], data["cookies"][1])
        a.partner, b.partner = b, a
        editors += [a, b]
    semaphore = asyncio.Semaphore(50)

    async def open_one(editor):
        async with semaphore:
            await editor.open(server.ws_url, origin)

    await asyncio.gather(*(open_one(e) for e in editors))
    readers = [asyncio.create_task(e.read()) for e in editors]
    rss_idle = _rss_kib(server.process.pid)
    cpu_before = _cpu_seconds(server.process.pid)
    slots = int(RATE * SECONDS)
    total = skipped = 0
    started = time.monotonic()
    for n in range(slots):
        editor = editors[n % len(editors)]
        if editor.busy:  # its last save has not come back yet: the person is still waiting
            skipped += 1
        else:
            marker = f"f{editor.family}s{editor.side}n{n}"
            editor.written[marker] = time.monotonic()
            await editor.save(n)
            total += 1
        delay = started + (n + 1) / RATE - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
    send_seconds = time.monotonic() - started
    deadline = time.monotonic() + DRAIN_SECONDS
    while time.monotonic() < deadline:
        if sum(len(e.saved_latency) + e.conflicts + len(e.errors) for e in editors) >= total and \
                sum(len(e.update_latency) for e in editors) >= total:
            break
        await asyncio.sleep(0.1)
    cpu_used = _cpu_seconds(server.process.pid) - cpu_before
    for editor in editors:
        await editor.ws.close()
    for task in readers:
        task.cancel()
    duplicates = sum(c - 1 for e in editors for c in e.updates_seen.values() if c > 1)
    return {
        "saves": total,
        "skipped_busy": skipped,
        "send_seconds": send_seconds,
        "saved": sum(len(e.saved_latency) for e in editors),
        "delivered": sum(len(e.update_latency) for e in editors),
        "duplicates": duplicates,
        "conflicts": sum(e.conflicts for e in editors),
        "errors": [err for e in editors for err in e.errors][:5],
        "update_latency": [x for e in editors for x in e.update_latency],
        "saved_latency": [x for e in editors for x in e.saved_latency],
        "cpu_seconds": cpu_used,
        "rss_kib_with_sockets_open": rss_idle,
        "sockets": len(editors),
    }


def test_plan_save_round_trip_with_many_families_editing_at_once(tmp_path):
    require_postgresql("the plan benchmark's server process")
    if not os.environ.get("REDIS_URL"):
        pytest.skip("the plan benchmark measures the Redis channel layer: set REDIS_URL")
    editors_data = _families()
    server = start_daphne(REPO_ROOT / "test-results" / "perf-plan-daphne.log", env={
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "CHANNEL_ENCRYPTION_KEYS": "perf-" + uuid.uuid4().hex,
        "CHANNEL_LAYER_PREFIX": "perfplan" + uuid.uuid4().hex[:6],
        "STATIC_ROOT": str(tmp_path / "static"),
        "LOG_LEVEL": "WARNING",
        # Connections kept between calls, as in production (the tests' 0 opened one per save).
        "DATABASE_CONN_MAX_AGE": "60",
    })
    try:
        result = asyncio.run(_run(server, editors_data))
    finally:
        server.stop()

    ms = [x * 1000 for x in result["update_latency"]]
    own = [x * 1000 for x in result["saved_latency"]]
    print(
        f"\nplan benchmark: {FAMILIES} families, {result['sockets']} editors, "
        f"{RATE:g} saves/s for {SECONDS:g} s "
        f"(sent in {result['send_seconds']:.1f} s)\n"
        f"  saves {result['saves']} (slots skipped while the editor's last save was on its way: "
        f"{result['skipped_busy']}), saved {result['saved']}, "
        f"reached the other editor {result['delivered']}, "
        f"duplicates {result['duplicates']}, conflicts {result['conflicts']}, "
        f"errors {len(result['errors'])}\n"
        f"  round trip to the other editor (ms): p50 {_percentile(ms, 50):.1f}  "
        f"p95 {_percentile(ms, 95):.1f}  "
        f"p99 {_percentile(ms, 99):.1f}  max {max(ms, default=float('nan')):.1f}  "
        f"mean {statistics.fmean(ms) if ms else float('nan'):.1f}\n"
        f"  own section.saved (ms): p50 {_percentile(own, 50):.1f}  p99 {_percentile(own, 99):.1f}\n"
        f"  server CPU {result['cpu_seconds']:.2f} s = "
        f"{1000 * result['cpu_seconds'] / max(1, result['saves']):.2f} "
        f"ms per save; RSS {result['rss_kib_with_sockets_open'] / 1024:.0f} MiB with the sockets open"
    )
    assert not result["errors"], result["errors"]
    assert result["conflicts"] == 0  # each section has one editor: a conflict would be a bug
    assert result["saved"] == result["saves"]
    assert result["delivered"] == result["saves"] and result["duplicates"] == 0
    assert SectionRevision.objects.count() == result["saves"]
