"""channels_redis' pub/sub layer with publishes that do not queue behind each other.

In channels_redis 4.3 every publish on a shard takes the shard's one asyncio lock (the lock that
guards its subscription state), so a process publishes one message at a time, each waiting for
Redis' reply: under load every live event waited for all the events before it (tests/perf saw
seconds of delay at 100 messages a second while the database side answered in milliseconds).
A publish needs only a connection from the shard's pool, so here it takes no lock: publishes run
side by side on pooled connections (REDIS_MAX_CONNECTIONS). Order per group is kept by
core.broadcast, which sends a group's events one after the other. Subscribing and unsubscribing
keep the lock.
"""

from __future__ import annotations

import asyncio

from channels_redis import pubsub
from channels_redis.utils import _wrap_close


class _Shard(pubsub.RedisSingleShardConnection):
    async def publish(self, channel, message):
        self._ensure_redis()  # synchronous: no other task can run between the check and the set
        await self._redis.publish(channel, message)


class _LoopLayer(pubsub.RedisPubSubLoopLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shards = [_Shard(shard.host, self) for shard in self._shards]


class RedisPubSubChannelLayer(pubsub.RedisPubSubChannelLayer):
    def _get_layer(self):
        loop = asyncio.get_running_loop()
        try:
            return self._layers[loop]
        except KeyError:
            layer = self._layers[loop] = _LoopLayer(*self._args, **self._kwargs, channel_layer=self)
            _wrap_close(self, loop)
            return layer
