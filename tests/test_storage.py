"""One storage interface, two back ends, tested the same way against real servers: hashed keys,
retention limits, rate windows, counters, locks; Redis restarting loses nothing."""

from __future__ import annotations

import time

import pytest

from bot.storage import StoreUnavailable, open_store


@pytest.fixture(params=["sqlite", "redis"])
def store(request, tmp_path):
    if request.param == "sqlite":
        s = open_store(f"sqlite:///{tmp_path / 'ogoh.db'}", "test-secret")
    else:
        server = request.getfixturevalue("redis_server")
        s = open_store(server.url, "test-secret")
        s.r.flushdb()
    yield s
    s.close()


def test_api_keys_are_stored_hashed_and_revocable(store):
    key, secret = store.create_key("Legal aid")
    assert store.find_key(secret).id == key.id
    assert store.find_key(secret + "x") is None
    assert [k.name for k in store.list_keys()] == ["Legal aid"]
    assert store.revoke_key(key.id) and not store.revoke_key(key.id)
    assert store.find_key(secret).revoked


def test_interview_state_expires_and_can_be_deleted(store):
    store.set_state("u1", {"answers": {"home_country": "UZ"}}, ttl_seconds=1)
    store.set_state("u2", {"answers": {}})
    assert store.get_state("u1") == {"answers": {"home_country": "UZ"}}
    time.sleep(1.2)
    assert store.get_state("u1") is None
    store.delete_state("u2")
    assert store.get_state("u2") is None


def test_sent_message_ids_expire(store):
    store.add_message("c1", 10, ttl_seconds=1)
    store.add_message("c1", 11)
    assert store.messages("c1") == [10, 11]
    time.sleep(1.2)
    assert store.messages("c1") == [11]
    store.forget_messages("c1")
    assert store.messages("c1") == []


def test_default_retention_limits_are_what_privacy_promises(store):
    """Stored without a TTL argument: state lives 24 hours, message ids 48 (PRIVACY.md)."""
    store.set_state("u-default", {"answers": {}})
    store.add_message("c-default", 5)
    if hasattr(store, "r"):
        state_ttl = store.r.ttl("ogoh:state:u-default")
        message_ttl = store.r.ttl("ogoh:sent:c-default")
    else:
        now = time.time()
        state_ttl = store._db.execute("SELECT expires FROM state WHERE user = 'u-default'").fetchone()[0] - now
        message_ttl = store._db.execute("SELECT expires FROM sent WHERE chat = 'c-default'").fetchone()[0] - now
    assert 24 * 3600 - 5 <= state_ttl <= 24 * 3600
    assert 48 * 3600 - 5 <= message_ttl <= 48 * 3600


