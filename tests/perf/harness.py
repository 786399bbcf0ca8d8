"""Real processes for the chat benchmark: a dedicated PostgreSQL database, two Daphne servers
(the platform and the tutorial relay baseline), and one load-generator process per server.

Everything listens on and connects to 127.0.0.1 only. Every wait is bounded; `Bench.close()`
stops every process this module started (by its own pid).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = 1024


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


@dataclass
class Config:
    sockets: int = 1000
    rate: float = 100
    seconds: float = 90
    steps: list[float] = field(default_factory=list)
    step_seconds: float = 20
    drain: float = 10
    ping_seconds: float = 25
    notice_delay: int = 30
    connect_concurrency: int = 50
    step_p99_ms: float = 250
    targets: tuple[str, ...] = ("ours", "relay")
    # Ours runs as in production (docs/OPERATIONS.md): one Daphne process per core, the sockets
    # spread over them as a reverse proxy would, and the e-mail notices in a process of their own.
    processes: int = 2
    notice_process: bool = True
    profile_dir: str = ""
    pyspy: str = "py-spy"
    profile_mode: str = "cpu"
    database_url: str = "postgres://postgres@127.0.0.1:5432/kompas_perf"
    redis_url: str = "redis://127.0.0.1:6379/5"

    @classmethod
    def from_env(cls) -> Config:
        sockets = env_int("PERF_SOCKETS", 1000)
        if sockets < 4 or sockets % 2:
            raise ValueError("PERF_SOCKETS must be an even number >= 4 (sockets come in parent pairs)")
        if sockets > 20000:
            raise ValueError("PERF_SOCKETS above 20000 is not supported")
        steps = [float(s) for s in os.environ.get("PERF_STEPS", "").replace(" ", "").split(",") if s]
        seconds = env_float("PERF_SECONDS", 90)
        if not 0 < seconds <= 600:
            raise ValueError("PERF_SECONDS must be in (0, 600]")
        return cls(
            sockets=sockets,
            rate=env_float("PERF_RATE", 100),
            seconds=seconds,
            steps=steps,
            step_seconds=env_float("PERF_STEP_SECONDS", 20),
            drain=env_float("PERF_DRAIN", 10),
            ping_seconds=env_float("PERF_PING", 25),
            notice_delay=env_int("PERF_NOTICE_DELAY", 30),
            connect_concurrency=env_int("PERF_CONNECT_CONCURRENCY", 50),
            step_p99_ms=env_float("PERF_STEP_P99_MS", 250),
            targets=tuple(t for t in os.environ.get("PERF_TARGETS", "ours,relay").split(",") if t),
            processes=env_int("PERF_PROCESSES", 2),
            notice_process=env_int("PERF_NOTICE_PROCESS", 1) == 1,
            profile_dir=os.environ.get("PERF_PROFILE_DIR", ""),
            pyspy=os.environ.get("PERF_PYSPY", "py-spy"),
            profile_mode=os.environ.get("PERF_PROFILE_MODE", "cpu"),
            database_url=os.environ.get("PERF_DATABASE_URL", cls.database_url),
            redis_url=os.environ.get("PERF_REDIS_URL", cls.redis_url),
        )


# -- process facts from /proc ---------------------------------------------------------------


def reference_loop_ms() -> float:
    """How fast this machine runs plain Python at this moment: the best of five timings of summing a
    million integers, in ms. Machines of the same kind differ (sessions here saw the same code
    and the same relay need two to three times more CPU a message from one machine to the next),
    so figures are comparable only between runs with about the same reference."""
    best = float("inf")
    for _ in range(5):
        began = time.perf_counter()
        sum(range(10**6))
        best = min(best, time.perf_counter() - began)
    return round(best * 1000, 1)


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process (all its threads), from /proc/<pid>/stat."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def cpu_seconds_of(pids: list[int]) -> float:
    return sum(cpu_seconds(pid) for pid in pids)


def rss_bytes_of(pids: list[int]) -> int:
    return sum(rss_bytes(pid) for pid in pids)


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * PAGE
    raise RuntimeError(f"no VmRSS for {pid}")


def raise_fd_limit(wanted: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process {proc.pid} exited with {proc.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout} s")


def stop(proc: subprocess.Popen | None, *, timeout: float = 10) -> None:
    """SIGTERM, then SIGKILL after `timeout`: only this process, by its pid."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# -- the database ---------------------------------------------------------------------------


