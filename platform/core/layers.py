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
import hashlib
import logging
import os

import msgpack
from channels_redis.serializers import registry
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from redis.exceptions import RedisError

from core.compat.channels_redis import PubSubChannelLayer

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 3.0  # seconds; a healthy Redis answers in well under a millisecond

# What a call to Redis raises when Redis is away or coming back. OSError includes TimeoutError.
# RuntimeError: just after Redis restarts, a call that (re)connects the process's pub/sub
# connection while the layer's receive task is reconnecting it gets asyncio's "read() called while
# another coroutine is already waiting for incoming data" from redis-py (seen in
# tests/messaging/test_faults.py as a 500 on a socket's handshake).
REDIS_AWAY = (RedisError, OSError, RuntimeError)


class ChannelLayerUnavailable(Exception):
    """Redis did not answer in time or refused: the live part is off, the rest goes on."""


class AesGcmSerializer:
    """What goes through Redis, msgpack-packed and sealed with AES-256-GCM (`cryptography`), for
    channels_redis's documented serializer registry (`serializer_format` in the layer's config).

    The stock serializer seals with Fernet (AES-128-CBC with HMAC-SHA256, then base64): py-spy saw
    it take about 4 % of a Daphne process's interpreter at 100 messages a second, where AES-GCM does
    the same work (confidentiality and integrity) in a sixteenth of the time. Keys are
    CHANNEL_ENCRYPTION_KEYS, newest first: each is hashed to 32 bytes (SHA-256) as the stock
    serializer does; a frame names its key by the first 4 bytes of a hash of it, so every process
    opens frames sealed with any key in its list while keys are rotated.

    A frame is: version (1 byte, 1), key id (4), nonce (12), ciphertext with its tag."""

    VERSION = b"\x01"

    def __init__(self, symmetric_encryption_keys=None, **_options):
        if not symmetric_encryption_keys or isinstance(symmetric_encryption_keys, (str, bytes)):
            raise ValueError("symmetric_encryption_keys must be a non-empty list of keys")
        self.keys: dict[bytes, AESGCM] = {}
        self.sealing: bytes | None = None
        for key in symmetric_encryption_keys:
            raw = hashlib.sha256(key.encode() if isinstance(key, str) else key).digest()
            key_id = hashlib.sha256(b"kompas channel key id:" + raw).digest()[:4]
            self.keys.setdefault(key_id, AESGCM(raw))
            self.sealing = self.sealing or key_id

    def serialize(self, message) -> bytes:
        nonce = os.urandom(12)
        head = self.VERSION + self.sealing
        return head + nonce + self.keys[self.sealing].encrypt(nonce, msgpack.packb(message), head)

    def deserialize(self, frame: bytes):
        head, nonce, sealed = frame[:5], frame[5:17], frame[17:]
        aead = self.keys.get(head[1:]) if head[:1] == self.VERSION else None
        if aead is None:
            raise InvalidTag("a channel frame sealed with a key this process does not have")
        return msgpack.unpackb(aead.decrypt(nonce, sealed, head))


registry.register_serializer("kompas-aesgcm", AesGcmSerializer)


class RedisPubSubChannelLayer(PubSubChannelLayer):
    """channels_redis's pub/sub layer with publishes that take no lock and go out many in one
    round trip (core.compat.channels_redis: why, and what it relies on), and a deadline on every
    call to Redis."""

    def __init__(self, *args, timeout: float = DEFAULT_TIMEOUT, **kwargs):
        super().__init__(*args, **kwargs)
        self.timeout = timeout

    async def _call(self, name: str, *args):
        try:
            async with asyncio.timeout(self.timeout):
                return await getattr(self.loop_layer(), name)(*args)
        except REDIS_AWAY as exc:
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
        # What the stock new_channel does, except that a failed subscription leaves the channel
        # registered in the process instead of failing the socket's handshake.
        layer = self.loop_layer()
        channel = layer.add_local_channel(prefix)
        try:
            async with asyncio.timeout(self.timeout):
                await layer.subscribe_channel(channel)
        except REDIS_AWAY as exc:
            logger.warning("channel layer: %s not subscribed in Redis (%r); it gets group messages only",
                           channel, exc)
        return channel
