"""What core.compat relies on in other libraries, pinned against the installed versions.

Each module of core.compat touches names a library does not promise to keep. These tests fail,
with a message naming the module, when an upgrade changes what it relies on; docs/OPERATIONS.md
("Upgrading libraries") says what to do then. The channels_redis tests run against the real Redis
(REDIS_URL), the session tests against the real database.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from importlib import import_module

import channels.consumer
import pytest
from asgiref.sync import SyncToAsync, sync_to_async
from channels.consumer import AsyncConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import UserSession as Session  # the engine's model (SESSION_ENGINE)
from core.compat.asgiref import serving_event_loop
from core.compat.channels import dispatch_without_connection_cleanup
from core.compat.channels_redis import BatchingLoopLayer, LockFreeShard, PubSubChannelLayer
from core.compat.django_sessions import session_save_without_loading, sessions_save_without_loading
from core.db import db_call

UPGRADE = "see docs/OPERATIONS.md, 'Upgrading libraries'"
WAIT = 5  # seconds, at most, for a message that must arrive


# -- asgiref: the loop a sync thread works for --------------------------------------------------


@pytest.mark.asyncio
async def test_a_sync_call_from_a_loop_sees_that_loop_on_every_path_we_use():
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=1) as pool:
        on_a_pool = await SyncToAsync(serving_event_loop, thread_sensitive=False, executor=pool)()
    on_the_shared_thread = await sync_to_async(serving_event_loop)()  # how Django runs views
    on_the_socket_pool = await db_call(serving_event_loop)()  # how consumers reach the database
    assert on_a_pool is loop, (
        f"asgiref no longer sets SyncToAsync.threadlocal.main_event_loop: core.compat.asgiref; {UPGRADE}")
    assert on_the_shared_thread is loop, f"core.compat.asgiref, thread-sensitive calls; {UPGRADE}"
    assert on_the_socket_pool is loop, f"core.compat.asgiref, core.db.db_call; {UPGRADE}"


def test_a_plain_thread_works_for_no_loop():
    seen = []
    thread = threading.Thread(target=lambda: seen.append(serving_event_loop()))
    thread.start()
    thread.join()
    assert seen == [None]


def test_a_thread_whose_loop_has_ended_works_for_no_loop():
    # asgiref leaves the loop in the thread's local after the call: a loop that has stopped must
    # not be handed events (they would never be sent).
    with ThreadPoolExecutor(max_workers=1) as pool:

        async def call_once():
            return await SyncToAsync(serving_event_loop, thread_sensitive=False, executor=pool)()

        assert asyncio.run(call_once()) is not None
        assert pool.submit(serving_event_loop).result() is None


# -- channels: dispatch without the per-message hop ------------------------------------------------


class Recorder(AsyncConsumer):
    def __init__(self):
        self.handled = []

    async def test_event(self, message):
        self.handled.append(message)


@pytest.mark.asyncio
async def test_channels_dispatch_still_hops_to_close_connections_and_ours_does_not(monkeypatch):
    hops = []

    async def counted_hop():
        hops.append(1)

    monkeypatch.setattr(channels.consumer, "aclose_old_connections", counted_hop)
    consumer = Recorder()
    await AsyncConsumer.dispatch(consumer, {"type": "test.event", "n": 1})
    assert consumer.handled == [{"type": "test.event", "n": 1}]
    assert hops == [1], (
        "Channels' AsyncConsumer.dispatch no longer calls aclose_old_connections before each message: "
        f"core.compat.channels (and PlatformConsumer.dispatch) may go; {UPGRADE}")

    await dispatch_without_connection_cleanup(consumer, {"type": "test.event", "n": 2})
    assert consumer.handled[-1] == {"type": "test.event", "n": 2}
    assert hops == [1]


@pytest.mark.asyncio
@pytest.mark.parametrize("message", [{"type": "no.such"}, {"type": "_test.event"}, {"n": 1}],
                         ids=["no-handler", "leading-underscore", "no-type"])
async def test_a_message_without_a_handler_fails_as_in_channels_own_dispatch(message):
    consumer = Recorder()
    with pytest.raises(ValueError) as stock:
        await AsyncConsumer.dispatch(consumer, message)
    with pytest.raises(ValueError) as ours:
        await dispatch_without_connection_cleanup(consumer, message)
    assert str(ours.value) == str(stock.value), f"core.compat.channels differs from Channels; {UPGRADE}"
    assert consumer.handled == []


class EchoWithOurDispatch(AsyncWebsocketConsumer):
    seen: list[str] = []

    async def dispatch(self, message):
        self.seen.append(message["type"])
        await dispatch_without_connection_cleanup(self, message)

    async def receive(self, text_data=None, bytes_data=None):
        await self.send(text_data=text_data)


@pytest.mark.asyncio
async def test_every_message_of_a_socket_goes_through_the_consumers_own_dispatch():
    EchoWithOurDispatch.seen = []
    communicator = WebsocketCommunicator(EchoWithOurDispatch.as_asgi(), "/ws/")
    connected, _subprotocol = await communicator.connect()
    assert connected
    await communicator.send_to(text_data="hallo")
    assert await communicator.receive_from() == "hallo"
    await communicator.disconnect()
    assert EchoWithOurDispatch.seen[:2] == ["websocket.connect", "websocket.receive"], (
        f"Channels no longer sends each message through consumer.dispatch; {UPGRADE}")


# -- channels_redis: the pub/sub layer's insides, against the real Redis ----------------------------


@pytest.fixture
def pubsub_layer():
    """A compat layer on the test run's Redis, with a prefix of its own (nobody else hears it)."""
    default = settings.CHANNEL_LAYERS["default"]
    if default["BACKEND"] != "core.layers.RedisPubSubChannelLayer":
        pytest.skip("channels_redis needs Redis: set REDIS_URL")
    config = {key: value for key, value in default["CONFIG"].items() if key != "timeout"}
    return PubSubChannelLayer(**{**config, "prefix": f"{config['prefix']}-compat-{uuid.uuid4().hex[:8]}"})