def conninfo_of(url: str, *, dbname: str | None = None) -> dict:
    """psycopg's connection arguments for a postgres:// URL (its own database, or `dbname`)."""
    parsed = urlparse(url)
    conninfo = {"host": parsed.hostname, "port": parsed.port or 5432, "user": parsed.username or "postgres",
                "dbname": dbname or parsed.path.lstrip("/"), "connect_timeout": 5}
    if parsed.password:
        conninfo["password"] = parsed.password
    return conninfo


def durability_settings(url: str) -> dict[str, str]:
    """The PostgreSQL settings that decide what a commit waits for (printed with the figures)."""
    import psycopg

    names = ("synchronous_commit", "wal_sync_method", "fsync")
    try:
        with psycopg.connect(**conninfo_of(url), autocommit=True) as conn:
            return {name: conn.execute(f"SHOW {name}").fetchone()[0] for name in names}
    except psycopg.Error:
        return {}


class FlushProbe:
    """A gauge of the machine's disk: ten times a second, a transaction that writes one WAL record
    (a logical decoding message: no table) commits, and how long the commit took is kept. A commit
    waits until PostgreSQL has flushed the WAL to disk, as every stored message's does, so a long
    one is a stall of the disk that every send committing then waited through too. Seen on these
    virtual machines: stalls of 100-150 ms in some minutes and none in others, commits of about 1 ms
    in between (docs/OPERATIONS.md, Capacity)."""

    INTERVAL = 0.1

    def __init__(self, url: str):
        self.url, self.samples = url, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._probe, daemon=True)
        self._thread.start()

    def _probe(self) -> None:
        import psycopg

        try:
            with psycopg.connect(**conninfo_of(self.url)) as conn:
                while not self._stop.wait(self.INTERVAL):
                    began = time.monotonic()
                    conn.execute("SELECT pg_logical_emit_message(true, 'kompas-perf', '')")
                    conn.commit()
                    self.samples.append((began, time.monotonic() - began))
        except psycopg.Error:
            pass  # no gauge: the column shows "-"

    def stop(self) -> list[tuple[float, float]]:
        self._stop.set()
        self._thread.join(timeout=10)
        return self.samples


def longest_between(samples: list[tuple[float, float]], begin: float, end: float) -> float | None:
    """The longest of the probes begun in [begin, end), in seconds."""
    inside = [seconds for moment, seconds in samples if begin <= moment < end]
    return max(inside) if inside else None


