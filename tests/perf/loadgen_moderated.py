"""The moderated-mode load generator: parents send, practitioners release, all over real sockets.

    python tests/perf/loadgen_moderated.py SPEC.json

Like loadgen.py (whose socket protocol, percentiles and command loop it reuses): one process, one
asyncio event loop, no Django. SPEC.json:

    {"port": 8123, "cookie_name": "kompas_session", "ping_seconds": 25,
     "families": [{"id": 3, "thread": 7, "a": "<session key>", "b": "<session key>"}, ...],
     "reviewers": ["<session key>", ...],      # practitioner sockets; family i is reviewed by i % len
     "connect_concurrency": 50, "connect_timeout": 30}

Every family is in moderated mode, so a parent's message.send is held. For message n:
  sent        the parent writes message.send ("perf <run>:<n> ...")
  queued      the family's practitioner socket receives review.new with that body
  released    the load generator at once writes review.decide {"decision": "release"} there
  delivered   the OTHER parent's socket receives message.new with that body
and it reports hold-to-queue latency (sent -> queued) and release-to-delivery latency (released ->
delivered), p50/p95/p99/max, and checks that every message was queued exactly once, released once
(review.decided), delivered exactly once to the other parent, its sender told once (message.state
"delivered"), and that nothing reached a socket it should not. Commands, one JSON object a line:

    {"cmd": "connect"}  -> {"event": "connected", ...}  open every socket, join threads and queues
    {"cmd": "run", "rate": R, "seconds": T, "drain": D}  -> {"event": "result", ...}
    {"cmd": "quit"}     -> {"event": "bye"}
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import resource
import sys
import time
import uuid

import txaio

txaio.use_asyncio()  # as loadgen.py: before autobahn's asyncio classes are imported

from autobahn.asyncio.websocket import WebSocketClientFactory  # noqa: E402
from loadgen import (  # noqa: E402
    BODY_TEXT,
    MAX_ERRORS_LISTED,
    Protocol,
    Sock,
    raise_fd_limit,
    serve,
    summary_ms,
)

PARENT_A, PARENT_B, REVIEWER = 0, 1, 2


class Run:
    def __init__(self, run_id: int, total: int):
        self.id, self.total = run_id, total
        self.family = [0] * total
        self.side = [0] * total  # the sending parent: PARENT_A or PARENT_B
        self.sent_at = [0.0] * total
        self.queued_at = [0.0] * total
        self.released_at = [0.0] * total
        self.delivered_at = [0.0] * total
        self.acks = [0] * total  # message.ack "held" to the sender
        self.queued = [0] * total  # review.new at the family's practitioner socket
        self.decided = [0] * total  # review.decided at the family's practitioner socket
        self.states = [0] * total  # message.state "delivered" to the sender
        self.deliveries = [0] * total  # message.new at the other parent
        self.echoes = [0] * total  # message.new at the sender (its own thread joined): expected
        self.item_to_n: dict[int, int] = {}
        self.sent = 0
        self.misrouted = 0
        self.not_held = 0
        self.done = asyncio.Event()

    def finished(self) -> bool:
        return self.sent == self.total and all(self.deliveries) and all(self.states) and all(self.decided)


class Bench:
    def __init__(self, spec: dict):
        self.spec = spec
        self.ports = [int(port) for port in spec["ports"]]
        self.families = spec["families"]
        self.reviewers = spec["reviewers"]
        # parents: two sockets a family; reviewers: one socket per reviewer session key
        self.socks = [Sock(2 * f + side, f, side) for f in range(len(self.families)) for side in (0, 1)]
        self.review_socks = [Sock(len(self.socks) + r, r, REVIEWER) for r in range(len(self.reviewers))]
        self.run: Run | None = None
        self.run_counter = 0
        self.stale = self.unknown = self.pongs = 0
        self.errors: dict[str, int] = {}
        self.closes: dict[str, int] = {}
        self.other_frames: dict[str, int] = {}
        self.ping_task: asyncio.Task | None = None

    def reviewer_of(self, family: int) -> Sock:
        return self.review_socks[family % len(self.review_socks)]

    # -- frames ---------------------------------------------------------------------------

    def on_frame(self, sock: Sock, payload: bytes, now: float) -> None:
        try:
            frame = json.loads(payload)
        except ValueError:
            self.unknown += 1
            return
        kind = frame.get("type")
        if kind in ("thread.history", "thread.resync", "review.queue"):
            if sock.joined is not None and not sock.joined.done():
                sock.joined.set_result(frame)
            return
        if kind == "pong":
            self.pongs += 1
            return
        if kind == "error":
            code = str(frame.get("code"))
            self.errors[code] = self.errors.get(code, 0) + 1
            if sock.joined is not None and not sock.joined.done():
                sock.joined.set_exception(ConnectionError(f"join refused: {frame}"))
            return
        run = self.run
        if kind == "review.new":
            item = frame.get("item") or {}
            n = self._marker(run, item.get("body"))
            if n is None:
                return
            if sock.side != REVIEWER or sock is not self.reviewer_of(run.family[n]):
                run.misrouted += 1
                return
            run.queued[n] += 1
            if run.queued[n] == 1:
                run.queued_at[n] = now
                run.item_to_n[item["id"]] = n
                run.released_at[n] = time.perf_counter()
                self.send(sock, {"type": "review.decide", "item": item["id"], "decision": "release"})
        elif kind == "review.decided":
            n = run.item_to_n.get(frame.get("item")) if run is not None else None
            if n is None:
                self.stale += 1
                return
            if frame.get("decision") == "release" and sock is self.reviewer_of(run.family[n]):
                run.decided[n] += 1
            else:
                run.misrouted += 1
        elif kind == "message.ack":
            n = self._marker(run, (frame.get("message") or {}).get("body"))
            if n is None:
                return
            if sock.side != run.side[n] or sock.pair != run.family[n]:
                run.misrouted += 1
                return
            run.acks[n] += 1
            if (frame["message"] or {}).get("state") != "held":
                run.not_held += 1
        elif kind == "message.new":
            n = self._marker(run, (frame.get("message") or {}).get("body"))
            if n is None:
                return
            if sock.side == REVIEWER or sock.pair != run.family[n]:
                run.misrouted += 1
            elif sock.side == run.side[n]:
                run.echoes[n] += 1
            else:
                run.deliveries[n] += 1
                if run.deliveries[n] == 1:
                    run.delivered_at[n] = now
        elif kind == "message.state":
            n = self._marker(run, (frame.get("message") or {}).get("body"))
            if n is None:
                return
            if sock.side != run.side[n] or sock.pair != run.family[n]:
                run.misrouted += 1
            elif frame.get("state") == "delivered":
                run.states[n] += 1
        else:
            self.other_frames[str(kind)] = self.other_frames.get(str(kind), 0) + 1
            return
        if run is not None and run.finished():
            run.done.set()

    def _marker(self, run: Run | None, body) -> int | None:
        try:
            _perf, marker, _rest = body.split(" ", 2)
            run_id, n = (int(x) for x in marker.split(":"))
        except (AttributeError, ValueError):
            self.unknown += 1
            return None
        if run is None or run_id != run.id or not 0 <= n < run.total:
            self.stale += 1
            return None
        return n

    def on_close(self, sock: Sock, code) -> None:
        self.closes[str(code)] = self.closes.get(str(code), 0) + 1

    # -- connecting -----------------------------------------------------------------------

    def port_of(self, sock: Sock) -> int:
        """A server process picked at random per socket (the same in every run), as a proxy would."""
        return self.ports[random.Random(sock.index).randrange(len(self.ports))]  # noqa: S311 - not a secret

    def _factory(self, sock: Sock) -> WebSocketClientFactory:
        if sock.side == REVIEWER:
            key = self.reviewers[sock.pair]
        else:
            family = self.families[sock.pair]
            key = family["a"] if sock.side == PARENT_A else family["b"]
        port = self.port_of(sock)
        factory = WebSocketClientFactory(url=f"ws://127.0.0.1:{port}/ws/", origin=f"http://127.0.0.1:{port}",
                                         headers={"Cookie": f"{self.spec['cookie_name']}={key}"})
        factory.protocol = Protocol
        factory.setProtocolOptions(openHandshakeTimeout=self.spec.get("connect_timeout", 30),
                                   closeHandshakeTimeout=3, autoPingInterval=0, utf8validateIncoming=False)
        factory.sock, factory.bench = sock, self
        return factory

    async def open_socket(self, sock: Sock, semaphore: asyncio.Semaphore) -> str | None:
        """Open; a parent joins its family's thread, a practitioner every queue it reviews."""
        loop = asyncio.get_running_loop()
        timeout = float(self.spec.get("connect_timeout", 30))
        async with semaphore:
            sock.opened = loop.create_future()
            try:
                connecting = loop.create_connection(self._factory(sock), "127.0.0.1", self.port_of(sock))
                await asyncio.wait_for(connecting, timeout)
                await asyncio.wait_for(sock.opened, timeout)
                if sock.side == REVIEWER:
                    families = [f for f in range(len(self.families)) if self.reviewer_of(f) is sock]
                else:
                    families = [None]
                for family in families:  # one join at a time: each answer resolves `joined`
                    sock.joined = loop.create_future()
                    if family is None:
                        thread = self.families[sock.pair]["thread"]
                        frame = {"type": "thread.join", "thread": thread, "after": 0}
                    else:
                        frame = {"type": "review.join", "family": self.families[family]["id"]}
                    self.send(sock, frame)
                    await asyncio.wait_for(sock.joined, timeout)
            except (TimeoutError, OSError, ConnectionError) as exc:
                if sock.proto is not None:
                    sock.proto.dropConnection(abort=True)
                return f"{type(exc).__name__}: {exc}"
        return None

    def usable(self, sock: Sock) -> bool:
        return sock.proto is not None and not sock.closed and sock.joined is not None and sock.joined.done() \
            and sock.joined.exception() is None

    def send(self, sock: Sock, frame: dict) -> None:
        sock.proto.sendMessage(json.dumps(frame).encode(), isBinary=False)

    async def connect(self) -> dict:
        semaphore = asyncio.Semaphore(int(self.spec.get("connect_concurrency", 50)))
        started = time.perf_counter()
        everyone = self.socks + self.review_socks
        reasons = await asyncio.gather(*(self.open_socket(s, semaphore) for s in everyone))
        failures = [r for r in reasons if r]
        ping_seconds = float(self.spec.get("ping_seconds") or 0)
        if ping_seconds > 0 and self.ping_task is None:
            self.ping_task = asyncio.ensure_future(self.pinger(ping_seconds))
        return {"event": "connected", "opened": len(everyone) - len(failures), "failed": len(failures),
                "failures": failures[:MAX_ERRORS_LISTED], "seconds": round(time.perf_counter() - started, 2),
                "sockets_open": sum(self.usable(s) for s in everyone)}

    async def pinger(self, interval: float) -> None:
        while True:
            live = [s for s in self.socks + self.review_socks if self.usable(s)]
            for sock in live:
                await asyncio.sleep(interval / max(1, len(live)))
                if self.usable(sock):
                    self.send(sock, {"type": "ping"})

    # -- a run ----------------------------------------------------------------------------

    async def load(self, *, rate: float, seconds: float, drain: float) -> dict:
        families = [f for f in range(len(self.families))
                    if self.usable(self.socks[2 * f]) and self.usable(self.socks[2 * f + 1])
                    and self.usable(self.reviewer_of(f))]
        if not families:
            return {"event": "result", "error": "no usable family"}
        total = max(1, int(rate * seconds))
        self.run_counter += 1
        run = self.run = Run(self.run_counter, total)
        for n in range(total):
            run.family[n] = families[n % len(families)]
            run.side[n] = (n // len(families)) % 2
        errors_before, closes_before = dict(self.errors), dict(self.closes)
        others_before = dict(self.other_frames)
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter() + 0.05
        for n in range(total):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            sock = self.socks[2 * run.family[n] + run.side[n]]
            if not self.usable(sock):
                continue
            thread = self.families[run.family[n]]["thread"]
            run.sent_at[n] = time.perf_counter()
            self.send(sock, {"type": "message.send", "thread": thread, "client_id": str(uuid.uuid4()),
                             "body": f"perf {run.id}:{n} {BODY_TEXT}"})
            run.sent += 1
        send_seconds = time.perf_counter() - start
        if run.finished():
            run.done.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(run.done.wait(), drain)
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        sent = [n for n in range(total) if run.sent_at[n]]

        def count(values: list[int]) -> dict:
            return {"none": sum(1 for n in sent if values[n] == 0),
                    "twice_or_more": sum(1 for n in sent if values[n] > 1)}

        def between(ends: list[float], begins: list[float], seen: list[int]) -> dict:
            return summary_ms([ends[n] - begins[n] for n in sent if seen[n] and begins[n]])

        def delta(before: dict, after: dict) -> dict:
            return {k: v - before.get(k, 0) for k, v in after.items() if v != before.get(k, 0)}

        result = {
            "event": "result", "rate": rate, "seconds": seconds, "families": len(families),
            "reviewer_sockets": len(self.review_socks), "planned": total, "sent": run.sent,
            "achieved_send_rate": round(run.sent / send_seconds, 1) if send_seconds > 0 else None,
            "acked_held": sum(1 for n in sent if run.acks[n] == 1), "not_held": run.not_held,
            "queued": count(run.queued), "released": count(run.decided), "delivered": count(run.deliveries),
            "sender_told": count(run.states), "echoes_to_sender": sum(run.echoes), "misrouted": run.misrouted,
            "hold_to_queue_ms": between(run.queued_at, run.sent_at, run.queued),
            "release_to_delivery_ms": between(run.delivered_at, run.released_at, run.deliveries),
            "send_to_delivery_ms": between(run.delivered_at, run.sent_at, run.deliveries),
            "errors": delta(errors_before, self.errors), "closes": delta(closes_before, self.closes),
            "other_frames": delta(others_before, self.other_frames), "stale_frames": self.stale,
            "client_cpu_seconds": round(cpu_after.ru_utime + cpu_after.ru_stime
                                        - cpu_before.ru_utime - cpu_before.ru_stime, 2),
        }
        self.run = None
        return result

    async def quit(self) -> dict:
        if self.ping_task is not None:
            self.ping_task.cancel()
        everyone = self.socks + self.review_socks
        for sock in everyone:
            if sock.proto is not None and not sock.closed:
                sock.proto.sendClose(code=1000)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(s.proto is not None and not s.closed for s in everyone):
            await asyncio.sleep(0.1)
        for sock in everyone:
            if sock.proto is not None and not sock.closed:
                sock.proto.dropConnection(abort=True)
        return {"event": "bye"}


async def main(spec_path: str) -> int:
    with open(spec_path) as f:
        spec = json.load(f)
    raise_fd_limit(2 * len(spec["families"]) + len(spec["reviewers"]) + 1024)
    bench = Bench(spec)
    return await serve(bench, sockets=len(bench.socks) + len(bench.review_socks))


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1])))
