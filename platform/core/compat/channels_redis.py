"""channels_redis: the pub/sub layer's insides that core.layers builds on.

Relied on (channels_redis 4.3, module `channels_redis.pubsub`, none of it documented):
- `RedisPubSubChannelLayer` keeps one `RedisPubSubLoopLayer` per event loop in `_layers`, made by
  `_get_layer()` from `_args`/`_kwargs`, with `channels_redis.utils._wrap_close(layer, loop)` so
  that closing the loop flushes it; its `__getattr__` sends `receive` and `flush` to `_get_layer()`.
- A `RedisPubSubLoopLayer` has one `RedisSingleShardConnection` per Redis host in `_shards`,
  picks one with `_get_shard(name)`, names a group's Redis channel with
  `_get_group_channel_name(group)`, serializes with `channel_layer.serialize`, and delivers what
  a shard receives to the queues in `channels` (a socket's own channel, or every channel of a
  group in `groups`).
- A shard's `_ensure_redis()` makes `_redis` (a redis.asyncio client) on first use; the stock
  `publish` holds the shard's `_lock` (which guards its subscriptions) for the whole round trip.

Why: (1) publishes without that lock, side by side on pooled connections, and many in one
pipelined round trip (`group_send_many`): with the stock lock every live event of a process
waited for all events before it (tests/perf: seconds of delay at 100 messages a second);
(2) a socket's own channel registered in the process even when its Redis subscription fails,
so that a handshake does not fail while Redis is away (core.layers).
tests/core/test_compat.py pins each of these against a real Redis.
"""

from __future__ import annotations

import asyncio
import uuid

from channels_redis import pubsub
from channels_redis.utils import _wrap_close


class LockFreeShard(pubsub.RedisSingleShardConnection):
    """A shard that publishes without the shard's lock. A publish needs only a connection from the
    pool; order per group is kept by core.broadcast, which sends a group's events one after the
    other. Subscribing keeps the lock."""

    async def publish(self, channel, message):
        self._ensure_redis()  # synchronous: no other task can run between the check and the set
        await self._redis.publish(channel, message)

    async def publish_many(self, publishes: list[tuple[str, bytes]]) -> None:
        """PUBLISH each (channel, message), in order, in one round trip."""
        self._ensure_redis()
        async with self._redis.pipeline(transaction=False) as pipe:
            for channel, message in publishes:
                pipe.publish(channel, message)
            await pipe.execute()


class BatchingLoopLayer(pubsub.RedisPubSubLoopLayer):
    """The stock per-loop layer on LockFreeShards, plus `group_send_many` and a way to register a
    socket's channel apart from subscribing it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shards = [LockFreeShard(shard.host, self) for shard in self._shards]

    async def group_send_many(self, events: list[tuple[str, dict]]) -> None:
        """group_send for each (group, message), in order, in one round trip per shard."""
        by_shard: dict[LockFreeShard, list] = {}
        for group, message in events:
            group_channel = self._get_group_channel_name(group)
            by_shard.setdefault(self._get_shard(group_channel), []).append(
                (group_channel, self.channel_layer.serialize(message)))
        for shard, publishes in by_shard.items():
            await shard.publish_many(publishes)

    def add_local_channel(self, prefix: str) -> str:
        """The first half of the stock `new_channel`: a new channel name, registered in this
        process (group messages reach it through the group's subscription)."""
        channel = f"{self.prefix}{prefix}{uuid.uuid4().hex}"
        self.channels[channel] = asyncio.Queue()
        return channel

    async def subscribe_channel(self, channel: str) -> None:
        """The second half: subscribe the channel in Redis, which only direct sends to it need."""
        await self._get_shard(channel).subscribe(channel)


class PubSubChannelLayer(pubsub.RedisPubSubChannelLayer):
    """The stock pub/sub layer whose per-loop layers are BatchingLoopLayers. Everything the stock
    layer proxies (`receive`, `flush`, and any method a subclass does not define) goes to them."""

    def _get_layer(self) -> BatchingLoopLayer:
        loop = asyncio.get_running_loop()
        try:
            return self._layers[loop]
        except KeyError:
            layer = self._layers[loop] = BatchingLoopLayer(*self._args, **self._kwargs, channel_layer=self)
            _wrap_close(self, loop)
            return layer

    def loop_layer(self) -> BatchingLoopLayer:
        """The layer of the running event loop (made on first use)."""
        return self._get_layer()