def recreate_database(url: str) -> None:
    """Drop and create the dedicated benchmark database (its name must contain "perf")."""
    import psycopg
    from psycopg import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if "perf" not in name or parsed.hostname not in ("127.0.0.1", "localhost"):
        raise ValueError(f"refusing to recreate {name!r} on {parsed.hostname!r}: use a local *perf* database")
    with psycopg.connect(**conninfo_of(url, dbname="postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def settle_database(url: str) -> None:
    """After the bulk load of the benchmark's families: fresh planner statistics (VACUUM ANALYZE)
    and the load's dirty pages written out (CHECKPOINT), so that the measured run sees the database
    as a running service has it, not PostgreSQL catching up on the setup (autovacuum on the new
    tables, a checkpoint full of the load's pages: one such window stood out at 80-90 s)."""
    import psycopg

    with psycopg.connect(**conninfo_of(url), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
        conn.execute("CHECKPOINT")


def reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port), timeout=2):
            return True
    except OSError:
        return False


def delete_redis_keys(url: str, prefixes: list[str]) -> int:
    """Remove what the relay's RedisChannelLayer left (group sets expire only after a day)."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    deleted = 0
    try:
        for prefix in prefixes:
            batch = []
            for key in client.scan_iter(match=f"{prefix}*", count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    deleted += client.delete(*batch)
                    batch = []
            if batch:
                deleted += client.delete(*batch)
    finally:
        client.close()
    return deleted


# -- the load generator ---------------------------------------------------------------------


class LoadGen:
    """A loadgen.py (or loadgen_moderated.py) process driven by JSON lines."""

    def __init__(self, name: str, spec: dict, workdir: Path, script: str = "loadgen.py"):
        self.name = name
        spec_path = workdir / f"{name}-spec.json"
        spec_path.write_text(json.dumps(spec))
        self.log_path = workdir / f"{name}-loadgen.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(  # noqa: S603 - our own script, no shell
            [sys.executable, str(HERE / script), str(spec_path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True, cwd=ROOT,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.expect("started", timeout=30)

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def expect(self, event: str, *, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{self.name} load generator: no {event!r} after {timeout} s\n"
                                   f"{tail(self.log_path)}")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise RuntimeError(f"{self.name} load generator exited\n{tail(self.log_path)}")
            answer = json.loads(line)
            if answer.get("event") == event:
                return answer
            if answer.get("event") == "error":
                raise RuntimeError(f"{self.name} load generator: {answer}")

    def command(self, cmd: dict, event: str, *, timeout: float) -> dict:
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        return self.expect(event, timeout=timeout)

    def close(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(OSError, TimeoutError, RuntimeError, ValueError):
                self.command({"cmd": "quit"}, "bye", timeout=15)
        stop(self.proc, timeout=5)
        self.log.close()


WINDOW_SECONDS = 10  # as tests/perf/loadgen.py


class Sampler:
    """A counter of seconds (a process's CPU time, the machine's), read four times a second in a
    thread while a run goes on."""

    def __init__(self, read):
        self.read, self.samples = read, [(time.monotonic(), read())]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.25):
            with contextlib.suppress(OSError, ValueError):
                self.samples.append((time.monotonic(), self.read()))

    def stop(self) -> list[tuple[float, float]]:
        self._stop.set()
        self._thread.join()
        return self.samples


def machine_seconds(*, stolen: bool = False) -> float:
    """All CPU time of the machine's cores so far (/proc/stat), or with stolen=True the part of it
    the hypervisor gave to other virtual machines while this one had work (steal)."""
    user, nice, system, idle, iowait, irq, softirq, steal = (
        int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9])
    ticks = steal if stolen else user + nice + system + idle + iowait + irq + softirq + steal
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_between(samples: list[tuple[float, float]], begin: float, end: float) -> float | None:
    """CPU seconds used between two moments, from the samples nearest to them."""
    if not samples or samples[-1][0] < end - 0.5:
        return None
    at = lambda moment: min(samples, key=lambda sample: abs(sample[0] - moment))[1]  # noqa: E731
    return at(end) - at(begin)


# -- a server under test --------------------------------------------------------------------


@dataclass
class Target:
    """A server under test: its Daphne processes (one port each) and any worker processes beside
    them. CPU time and memory are the sum over all of them."""

    name: str
    procs: list[subprocess.Popen]
    ports: list[int]
    log_paths: list[Path]
    loadgen: LoadGen | None = None
    memory: dict = field(default_factory=dict)
    flush_probe_url: str = ""  # the database FlushProbe commits to during a run ("" = none)

    @property
    def pids(self) -> list[int]:
        return [proc.pid for proc in self.procs]

    @property
    def log_path(self) -> Path:
        return self.log_paths[0]

    def check_running(self) -> None:
        for proc, log_path in zip(self.procs, self.log_paths, strict=True):
            if proc.poll() is not None:
                raise RuntimeError(f"{self.name}: process {proc.pid} exited: {proc.returncode}\n"
                                   f"{tail(log_path)}")

    def run(self, rate: float, seconds: float, drain: float, *, profile: Config | None = None) -> dict:
        """One load run, with the server's CPU time and RSS around it. With `profile` (a Config
        whose profile_dir is set), py-spy samples the server during the sending phase."""
        self.check_running()
        spies = []
        if profile is not None and profile.profile_dir:
            # cpu: samples of running threads; idle: every thread, waiting too (where latency goes);
            # gil: only the thread holding the GIL (what the one Python core is spent on).
            mode = {"cpu": [], "idle": ["--idle"], "gil": ["--gil"]}[profile.profile_mode]
            for n, pid in enumerate(self.pids):
                out = Path(profile.profile_dir) / f"{self.name}-{rate:g}-{profile.profile_mode}-{n}.txt"
                out.parent.mkdir(parents=True, exist_ok=True)
                spies.append(subprocess.Popen(  # noqa: S603 - py-spy on our own server's pid
                    [profile.pyspy, "record", "--pid", str(pid), "--duration", str(max(1, int(seconds))),
                     "--rate", "200", "--threads", "--nonblocking", "--format", "raw", *mode,
                     "--output", str(out)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                ))
        cpu_before = cpu_seconds_of(self.pids)
        wall_before = time.monotonic()
        sampler = Sampler(lambda: cpu_seconds_of(self.pids))
        # Gauges of the machine in each window: the load generator's work a message is the same in
        # every window, so when its CPU a message rises with the server's, the machine was slower
        # then, not the server busier; steal is the share of the cores' time the hypervisor gave to
        # other virtual machines (time in which every process here waited, using no CPU).
        client_sampler = Sampler(lambda: cpu_seconds_of([self.loadgen.proc.pid]))
        steal_sampler, all_sampler = Sampler(lambda: machine_seconds(stolen=True)), Sampler(machine_seconds)
        flush_probe = FlushProbe(self.flush_probe_url) if self.flush_probe_url else None
        command = {"cmd": "run", "rate": rate, "seconds": seconds, "drain": drain}
        result = self.loadgen.command(command, "result",
                                      timeout=seconds + drain + 120)
        wall = time.monotonic() - wall_before
        cpu = cpu_seconds_of(self.pids) - cpu_before
        samples, client_samples = sampler.stop(), client_sampler.stop()
        steal_samples, all_samples = steal_sampler.stop(), all_sampler.stop()
        flush_samples = flush_probe.stop() if flush_probe is not None else []
        # The load generator starts sending 50 ms after it reads the command.
        for window in result.get("windows", []):
            begin = wall_before + 0.05 + window["start_s"]
            for key, of in (("server", samples), ("client", client_samples)):
                used = cpu_between(of, begin, begin + WINDOW_SECONDS)
                window[f"{key}_cpu_ms_per_message"] = (round(used * 1000 / window["sent"], 3)
                                                       if window["sent"] and used is not None else None)
            stolen = cpu_between(steal_samples, begin, begin + WINDOW_SECONDS)
            cores = cpu_between(all_samples, begin, begin + WINDOW_SECONDS)
            window["steal_share"] = round(stolen / cores, 3) if stolen is not None and cores else None
            flush = longest_between(flush_samples, begin, begin + WINDOW_SECONDS)
            window["flush_max_ms"] = round(flush * 1000, 1) if flush is not None else None
        for spy in spies:
            try:
                spy.wait(30)
            except subprocess.TimeoutExpired:
                stop(spy)
        result["server_cpu_seconds"] = round(cpu, 2)
        result["server_cpu_share"] = round(cpu / wall, 3) if wall > 0 else None  # 1.0 = one core busy
        sent = result["sent"]
        result["server_cpu_ms_per_message"] = round(cpu * 1000 / sent, 3) if sent else None
        result["server_rss_mib"] = round(rss_bytes_of(self.pids) / 2**20, 1)
        result["wall_seconds"] = round(wall, 2)
        return result


def base_env() -> dict:
    """A clean environment for the servers: only the basics are inherited, so nothing of the test
    run (pytest-env sets DEBUG=1, DATABASE_CONN_MAX_AGE=0 and test keys) leaks into them. Every
    setting the platform reads comes from platform_env() or the platform's production defaults."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ", "VIRTUAL_ENV")
    return {k: os.environ[k] for k in keep if k in os.environ}