def test_rate_window_counts_and_resets(store):
    window = int(time.time() // 60) + 1000  # a window of its own: no boundary can fall inside
    assert [store.add_hits("ip:abc", window, 1, 60) for _ in range(3)] == [1, 2, 3]
    assert store.add_hits("ip:abc", window, 5, 60) == 8  # batches add up
    assert store.add_hits("ip:abc", window + 1, 1, 60) == 1  # the next window starts again
    assert store.add_hits("ip:other", window, 1, 60) == 1  # buckets are separate


def test_counters_add_up(store):
    store.count("topic:get-help", "2026-W48", "ru", "bot")
    store.count("topic:get-help", "2026-W48", "ru", "bot", 4)
    store.count("topic:get-help", "2026-W48", "tg", "api")
    assert sorted(store.counts()) == [("topic:get-help", "2026-W48", "ru", "bot", 5), ("topic:get-help", "2026-W48", "tg", "api", 1)]


def test_one_lock_holder_at_a_time(store):
    assert store.acquire_lock("poller", "a", 2)
    assert not store.acquire_lock("poller", "b", 2)
    assert store.acquire_lock("poller", "a", 2)  # renew
    store.release_lock("poller", "b")  # not the owner: no effect
    assert not store.acquire_lock("poller", "b", 2)
    store.release_lock("poller", "a")
    assert store.acquire_lock("poller", "b", 2)


def test_ids_are_keyed_hashes(store):
    assert store.hash_id("tg-chat", 42) != store.hash_id("tg-chat", 43)
    assert "42" not in store.hash_id("tg-chat", 42)
    other = open_store("sqlite://:memory:", "another-secret")
    assert other.hash_id("tg-chat", 42) != store.hash_id("tg-chat", 42)


def test_redis_restart_loses_nothing_and_the_client_recovers(redis_server):
    store = open_store(redis_server.url, "s")
    store.r.flushdb()
    key, secret = store.create_key("NGO")
    store.set_state("u", {"answers": {"summons": "yes"}})
    store.count("finding:permit-threat", "2026-W48", "uz", "web", 7)
    redis_server.stop()
    with pytest.raises(StoreUnavailable):
        store.get_state("u")
    redis_server.start()
    deadline = time.time() + 10
    while True:
        try:
            store.ping()
            break
        except StoreUnavailable:
            assert time.time() < deadline
            time.sleep(0.1)
    assert store.find_key(secret).id == key.id
    assert store.get_state("u") == {"answers": {"summons": "yes"}}
    assert ("finding:permit-threat", "2026-W48", "uz", "web", 7) in store.counts()


def test_api_answers_503_cleanly_while_storage_is_down(redis_server, ogoh):
    from fastapi.testclient import TestClient

    from bot.api import create_app
    from bot.settings import Settings

    store = open_store(redis_server.url, "s")
    key, secret = store.create_key("NGO")
    client = TestClient(create_app(Settings(storage_url=redis_server.url), ogoh=ogoh, store=store, watch=False))
    assert client.get("/v1/topics", headers={"X-API-Key": secret}).status_code == 200
    redis_server.stop()
    try:
        r = client.get("/v1/topics", headers={"X-API-Key": secret})
        assert r.status_code == 503 and r.headers["content-type"].startswith("application/problem+json")
        assert client.post("/v1/ask", json={"text": "мне пришла повестка"}).status_code == 200  # rate limit fails open
        assert client.get("/readyz").status_code == 503
    finally:
        redis_server.start()
    deadline = time.time() + 10
    while client.get("/readyz").status_code != 200:
        assert time.time() < deadline
        time.sleep(0.1)
    assert client.get("/v1/topics", headers={"X-API-Key": secret}).status_code == 200


def test_no_question_text_reaches_the_database(tmp_path, ogoh):
    from fastapi.testclient import TestClient

    from bot.api import create_app
    from bot.settings import Settings

    db = tmp_path / "api.db"
    client = TestClient(create_app(Settings(storage_url=f"sqlite:///{db}"), ogoh=ogoh, watch=False))
    words = ["Samarqandlik", "Dilshodbek", "Lyublino"]
    client.post("/v1/ask", json={"text": f"men {words[0]} {words[1]}, {words[2]}da ishlayman, menga povestka keldi"})
    client.post("/v1/assess", json={"facts": {"home_country": "UZ", "summons": "yes"}})
    data = db.read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("api.db-*"))
    for w in words:
        assert w.encode() not in data


def test_sqlite_purge_removes_expired_state_messages_and_old_rate_rows(tmp_path):
    import sqlite3

    store = open_store(f"sqlite:///{tmp_path / 'p.db'}", "s")
    store.set_state("u", {"answers": {}}, ttl_seconds=0)
    store.add_message("c", 1, ttl_seconds=0)
    store.hit("ip:old", 60)
    store._db.execute("UPDATE rate SET window_start = window_start - 7200")
    assert store.purge_expired() == 3
    db = sqlite3.connect(tmp_path / "p.db")
    assert [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("state", "sent", "rate")] == [0, 0, 0]