async def _channel(layer: PubSubChannelLayer) -> str:
    loop_layer = layer.loop_layer()
    channel = loop_layer.add_local_channel("specific.")
    await loop_layer.subscribe_channel(channel)
    return channel


@pytest.mark.asyncio
async def test_each_loop_gets_a_batching_layer_on_lock_free_shards_that_the_stock_proxy_uses(pubsub_layer):
    loop_layer = pubsub_layer.loop_layer()
    assert isinstance(loop_layer, BatchingLoopLayer)
    assert loop_layer._shards and all(isinstance(shard, LockFreeShard) for shard in loop_layer._shards), (
        f"channels_redis no longer keeps its shards in RedisPubSubLoopLayer._shards; {UPGRADE}")
    channel = await _channel(pubsub_layer)
    # send and receive are not defined by PubSubChannelLayer: the stock __getattr__ proxies them
    # to _get_layer(), which must be ours.
    await pubsub_layer.send(channel, {"type": "test.event", "n": 1})
    received = await asyncio.wait_for(pubsub_layer.receive(channel), WAIT)
    assert received == {"type": "test.event", "n": 1}
    assert pubsub_layer.loop_layer() is loop_layer


@pytest.mark.asyncio
async def test_group_send_many_delivers_each_event_to_its_group_in_order(pubsub_layer):
    first, second = await _channel(pubsub_layer), await _channel(pubsub_layer)
    await pubsub_layer.group_add("test.one", first)
    await pubsub_layer.group_add("test.two", second)
    events = [("test.one", {"type": "test.event", "n": n}) for n in range(20)]
    await pubsub_layer.loop_layer().group_send_many([*events, ("test.two", {"type": "test.event", "n": 99})])
    got_first = [(await asyncio.wait_for(pubsub_layer.receive(first), WAIT))["n"] for _ in range(20)]
    got_second = await asyncio.wait_for(pubsub_layer.receive(second), WAIT)
    assert got_first == list(range(20)), f"channels_redis: group channel names or shards changed; {UPGRADE}"
    assert got_second == {"type": "test.event", "n": 99}


@pytest.mark.asyncio
async def test_a_channel_registered_without_a_subscription_still_gets_its_groups_messages(pubsub_layer):
    # What core.layers.new_channel leaves behind when Redis refuses the channel's own subscription.
    channel = pubsub_layer.loop_layer().add_local_channel("specific.")
    await pubsub_layer.group_add("test.group", channel)
    await pubsub_layer.group_send("test.group", {"type": "test.event", "n": 7})
    received = await asyncio.wait_for(pubsub_layer.receive(channel), WAIT)
    assert received == {"type": "test.event", "n": 7}, (
        f"channels_redis no longer routes group messages to in-process channels; {UPGRADE}")


@pytest.mark.asyncio
async def test_a_publish_goes_out_while_the_shards_subscription_lock_is_held(pubsub_layer):
    channel = await _channel(pubsub_layer)
    await pubsub_layer.group_add("test.locked", channel)
    loop_layer = pubsub_layer.loop_layer()
    shard = loop_layer._get_shard(loop_layer._get_group_channel_name("test.locked"))
    async with shard._lock:  # a subscription in progress on this shard
        # With the stock publish this would wait for the lock forever: wait_for ends it.
        await asyncio.wait_for(loop_layer.group_send_many([("test.locked", {"type": "test.event"})]), WAIT)
    assert await asyncio.wait_for(pubsub_layer.receive(channel), WAIT) == {"type": "test.event"}


