"""The benchmark's load generator: one process, one asyncio event loop, N real WebSockets.

    python tests/perf/loadgen.py SPEC.json

It does not import Django: it is a client, talking to a Daphne process over 127.0.0.1 only.
The WebSocket client is autobahn's asyncio protocol (autobahn ships with Daphne: no extra
dependency). SPEC.json:

    {"mode": "ours" | "relay", "ports": [8123, 8124],    # one server process per port
     "pairs": [{"thread": 7, "a": "<session key>", "b": "<session key>"}, ...]   # mode ours
              [{"room": "r1"}, ...]                                                  # mode relay
     "cookie_name": "kompas_session", "ping_seconds": 25,
     "connect_concurrency": 50, "connect_timeout": 30}

Each pair is two sockets: the two parents of one family joined to their parents' thread (ours),
or two sockets in one room of the tutorial relay (baseline). Commands arrive on stdin and answers
leave on stdout, one JSON object a line:

    {"cmd": "warmup"}     -> {"event": "warm", ...}       open pair 0 and exchange a message each way
    {"cmd": "connect"}    -> {"event": "connected", ...}  open every other pair (and join the thread)
    {"cmd": "run", "rate": R, "seconds": T, "drain": D}  -> {"event": "result", ...}
    {"cmd": "quit"}       -> {"event": "bye"}             close every socket and exit

A run sends R messages a second in total for T seconds, round robin over the pairs and
alternating sides, each body carrying a marker "perf <run>:<n>". Latency is the time from
writing message n to the moment the OTHER socket of the pair has received it (message.new; in
the relay the echoed {"message": ...}). Every delivery is counted, so duplicates, missing
messages and messages arriving on a socket outside the pair (misrouted) are reported.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import random
import resource
import sys
import time
import uuid

import txaio

txaio.use_asyncio()

from autobahn.asyncio.websocket import WebSocketClientFactory, WebSocketClientProtocol  # noqa: E402

BODY_TEXT = "Kun jij zaterdag de kinderen om tien uur brengen? Dan haal ik ze zondag om vijf uur op."
MAX_ERRORS_LISTED = 10


def emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def raise_fd_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


WINDOW_SECONDS = 10


def percentile(sorted_values: list[float], pct: float) -> float | None:
    if not sorted_values:
        return None
    rank = max(1, min(len(sorted_values), math.ceil(pct / 100 * len(sorted_values))))
    return sorted_values[rank - 1]


def summary_ms(values: list[float]) -> dict:
    values = sorted(values)
    if not values:
        return {"p50": None, "p95": None, "p99": None, "max": None, "mean": None}
    return {
        "p50": round(percentile(values, 50) * 1000, 2),
        "p95": round(percentile(values, 95) * 1000, 2),
        "p99": round(percentile(values, 99) * 1000, 2),
        "max": round(values[-1] * 1000, 2),
        "mean": round(sum(values) / len(values) * 1000, 2),
    }


def counter_delta(before: dict, after: dict) -> dict:
    return {k: v - before.get(k, 0) for k, v in after.items() if v != before.get(k, 0)}


class Sock:
    __slots__ = ("index", "pair", "side", "proto", "opened", "joined", "closed", "close_code")

    def __init__(self, index: int, pair: int, side: int):
        self.index, self.pair, self.side = index, pair, side
        self.proto = None
        self.opened: asyncio.Future | None = None
        self.joined: asyncio.Future | None = None
        self.closed = False
        self.close_code = None


class Protocol(WebSocketClientProtocol):
    def onOpen(self):  # noqa: N802 - autobahn's callback names
        sock = self.factory.sock
        sock.proto = self
        if not sock.opened.done():
            sock.opened.set_result(True)

    def onMessage(self, payload, is_binary):  # noqa: N802
        self.factory.bench.on_frame(self.factory.sock, payload, time.perf_counter())

    def onClose(self, was_clean, code, reason):  # noqa: N802
        sock = self.factory.sock
        sock.closed, sock.close_code = True, code
        if sock.opened is not None and not sock.opened.done():
            sock.opened.set_exception(ConnectionError(f"handshake failed: {code} {reason}"))
        if sock.joined is not None and not sock.joined.done():
            sock.joined.set_exception(ConnectionError(f"closed before join: {code} {reason}"))
        self.factory.bench.on_close(sock, code)


class Run:
    """The state of one load run."""

    def __init__(self, run_id: int, total: int):
        self.id = run_id
        self.total = total
        self.sender = [0] * total  # socket index
        self.recipient = [0] * total
        self.sent_at = [0.0] * total
        self.sent = 0
        self.ack_at = [0.0] * total
        self.acks = [0] * total
        self.delivered_at = [0.0] * total
        self.deliveries = [0] * total
        self.echoes = [0] * total
        self.delivered = 0
        self.acked = 0
        self.misrouted = 0
        self.done = asyncio.Event()


class Bench:
    def __init__(self, spec: dict):
        self.spec = spec
        self.mode = spec["mode"]
        self.ports = [int(port) for port in spec["ports"]]
        self.pairs = spec["pairs"]
        self.socks = [Sock(2 * p + side, p, side) for p in range(len(self.pairs)) for side in (0, 1)]
        self.run: Run | None = None
        self.run_counter = 0
        self.stale = 0  # frames of an earlier run arriving late
        self.unknown = 0
        self.errors: dict[str, int] = {}
        self.closes: dict[str, int] = {}
        self.pongs = 0
        self.ping_task: asyncio.Task | None = None

    # -- frames ---------------------------------------------------------------------------

    def on_frame(self, sock: Sock, payload: bytes, now: float) -> None:
        try:
            frame = json.loads(payload)
        except ValueError:
            self.unknown += 1
            return
        if self.mode == "relay":
            self.on_body(sock, frame.get("message"), now, kind="echo")
            return
        kind = frame.get("type")
        if kind == "message.new":
            self.on_body(sock, frame["message"]["body"], now, kind="new")
        elif kind == "message.ack":
            self.on_body(sock, frame["message"]["body"], now, kind="ack")
        elif kind in ("thread.history", "thread.resync"):
            if sock.joined is not None and not sock.joined.done():
                sock.joined.set_result(frame)
        elif kind == "pong":
            self.pongs += 1
        elif kind == "error":
            code = str(frame.get("code"))
            self.errors[code] = self.errors.get(code, 0) + 1
            if sock.joined is not None and not sock.joined.done():
                sock.joined.set_exception(ConnectionError(f"join refused: {frame}"))
        else:
            self.unknown += 1

    def on_body(self, sock: Sock, body, now: float, *, kind: str) -> None:
        run = self.run
        try:
            _perf, marker, _rest = body.split(" ", 2)
            run_id, n = (int(x) for x in marker.split(":"))
        except (AttributeError, ValueError):
            self.unknown += 1
            return
        if run is None or run_id != run.id or not 0 <= n < run.total:
            self.stale += 1
            return
        if kind == "ack":
            if sock.index != run.sender[n]:
                run.misrouted += 1
                return
            run.acks[n] += 1
            if run.acks[n] == 1:
                run.ack_at[n] = now
                run.acked += 1
        elif sock.index == run.recipient[n]:
            run.deliveries[n] += 1
            if run.deliveries[n] == 1:
                run.delivered_at[n] = now
                run.delivered += 1
        elif sock.index == run.sender[n]:
            # Ours: the sender's own socket gets message.new too. Relay: the echo is its only ack.
            run.echoes[n] += 1
            if self.mode == "relay" and run.echoes[n] == 1:
                run.ack_at[n] = now
                run.acked += 1
        else:
            run.misrouted += 1
        if run.sent == run.total and run.delivered == run.total and run.acked == run.total:
            run.done.set()

    def on_close(self, sock: Sock, code) -> None:
        key = str(code)
        self.closes[key] = self.closes.get(key, 0) + 1

    # -- connecting -----------------------------------------------------------------------

    def port_of(self, sock: Sock) -> int:
        """Where a reverse proxy would send this socket: a server process picked at random (the
        same one in every run), so a pair's two sockets share a process in some families and not in
        others."""
        return self.ports[random.Random(sock.index).randrange(len(self.ports))]  # noqa: S311 - not a secret

    def _factory(self, sock: Sock) -> WebSocketClientFactory:
        pair = self.pairs[sock.pair]
        port = self.port_of(sock)
        origin = f"http://127.0.0.1:{port}"
        if self.mode == "relay":
            url, headers = f"ws://127.0.0.1:{port}/ws/chat/{pair['room']}/", {}
        else:
            key = pair["a"] if sock.side == 0 else pair["b"]
            url, headers = f"ws://127.0.0.1:{port}/ws/", {"Cookie": f"{self.spec['cookie_name']}={key}"}
        factory = WebSocketClientFactory(url=url, origin=origin, headers=headers)
        factory.protocol = Protocol
        factory.setProtocolOptions(openHandshakeTimeout=self.spec.get("connect_timeout", 30),
                                   closeHandshakeTimeout=3,
                                   autoPingInterval=0, utf8validateIncoming=False)
        factory.sock, factory.bench = sock, self
        return factory

    async def open_socket(self, sock: Sock, semaphore: asyncio.Semaphore) -> str | None:
        """Open (and for ours, join the pair's thread). None when fine, else the reason."""
        loop = asyncio.get_running_loop()
        timeout = float(self.spec.get("connect_timeout", 30))
        async with semaphore:
            sock.opened, sock.joined = loop.create_future(), loop.create_future()
            sock.closed = False
            try:
                connecting = loop.create_connection(self._factory(sock), "127.0.0.1", self.port_of(sock))
                await asyncio.wait_for(connecting, timeout)
                await asyncio.wait_for(sock.opened, timeout)
                if self.mode == "ours":
                    thread = self.pairs[sock.pair]["thread"]
                    self.send(sock, {"type": "thread.join", "thread": thread, "after": 0})
                    await asyncio.wait_for(sock.joined, timeout)
                else:
                    sock.joined.set_result(None)
            except (TimeoutError, OSError, ConnectionError) as exc:
                if sock.proto is not None:
                    sock.proto.dropConnection(abort=True)
                return f"{type(exc).__name__}: {exc}"
        return None

    async def open_many(self, socks: list[Sock]) -> dict:
        semaphore = asyncio.Semaphore(int(self.spec.get("connect_concurrency", 50)))
        started = time.perf_counter()
        reasons = await asyncio.gather(*(self.open_socket(s, semaphore) for s in socks))
        failures = [r for r in reasons if r]
        return {"opened": len(socks) - len(failures), "failed": len(failures),
                "seconds": round(time.perf_counter() - started, 2), "failures": failures[:MAX_ERRORS_LISTED]}

    def usable(self, sock: Sock) -> bool:
        return sock.proto is not None and not sock.closed and sock.joined is not None and sock.joined.done() \
            and sock.joined.exception() is None

    def send(self, sock: Sock, frame: dict) -> None:
        sock.proto.sendMessage(json.dumps(frame).encode(), isBinary=False)

    def send_body(self, sock: Sock, run: Run, n: int) -> None:
        body = f"perf {run.id}:{n} {BODY_TEXT}"
        if self.mode == "relay":
            frame = {"message": body}
        else:
            thread = self.pairs[sock.pair]["thread"]
            frame = {"type": "message.send", "thread": thread, "client_id": str(uuid.uuid4()), "body": body}
        data = json.dumps(frame).encode()
        run.sent_at[n] = time.perf_counter()
        sock.proto.sendMessage(data, isBinary=False)

    # -- keep-alive (ours: the protocol asks for a ping every 25 s; it also marks presence) ---

    async def pinger(self, interval: float) -> None:
        socks = list(self.socks)
        random.shuffle(socks)
        while True:
            live = [s for s in socks if self.usable(s)]
            if not live:
                await asyncio.sleep(interval)
                continue
            gap = interval / len(live)
            for sock in live:
                await asyncio.sleep(gap)
                if self.usable(sock):
                    self.send(sock, {"type": "ping"})

    # -- commands -------------------------------------------------------------------------

    async def warmup(self) -> dict:
        first = self.socks[:2]
        opened = await self.open_many(first)
        result = {"event": "warm", **opened}
        if opened["failed"] == 0:
            exchanged = await self.load(rate=4, seconds=0.5, drain=10, pairs=[0])
            result["exchange"] = {k: exchanged[k] for k in ("sent", "acked", "delivered", "missing")}
        return result

    async def connect(self) -> dict:
        rest = [s for s in self.socks if s.proto is None]
        opened = await self.open_many(rest)
        ping_seconds = float(self.spec.get("ping_seconds") or 0)
        if self.mode == "ours" and ping_seconds > 0 and self.ping_task is None:
            self.ping_task = asyncio.ensure_future(self.pinger(ping_seconds))
        return {"event": "connected", "sockets_open": sum(self.usable(s) for s in self.socks), **opened}

    async def load(self, *, rate: float, seconds: float, drain: float,
                   pairs: list[int] | None = None) -> dict:
        if pairs is None:
            pairs = [p for p in range(len(self.pairs))
                     if self.usable(self.socks[2 * p]) and self.usable(self.socks[2 * p + 1])]
        if not pairs:
            return {"event": "result", "error": "no usable pair"}
        total = max(1, int(rate * seconds))
        self.run_counter += 1
        run = self.run = Run(self.run_counter, total)
        for n in range(total):
            pair = pairs[n % len(pairs)]
            side = (n // len(pairs)) % 2
            run.sender[n], run.recipient[n] = 2 * pair + side, 2 * pair + 1 - side
        errors_before, closes_before, pongs_before = dict(self.errors), dict(self.closes), self.pongs
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        lateness = []
        skipped = 0
        start = time.perf_counter() + 0.05
        for n in range(total):
            target = start + n / rate
            delay = target - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            lateness.append(max(0.0, time.perf_counter() - target))
            sock = self.socks[run.sender[n]]
            if not self.usable(sock):
                skipped += 1
                continue
            self.send_body(sock, run, n)
            run.sent += 1
        send_seconds = time.perf_counter() - start
        if run.delivered == run.total and run.acked == run.total:
            run.done.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(run.done.wait(), drain)
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        latencies = [run.delivered_at[n] - run.sent_at[n] for n in range(total) if run.deliveries[n]]
        ack_latencies = [run.ack_at[n] - run.sent_at[n] for n in range(total) if run.ack_at[n]]
        # The worst delivery latency of the messages sent in each second of the run: shows whether
        # slow messages come in bursts (a pause) or spread out (a saturated server).
        timeline = [0.0] * (int(seconds) + 1)
        for n in range(total):
            if run.deliveries[n]:
                bucket = min(len(timeline) - 1, int(run.sent_at[n] - start))
                timeline[bucket] = max(timeline[bucket], run.delivered_at[n] - run.sent_at[n])
        # Latency per window of WINDOW_SECONDS, by when each message was sent: work that comes due
        # once a minute (session checks, presence, notices, garbage collection) shows as a slow window.
        windows = []
        for w in range(max(1, math.ceil(seconds / WINDOW_SECONDS))):
            lo, hi = w * WINDOW_SECONDS, (w + 1) * WINDOW_SECONDS
            in_window = [n for n in range(total) if run.sent_at[n] and lo <= run.sent_at[n] - start < hi]
            window_latencies = [run.delivered_at[n] - run.sent_at[n] for n in in_window if run.deliveries[n]]
            windows.append({"start_s": lo, "sent": len(in_window), "delivered": len(window_latencies),
                            **summary_ms(window_latencies)})
        duplicates = sum(d - 1 for d in run.deliveries if d > 1)
        missing = sum(1 for n in range(total) if run.deliveries[n] == 0 and run.sent_at[n])
        result = {
            "event": "result",
            "rate": rate, "seconds": seconds, "pairs": len(pairs), "planned": total,
            "sent": run.sent, "skipped_closed_sender": skipped,
            "achieved_send_rate": round(run.sent / send_seconds, 1) if send_seconds > 0 else None,
            "acked": run.acked, "ack_duplicates": sum(a - 1 for a in run.acks if a > 1),
            "delivered": run.delivered, "duplicates": duplicates, "missing": missing,
            "misrouted": run.misrouted,
            "echoes_to_sender": sum(run.echoes),
            "latency_ms": summary_ms(latencies), "ack_latency_ms": summary_ms(ack_latencies),
            "send_lateness_ms": summary_ms(lateness),
            "worst_latency_ms_by_second": [round(x * 1000) for x in timeline],
            "windows": windows,
            "errors": counter_delta(errors_before, self.errors),
            "closes": counter_delta(closes_before, self.closes),
            "pongs": self.pongs - pongs_before,
            "stale_frames": self.stale,
            "client_cpu_seconds": round(cpu_after.ru_utime + cpu_after.ru_stime
                                        - cpu_before.ru_utime - cpu_before.ru_stime, 2),
            "sockets_open": sum(self.usable(s) for s in self.socks),
        }
        self.run = None
        return result

    async def quit(self) -> dict:
        if self.ping_task is not None:
            self.ping_task.cancel()
        for sock in self.socks:
            if sock.proto is not None and not sock.closed:
                sock.proto.sendClose(code=1000)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(s.proto is not None and not s.closed for s in self.socks):
            await asyncio.sleep(0.1)
        for sock in self.socks:
            if sock.proto is not None and not sock.closed:
                sock.proto.dropConnection(abort=True)
        return {"event": "bye"}


async def serve(bench, *, sockets: int) -> int:
    """Answer the harness's commands on stdin, one JSON object a line, until "quit" or the end of
    input (the commands in this module's docstring; a bench without `warmup` has no such command)."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    emit({"event": "started", "sockets": sockets})
    while True:
        line = await reader.readline()
        if not line:
            await bench.quit()
            return 0
        command = json.loads(line)
        cmd = command.get("cmd")
        if cmd == "warmup" and hasattr(bench, "warmup"):
            emit(await bench.warmup())
        elif cmd == "connect":
            emit(await bench.connect())
        elif cmd == "run":
            emit(await bench.load(rate=float(command["rate"]), seconds=float(command["seconds"]),
                                  drain=float(command.get("drain", 10))))
        elif cmd == "quit":
            emit(await bench.quit())
            return 0
        else:
            emit({"event": "error", "detail": f"unknown command {cmd!r}"})


async def main(spec_path: str) -> int:
    spec = json.loads(open(spec_path).read())  # noqa: SIM115 - a small file read once
    raise_fd_limit(2 * len(spec["pairs"]) + 1024)
    bench = Bench(spec)
    return await serve(bench, sockets=len(bench.socks))


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1])))
