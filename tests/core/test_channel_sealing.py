"""What the channel layer puts on Redis is sealed (AES-256-GCM, core.layers.AesGcmSerializer): a
reader of Redis sees no message text, a changed frame is refused, and keys can be rotated. The
layer is the configured one, on the test run's real Redis."""

from __future__ import annotations

import uuid

import pytest
import redis.asyncio as aioredis
from cryptography.exceptions import InvalidTag
from django.conf import settings

from core.layers import AesGcmSerializer, RedisPubSubChannelLayer

SECRET = "Ik haal de kinderen vrijdag om vijf uur op bij school."


def test_the_layer_is_configured_to_seal_with_aes_gcm():
    default = settings.CHANNEL_LAYERS["default"]
    if default["BACKEND"] != "core.layers.RedisPubSubChannelLayer":
        pytest.skip("the in-memory layer of a run without REDIS_URL sends nothing anywhere")
    assert default["CONFIG"]["serializer_format"] == "kompas-aesgcm"
    layer = RedisPubSubChannelLayer(**{k: v for k, v in default["CONFIG"].items() if k != "timeout"})
    sealed = layer.serialize({"body": SECRET})
    assert sealed[:1] == b"\x01" and SECRET.encode() not in sealed
    keys = default["CONFIG"]["symmetric_encryption_keys"]
    assert AesGcmSerializer(keys).deserialize(sealed) == {"body": SECRET}


@pytest.mark.asyncio
async def test_what_redis_carries_holds_no_message_text_and_opens_to_the_message():
    default = settings.CHANNEL_LAYERS["default"]
    if default["BACKEND"] != "core.layers.RedisPubSubChannelLayer":
        pytest.skip("channels_redis needs Redis: set REDIS_URL")
    prefix = f"{default['CONFIG']['prefix']}-sealing-{uuid.uuid4().hex[:8]}"
    config = {k: v for k, v in default["CONFIG"].items() if k not in ("timeout", "prefix")}
    layer = RedisPubSubChannelLayer(prefix=prefix, **config)
    spy = aioredis.from_url(settings.REDIS_URL)
    pubsub = spy.pubsub()
    await pubsub.psubscribe(f"{prefix}*")
    await pubsub.get_message(timeout=1)  # the subscription's own confirmation
    message = {"type": "chat.frame", "frame": {"type": "message.new", "body": SECRET}}
    await layer.group_send("family-1", message)
    seen = None
    for _ in range(50):
        seen = await pubsub.get_message(timeout=0.1)
        if seen and seen["type"] == "pmessage":
            break
    await pubsub.aclose()
    await spy.aclose()
    await layer.flush()
    assert seen and seen["type"] == "pmessage"
    raw = seen["data"]
    assert SECRET.encode() not in raw and b"vrijdag" not in raw
    assert raw[:1] == b"\x01"
    assert AesGcmSerializer(default["CONFIG"]["symmetric_encryption_keys"]).deserialize(raw) == message


def test_a_changed_frame_is_refused():
    serializer = AesGcmSerializer(["key-one"])
    frame = bytearray(serializer.serialize({"body": SECRET}))
    frame[-1] ^= 1
    with pytest.raises(InvalidTag):
        serializer.deserialize(bytes(frame))
    header_changed = bytearray(serializer.serialize({"body": SECRET}))
    header_changed[0] = 2
    with pytest.raises(InvalidTag):
        serializer.deserialize(bytes(header_changed))


def test_keys_rotate_newest_first_and_a_stranger_key_opens_nothing():
    old, new = AesGcmSerializer(["old"]), AesGcmSerializer(["new", "old"])
    sealed_by_old = old.serialize({"body": SECRET})
    assert new.deserialize(sealed_by_old) == {"body": SECRET}  # still open while rotating
    sealed_by_new = new.serialize({"body": SECRET})
    assert sealed_by_new[1:5] != sealed_by_old[1:5]  # sealed with the newest key
    with pytest.raises(InvalidTag):
        old.deserialize(sealed_by_new)
    with pytest.raises(InvalidTag):
        AesGcmSerializer(["stranger"]).deserialize(sealed_by_old)


def test_no_keys_is_a_configuration_error():
    for keys in (None, [], "one-key-not-a-list"):
        with pytest.raises(ValueError):
            AesGcmSerializer(keys)


def test_every_frame_has_its_own_nonce():
    serializer = AesGcmSerializer(["key"])
    frames = {serializer.serialize({"body": SECRET}) for _ in range(100)}
    assert len(frames) == 100 and len({f[5:17] for f in frames}) == 100