def test_closing_an_event_loop_drops_and_flushes_its_layer(pubsub_layer):
    loop = asyncio.new_event_loop()

    async def use():
        await _channel(pubsub_layer)
        return pubsub_layer.loop_layer()

    loop_layer = loop.run_until_complete(use())
    assert loop in pubsub_layer._layers
    loop.close()
    assert loop not in pubsub_layer._layers, f"channels_redis.utils._wrap_close changed; {UPGRADE}"
    assert all(shard._redis is None for shard in loop_layer._shards)  # connections closed by flush()


# -- Django sessions: saving what was just read -----------------------------------------------------


def _session_store_class():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _saved_session(data: dict) -> str:
    store = _session_store_class()()
    store.update(data)
    store.save()
    return store.session_key


@pytest.mark.django_db
def test_a_session_store_saves_the_data_it_is_handed_without_reading_the_session_first():
    key = _saved_session({"who": "alice", "seen": 1})
    with CaptureQueriesContext(connection) as queries:
        assert session_save_without_loading(_session_store_class(), key, {"who": "alice", "seen": 2})
    reads = [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith("SELECT")]
    assert reads == [], f"Django's session store read the session despite _session_cache; {UPGRADE}"
    assert _session_store_class()(key).load() == {"who": "alice", "seen": 2}
    assert Session.objects.count() == 1


@pytest.mark.django_db
def test_a_session_ended_meanwhile_is_not_brought_back():
    key = _saved_session({"who": "alice"})
    Session.objects.filter(session_key=key).delete()  # a logout between the read and the write
    assert session_save_without_loading(_session_store_class(), key, {"who": "alice"}) is False
    assert not Session.objects.exists(), f"Django's session save() created a row for an old key; {UPGRADE}"


@pytest.mark.django_db
def test_a_malformed_session_key_creates_no_session():
    assert session_save_without_loading(_session_store_class(), "short", {"who": "alice"}) is False
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_many_sessions_are_saved_in_one_update_without_reading_them_and_an_ended_one_stays_ended():
    keys = [_saved_session({"who": name, "seen": 1}) for name in ("alice", "bob", "carol")]
    Session.objects.filter(session_key=keys[2]).delete()  # a logout between the read and the write
    before = Session.objects.get(session_key=keys[0]).expire_date
    with CaptureQueriesContext(connection) as queries:
        written = sessions_save_without_loading(
            _session_store_class(), {key: {"who": "x", "seen": 2} for key in [*keys, "short"]})
    assert written == set(keys[:2])
    statements = [q["sql"].lstrip().upper() for q in queries]
    assert [sql for sql in statements if sql.startswith("UPDATE")] and len(
        [sql for sql in statements if sql.startswith("UPDATE")]) == 1, f"not one UPDATE; {UPGRADE}"
    # Only the follow-up read of which rows are still there (a session was gone), never the data.
    assert all("SESSION_DATA" not in sql for sql in statements if sql.startswith("SELECT")), UPGRADE
    for key in keys[:2]:
        assert _session_store_class()(key).load() == {"who": "x", "seen": 2}
    assert Session.objects.get(session_key=keys[0]).expire_date >= before
    assert Session.objects.count() == 2, f"a save created a row for an ended or malformed key; {UPGRADE}"


# -- core.compat.django_db ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_connection_that_just_finished_a_call_skips_the_health_check_and_only_then(monkeypatch):
    """core.compat.django_db: after close_old_connections() Django checks the connection (SELECT 1)
    before its first cursor, unless health_check_done is set; we set it for a connection that
    finished a call without a database error within TRUSTED_FOR, and for no other."""
    from core.compat import django_db
    from core.compat.django_db import call_completed, health_check_skipped_if_recent

    connection.ensure_connection()
    monkeypatch.setattr(connection, "health_check_enabled", True)
    monkeypatch.setattr(connection, "close_at", None)  # the tests' CONN_MAX_AGE=0 would close it
    checks = []
    real_is_usable = connection.is_usable

    def is_usable():  # counts Django's health checks; the check itself runs as it would
        checks.append(1)
        return real_is_usable()

    monkeypatch.setattr(connection, "is_usable", is_usable)

    def new_call():  # what core.db does at the start of a call, then the call's first query
        connection.close_if_unusable_or_obsolete()
        health_check_skipped_if_recent(connection)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 2")

    new_call()
    assert checks == [1], "Django no longer checks a connection after close_old_connections"
    call_completed(connection)
    new_call()
    assert checks == [1], "a connection that just finished a call was checked again"

    monkeypatch.setattr(django_db, "TRUSTED_FOR", 0.0)
    call_completed(connection)
    new_call()
    assert checks == [1, 1], "a connection that finished its call too long ago was not checked"

    monkeypatch.setattr(django_db, "TRUSTED_FOR", 60.0)
    connection.errors_occurred = True  # as Django's error wrapper leaves it after a database error
    call_completed(connection)
    connection.errors_occurred = False
    new_call()
    assert checks == [1, 1, 1], "a connection that had a database error was not checked"
