"""The measuring half of test_send_cost.py, in a process of its own with the server's environment
(harness.Bench.platform_env: DEBUG=0, persistent connections, production's notice delay), on the
benchmark's database as prepare_db.py left it:

    python tests/perf/send_cost.py PREPARED_JSON N ROUNDS PACE_SECONDS

Sends N messages a round in the parents' thread of the first prepared family, the parents taking
turns, each awaited through core.db.Batched on the socket database pool as a socket's send is
(messaging.consumers), with its message.new published on the channel layer after commit. Round 0
warms up; then ROUNDS times a round back to back ("hot") and a round PACE_SECONDS apart ("paced").
Prints one JSON object: the CPU seconds of this process a send in each round, and the number of
messages the thread gained.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for source_root in (ROOT / "platform", ROOT):
    if str(source_root) not in sys.path:
        sys.path.insert(0, str(source_root))

BODY = "Kun jij zaterdag de kinderen om tien uur brengen? Dan haal ik ze zondag om vijf uur op."


async def measure(send, parents: list, thread_id: int, n: int, rounds: int, pace: float) -> dict:
    sent = 0

    async def one_round(wait: float) -> float:
        nonlocal sent
        cpu = time.process_time()
        for _ in range(n):
            stored, created = await send(sender=parents[sent % 2], thread_id=thread_id,
                                         body=f"{BODY} ({sent})", client_id=str(uuid.uuid4()))
            if not created or getattr(stored, "seq", None) is None:
                raise SystemExit(f"send {sent} was not stored as a message: {stored!r}")
            sent += 1
            if wait:
                await asyncio.sleep(wait)
        return (time.process_time() - cpu) / n

    await one_round(0)  # warm-up: connections, imports, caches
    figures: dict[str, list[float]] = {"hot": [], "paced": []}
    for _ in range(rounds):
        figures["hot"].append(await one_round(0))
        figures["paced"].append(await one_round(pace))
    await asyncio.sleep(0.5)  # the last message.new leaves the outbox
    return {**figures, "sent": sent}


def main() -> int:
    prepared_path, n, rounds, pace = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from core.db import Batched, db_call
    from messaging import services
    from messaging.models import Message

    family = json.loads(Path(prepared_path).read_text())["families"][0]
    users = get_user_model().objects.in_bulk(family["users"])
    parents = [users[uid] for uid in family["users"]]
    send = Batched(services.messages_send, argument="sends")  # as messaging.consumers stores sends

    def messages() -> int:
        return Message.objects.filter(thread_id=family["thread"]).count()

    before = messages()  # the seeded ones
    result = asyncio.run(measure(send, parents, family["thread"], n, rounds, pace))
    result["stored"] = asyncio.run(db_call(messages)()) - before
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
