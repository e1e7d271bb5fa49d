"""The Chroma store: incremental builds (only changed records re-embedded), deletions, an
explicit embedding function, and no network."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from tests.standards.helpers import HashingEmbedder
from tools.standards import Corpus, SearchArgs, StandardsIndex
from tools.standards.errors import StandardsStoreUnavailable
from tools.standards.store import ClauseStore


def _store(path: Path, embedder: HashingEmbedder) -> ClauseStore:
    return ClauseStore.open(embedder, path=path)


def test_incremental_build(tmp_path: Path, small_corpus: Corpus) -> None:
    embedder = HashingEmbedder()
    records = list(small_corpus)
    first = _store(tmp_path, embedder).sync(records)
    assert (first.embedded, first.unchanged, first.deleted) == (2 * len(records), 0, 0)

    embedder.embedded.clear()
    again = _store(tmp_path, embedder).sync(records)  # a new process opening the same folder
    assert (again.embedded, again.unchanged) == (0, 2 * len(records))
    assert embedder.embedded == []

    changed = records[3].model_copy(update={"summary_en": records[3].summary_en + " Revised."})
    records[3] = changed
    third = _store(tmp_path, embedder).sync(records)
    assert third.embedded == 1 and third.unchanged == 2 * len(records) - 1
    assert len(embedder.embedded) == 1 and "Revised." in embedder.embedded[0]

    embedder.embedded.clear()
    changed_zh = changed.model_copy(update={"keywords_zh": [*changed.keywords_zh, "新词"]})
    records[3] = changed_zh
    fourth = _store(tmp_path, embedder).sync(records)
    assert fourth.embedded == 1 and "新词" in embedder.embedded[0]

    gone = records.pop(0)
    fifth = _store(tmp_path, embedder).sync(records)
    assert (fifth.deleted, fifth.embedded) == (2, 0)
    store = _store(tmp_path, embedder)
    assert store.count() == 2 * len(records)
    assert gone.key not in {k for k, _ in store.query(embedder.embed_query(gone.title), 50)}

    embedder.embedded.clear()
    rebuilt = store.sync(records, rebuild=True)
    assert rebuilt.embedded == 2 * len(records) == len(embedder.embedded)


def test_progress_is_reported(tmp_path: Path, small_corpus: Corpus) -> None:
    calls: list[tuple[str, int, int]] = []
    _store(tmp_path, HashingEmbedder()).sync(small_corpus,
                                             progress=lambda *a: calls.append(a))
    total = 2 * len(small_corpus)
    assert calls[-1] == ("embedding clauses", total, total)
    assert [c[1] for c in calls] == sorted(c[1] for c in calls)


def test_our_embedding_function_is_the_collections(tmp_path: Path) -> None:
    store = _store(tmp_path, HashingEmbedder())
    function: Any = store.collection._embedding_function
    assert function.name() == "andon-offline"
    assert function.get_config() == {"embedder": "hash-test"}


def test_one_collection_per_embedder(tmp_path: Path, small_corpus: Corpus) -> None:
    class Other(HashingEmbedder):
        name = "other-test"

    _store(tmp_path, HashingEmbedder()).sync(small_corpus)
    other = ClauseStore.open(Other(), path=tmp_path)
    assert other.sync(small_corpus).embedded == 2 * len(small_corpus)


@pytest.mark.parametrize("url", ["ftp://host/x", "not a url", "http://"])
def test_bad_server_url(url: str) -> None:
    with pytest.raises(StandardsStoreUnavailable):
        ClauseStore.open(HashingEmbedder(), url=url)


def test_unreachable_server_is_a_refusal() -> None:
    with socket.socket() as probe:  # a loopback port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StandardsStoreUnavailable):
        ClauseStore.open(HashingEmbedder(), url=f"http://127.0.0.1:{port}")


def test_build_and_search_never_touch_the_network(tmp_path: Path, small_corpus: Corpus,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The real model and Chroma, with every non-local connection refused."""
    attempts: list[Any] = []
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in (
                "127.0.0.1", "::1", "localhost"):
            attempts.append(address)
            raise OSError("network disabled in this test")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket, "create_connection",
                        lambda address, *a, **k: guarded(socket.socket(), address))
    index, report = StandardsIndex.open(path=tmp_path, embedder="use",
                                        corpus=Corpus(list(small_corpus)[:4]))
    assert report.embedded == 8
    assert index.search(SearchArgs(query="8D root cause", k=2))
    assert attempts == []