def start_daphne(name: str, app: str, env: dict, workdir: Path, *, processes: int = 1,
                 workers: tuple[tuple[str, list[str]], ...] = ()) -> Target:
    """`processes` Daphne processes on ports of their own, and beside them each worker (a name and
    its command line), all with the same environment."""
    target = Target(name=name, procs=[], ports=[], log_paths=[])
    commands = [(f"daphne-{n}", [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                                 "--websocket-max-message-size", "1048576", app], port)
                for n, port in ((n, free_port()) for n in range(processes))]
    commands += [(worker, command, None) for worker, command in workers]
    for label, command, port in commands:
        log_path = workdir / f"{name}-{label}.log"
        with open(log_path, "w") as log:
            proc = subprocess.Popen(  # noqa: S603 - our own interpreter and scripts, no shell
                command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        target.procs.append(proc)
        target.log_paths.append(log_path)
        if port is not None:
            target.ports.append(port)
    try:
        for port, proc, log_path in zip(target.ports, target.procs, target.log_paths, strict=False):
            try:
                wait_for_port(port, proc, timeout=90)
            except Exception:
                raise RuntimeError(f"{name} Daphne did not start\n{tail(log_path)}") from None
        target.check_running()
    except Exception:
        for proc in target.procs:
            stop(proc)
        raise
    return target


class Bench:
    """Both servers, both load generators, every socket open and idle."""

    def __init__(self, config: Config):
        self.config = config
        self.workdir = Path(tempfile.mkdtemp(prefix="kompas-perf-"))
        self.targets: list[Target] = []
        self.prefixes: list[str] = []
        self.setup_seconds: dict[str, float] = {}
        self.reference_ms: float | None = None  # reference_loop_ms() before anything starts
        self.durability: dict[str, str] = {}  # PostgreSQL's settings for what a commit waits for

    # The platform, configured as in production (DEBUG=0) apart from TLS.
    def platform_env(self) -> dict:
        from cryptography.fernet import Fernet

        prefix = f"perf-{uuid.uuid4().hex[:12]}"
        self.prefixes.append(prefix)
        env = base_env()
        env.update({
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONPATH": f"{ROOT / 'platform'}{os.pathsep}{ROOT}",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "CHANNEL_ENCRYPTION_KEYS": secrets.token_hex(32),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": self.config.database_url,
            "REDIS_URL": self.config.redis_url,
            "CHANNEL_LAYER_PREFIX": prefix,
            # Notices go to parents who are offline; no mail leaves the benchmark.
            "EMAIL_URL": "dummymail://",
            "NOTICE_DELAY_SECONDS": str(self.config.notice_delay),
            "VAR_DIR": str(self.workdir / "var"),
            "STATIC_ROOT": str(self.workdir / "static"),
            "LOG_LEVEL": "WARNING",
        })
        # PERF_SERVER_X=v sets X=v for our server only (WS_DB_THREADS, say), to try a setting.
        env.update({key.removeprefix("PERF_SERVER_"): value for key, value in os.environ.items()
                    if key.startswith("PERF_SERVER_")})
        (self.workdir / "static").mkdir(exist_ok=True)
        return env

    def prepare_database(self, families: int, *options: str) -> tuple[dict, dict]:
        """The benchmark's database dropped, created and filled by prepare_db.py (`families`, and
        `options` such as --moderated), run with our server's environment: that environment
        (platform_env) and what prepare_db.py printed."""
        recreate_database(self.config.database_url)
        env = self.platform_env()
        prepared = subprocess.run(  # noqa: S603 - our own script
            [sys.executable, str(HERE / "prepare_db.py"), str(families), *options],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
        )
        if prepared.returncode != 0:
            raise RuntimeError(f"preparing the database failed:\n{prepared.stderr[-3000:]}")
        return env, json.loads(prepared.stdout)

    def relay_env(self) -> dict:
        prefix = f"perf-relay-{uuid.uuid4().hex[:12]}"
        self.prefixes.append(prefix)
        env = base_env()
        env.update({
            "DJANGO_SETTINGS_MODULE": "tests.perf.relay_settings",
            "PYTHONPATH": str(ROOT),
            "REDIS_URL": self.config.redis_url,
            "CHANNEL_LAYER_PREFIX": prefix,
        })
        return env

    def start(self) -> None:
        config = self.config
        raise_fd_limit(2 * config.sockets + 4096)  # inherited by both Daphnes and both load generators
        families = config.sockets // 2
        self.reference_ms = reference_loop_ms()

        started = time.monotonic()
        env, data = self.prepare_database(families)
        settle_database(config.database_url)
        self.setup_seconds["database"] = round(time.monotonic() - started, 1)

        ours_pairs = [{"thread": f["thread"], "a": data["sessions"][str(f["users"][0])],
                       "b": data["sessions"][str(f["users"][1])]} for f in data["families"]]
        relay_pairs = [{"room": f"family{f['id']}"} for f in data["families"]]

        if "ours" in config.targets:
            workers = ()
            if config.notice_process:
                env["NOTICE_WORKER"] = "0"  # the Daphne processes leave the notices to the worker
                # As the systemd units in docs/OPERATIONS.md: the workers yield the CPU to the sockets.
                nice = ["nice", "-n", "10", sys.executable, str(ROOT / "manage.py")]
                workers = (("notices", [*nice, "send_notices"]), ("alerts", [*nice, "watch_alerts"]))
            self.targets.append(start_daphne("ours", "config.asgi:application", env, self.workdir,
                                             processes=config.processes, workers=workers))
        if "relay" in config.targets:
            self.targets.append(start_daphne("relay", "tests.perf.relay_asgi:application", self.relay_env(),
                                             self.workdir))

        # Both servers' runs get the disk gauge, the relay's too: it shows the machine, not the server.
        self.durability = durability_settings(config.database_url)
        for target in self.targets:
            target.flush_probe_url = config.database_url
        common = {"port": None, "connect_concurrency": config.connect_concurrency, "connect_timeout": 30}
        specs = {
            "ours": {**common, "mode": "ours", "pairs": ours_pairs, "cookie_name": "kompas_session",
                     "ping_seconds": config.ping_seconds},
            "relay": {**common, "mode": "relay", "pairs": relay_pairs},
        }
        connect_timeout = 120 + config.sockets * 0.5
        for target in self.targets:
            started = time.monotonic()
            target.loadgen = LoadGen(target.name, {**specs[target.name], "ports": target.ports}, self.workdir)
            warm = target.loadgen.command({"cmd": "warmup"}, "warm", timeout=120)
            if warm["failed"] or warm.get("exchange", {}).get("missing"):
                raise RuntimeError(f"{target.name}: warm-up failed: {warm}\n{tail(target.log_path)}")
            time.sleep(1)
            rss_before = rss_bytes_of(target.pids)
            connected = target.loadgen.command({"cmd": "connect"}, "connected", timeout=connect_timeout)
            time.sleep(3)  # let the server settle with every socket idle
            rss_after = rss_bytes_of(target.pids)
            added = connected["opened"]
            target.memory = {
                "rss_before_mib": round(rss_before / 2**20, 1),
                "rss_idle_mib": round(rss_after / 2**20, 1),
                "sockets_added": added,
                "connect_failed": connected["failed"],
                "connect_failures": connected["failures"],
                "connect_seconds": connected["seconds"],
                "sockets_open": connected["sockets_open"],
                "kib_per_idle_socket": round((rss_after - rss_before) / 1024 / added, 1) if added else None,
            }
            self.setup_seconds[target.name] = round(time.monotonic() - started, 1)

    def target(self, name: str) -> Target | None:
        return next((t for t in self.targets if t.name == name), None)

    def close(self) -> None:
        for target in self.targets:
            if target.loadgen is not None:
                target.loadgen.close()
        for target in self.targets:
            for proc in target.procs:
                stop(proc)
        if self.prefixes and reachable(self.config.redis_url):
            with contextlib.suppress(Exception):  # clean-up is best effort
                delete_redis_keys(self.config.redis_url, self.prefixes)


# -- reporting ------------------------------------------------------------------------------


def ratio(ours, base) -> str:
    if ours is None or base in (None, 0):
        return "n/a"
    return f"{ours / base:.2f}x"


def format_run(name: str, r: dict) -> str:
    lat, ack = r["latency_ms"], r["ack_latency_ms"]
    return (
        f"  {name:<6} sent {r['sent']:>6}  acked {r['acked']:>6}  delivered {r['delivered']:>6}  "
        f"dup {r['duplicates']}  missing {r['missing']}  misrouted {r['misrouted']}  "
        f"errors {r['errors'] or '-'}  closes {r['closes'] or '-'}\n"
        f"         latency p50 {lat['p50']} ms  p95 {lat['p95']} ms  p99 {lat['p99']} ms  "
        f"max {lat['max']} ms  "
        f"(ack p50 {ack['p50']} / p99 {ack['p99']} ms)\n"
        f"         server CPU {r['server_cpu_seconds']} s ({r['server_cpu_share']:.0%} of a core), "
        f"{r['server_cpu_ms_per_message']} ms/message, RSS {r['server_rss_mib']} MiB; "
        f"achieved send rate {r['achieved_send_rate']}/s, client send lateness p99 "
        f"{r['send_lateness_ms']['p99']} ms, client CPU {r['client_cpu_seconds']} s\n"
        f"         worst latency (ms) of the messages sent in each second: "
        f"{r['worst_latency_ms_by_second']}\n"
        + format_windows(r)
    )


def format_windows(r: dict) -> str:
    # client CPU (the load generator's, ms a message), steal and the longest disk flush: gauges of the
    # machine in that window (Target.run).
    rows = [f"         {'window':>9} {'sent':>5} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} "
            f"{'CPU ms/msg':>11} {'client CPU':>11} {'steal':>6} {'disk flush max ms':>18}"]
    for w in r.get("windows", []):
        cpu, client = w.get("server_cpu_ms_per_message"), w.get("client_cpu_ms_per_message")
        steal, flush = w.get("steal_share"), w.get("flush_max_ms")
        rows.append(f"         {w['start_s']:>4}-{w['start_s'] + WINDOW_SECONDS:<4} {w['sent']:>5} "
                    f"{w['p50'] if w['p50'] is not None else '-':>8} "
                    f"{w['p99'] if w['p99'] is not None else '-':>8} "
                    f"{w['max'] if w['max'] is not None else '-':>8} {cpu if cpu is not None else '-':>11} "
                    f"{client if client is not None else '-':>11} "
                    f"{f'{steal:.0%}' if steal is not None else '-':>6} "
                    f"{flush if flush is not None else '-':>18}")
    worst = max((w["p99"] for w in r.get("windows", []) if w["p99"] is not None), default=None)
    rows.append(f"         worst window p99: {worst} ms")
    return "\n".join(rows)


def format_memory(name: str, m: dict) -> str:
    return (f"  memory {name:<6}: RSS {m['rss_before_mib']} -> {m['rss_idle_mib']} MiB "
            f"with {m['sockets_added']} "
            f"more idle sockets = {m['kib_per_idle_socket']} KiB/socket "
            f"(connect {m['connect_seconds']} s, failed {m['connect_failed']})")


def format_comparison(config: Config, bench: Bench, results: dict[str, dict]) -> str:
    lines = [
        "",
        f"=== chat relay benchmark: {config.sockets} sockets ({config.sockets // 2} parent pairs), "
        f"{config.rate:g} msg/s for {config.seconds:g} s, pings every {config.ping_seconds:g} s (ours) ===",
        f"  setup seconds: {bench.setup_seconds}",
        f"  machine: the reference Python loop (a million integers summed, best of 5) took "
        f"{bench.reference_ms} ms before the servers started; PostgreSQL "
        + (", ".join(f"{name}={value}" for name, value in bench.durability.items()) or "settings unknown"),
        "  processes: " + ", ".join(f"{t.name} {len(t.ports)} Daphne + {len(t.procs) - len(t.ports)} worker"
                                    for t in bench.targets) + " (CPU and memory: the sum over them)",
    ]
    if config.notice_delay >= config.seconds:
        lines.append(f"  note: e-mail notice checks run {config.notice_delay} s after a thread's first new "
                     f"message (NOTICE_DELAY_SECONDS): a {config.seconds:g} s run leaves their cost out")
    lines += [format_memory(t.name, t.memory) for t in bench.targets]
    lines += [format_run(name, result) for name, result in results.items()]
    if "ours" in results and "relay" in results:
        ours, relay = results["ours"], results["relay"]
        o_mem, r_mem = bench.target("ours").memory, bench.target("relay").memory
        lines.append(
            "  ratios ours/relay: "
            f"p50 {ratio(ours['latency_ms']['p50'], relay['latency_ms']['p50'])}, "
            f"p95 {ratio(ours['latency_ms']['p95'], relay['latency_ms']['p95'])}, "
            f"p99 {ratio(ours['latency_ms']['p99'], relay['latency_ms']['p99'])}, "
            f"CPU/message {ratio(ours['server_cpu_ms_per_message'], relay['server_cpu_ms_per_message'])}, "
            f"memory/socket {ratio(o_mem['kib_per_idle_socket'], r_mem['kib_per_idle_socket'])}")
    return "\n".join(lines)


def sustainable(result: dict, p99_ms: float) -> bool:
    p99 = result["latency_ms"]["p99"]
    return (result["sent"] == result["planned"] and result["delivered"] == result["sent"]
            and result["duplicates"] == 0 and result["misrouted"] == 0 and p99 is not None and p99 <= p99_ms)


def format_step(rate: float, name: str, r: dict, ok: bool) -> str:
    lat = r["latency_ms"]
    return (f"  {rate:>6g}/s {name:<6} sent {r['sent']:>6} delivered {r['delivered']:>6} "
            f"dup {r['duplicates']} "
            f"missing {r['missing']} p50 {lat['p50']} p95 {lat['p95']} p99 {lat['p99']} ms  "
            f"CPU {r['server_cpu_share']:.0%} {r['server_cpu_ms_per_message']} ms/msg  "
            f"errors {r['errors'] or '-'}  {'ok' if ok else 'NOT sustained'}")
