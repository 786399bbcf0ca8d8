"""The channel layer: channels_redis's pub/sub layer, made to degrade instead of fail when Redis
is away.

A live frame is only a notification (the database is the source of truth and clients resync by
seq), so a socket must keep working without Redis: connect, join, send, read, only not live.
The stock layer instead fails the handshake with a 500 when Redis refuses connections (the
socket's own channel cannot be subscribed), crashes a socket on every group_add, and waits up to
the socket timeout (30 s) for each call when Redis hangs, holding a lock that every other socket
of the process then queues behind.

Here every call that talks to Redis has a deadline and fails with `ChannelLayerUnavailable`,
which callers handle: the broadcast helper logs it, a thread.join answers "not live". Two calls
never fail: `new_channel` (a socket's own channel is registered in the process without its Redis
subscription, which only direct `send`s to that channel need; group messages reach it through
the group's subscription) and `group_discard` (leaving is done in the process whatever Redis says).
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from channels_redis import pubsub
from channels_redis.utils import _wrap_close
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 3.0  # seconds; a healthy Redis answers in well under a millisecond


class _Shard(pubsub.RedisSingleShardConnection):
    """Publishes without the shard's lock.

    In channels_redis 4.3 every publish on a shard takes the shard's one asyncio lock (the lock that
    guards its subscription state), so a process publishes one message at a time, each waiting for
    Redis' reply: under load every live event waited for all the events before it (tests/perf saw
    seconds of delay at 100 messages a second while the database side answered in milliseconds).
    A publish needs only a connection from the pool, so here it takes no lock: publishes run side
    by side on pooled connections (REDIS_MAX_CONNECTIONS). Order per group is kept by
    core.broadcast, which sends a group's events one after the other. Subscribing keeps the lock.
    """

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


class _LoopLayer(pubsub.RedisPubSubLoopLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shards = [_Shard(shard.host, self) for shard in self._shards]

    async def group_send_many(self, events: list[tuple[str, dict]]) -> None:
        by_shard: dict[_Shard, list] = {}
        for group, message in events:
            group_channel = self._get_group_channel_name(group)
            by_shard.setdefault(self._get_shard(group_channel), []).append(
                (group_channel, self.channel_layer.serialize(message)))
        for shard, publishes in by_shard.items():
            await shard.publish_many(publishes)


class ChannelLayerUnavailable(Exception):
    """Redis did not answer in time or refused: the live part is off, the rest goes on."""


class RedisPubSubChannelLayer(pubsub.RedisPubSubChannelLayer):
    def __init__(self, *args, timeout: float = DEFAULT_TIMEOUT, **kwargs):
        super().__init__(*args, **kwargs)
        self.timeout = timeout

    def _get_layer(self):
        # The stock per-event-loop layer, with shards that publish without a lock (see _Shard).
        loop = asyncio.get_running_loop()
        try:
            return self._layers[loop]
        except KeyError:
            layer = self._layers[loop] = _LoopLayer(*self._args, **self._kwargs, channel_layer=self)
            _wrap_close(self, loop)
            return layer

    async def _call(self, name: str, *args):
        try:
            async with asyncio.timeout(self.timeout):
                return await getattr(self._get_layer(), name)(*args)
        except (RedisError, OSError) as exc:  # OSError includes TimeoutError
            raise ChannelLayerUnavailable(f"{name}: {exc!r}") from exc

    async def send(self, channel, message):
        await self._call("send", channel, message)

    async def group_add(self, group, channel):
        await self._call("group_add", group, channel)

    async def group_send(self, group, message):
        await self._call("group_send", group, message)

    async def group_send_many(self, events: list[tuple[str, dict]]) -> None:
        """group_send for each (group, message), in order, in one Redis round trip per shard:
        core.broadcast sends what a batch of writes committed this way."""
        await self._call("group_send_many", events)

    async def group_discard(self, group, channel):
        try:
            await self._call("group_discard", group, channel)
        except ChannelLayerUnavailable as exc:
            logger.warning("channel layer: leaving %s recorded in this process only (%s)", group, exc)

    async def new_channel(self, prefix="specific."):
        # What the stock new_channel does (channels-redis 4.3), except that a failed subscription
        # leaves the channel registered in the process instead of failing the socket's handshake.
        layer = self._get_layer()
        channel = f"{layer.prefix}{prefix}{uuid.uuid4().hex}"
        layer.channels[channel] = asyncio.Queue()
        try:
            async with asyncio.timeout(self.timeout):
                await layer._get_shard(channel).subscribe(channel)
        except (RedisError, OSError) as exc:
            logger.warning("channel layer: %s not subscribed in Redis (%r); it gets group messages only",
                           channel, exc)
        return channel
