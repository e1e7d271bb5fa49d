"""Fixtures of the standards tests: the shipped corpus, its keyword index, a hybrid index
over a small part of it with the real (offline) USE model, and a fast-embedder switch for
the interface tests."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import FIXTURES
from tests.standards.helpers import HashingEmbedder
from tools.standards import Corpus, StandardsIndex, default_corpus

CASES = FIXTURES / "standards"


def cases(name: str) -> Any:
    return yaml.safe_load((CASES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return default_corpus()


@pytest.fixture(scope="session")
def keyword_index(corpus: Corpus) -> StandardsIndex:
    """Exact + BM25 over the whole corpus, no vector store."""
    return StandardsIndex(corpus)


@pytest.fixture(scope="session")
def small_corpus(corpus: Corpus) -> Corpus:
    keys = cases("retrieval.yaml")["hybrid_corpus"]
    return Corpus([r for k in keys if (r := corpus.by_key(k)) is not None])


@pytest.fixture(scope="session")
def hybrid_index(small_corpus: Corpus, tmp_path_factory: pytest.TempPathFactory
                 ) -> StandardsIndex:
    """Exact + BM25 + the real USE embedder in an embedded Chroma folder (16 records)."""
    index, _ = StandardsIndex.open(path=tmp_path_factory.mktemp("chroma"), embedder="use",
                                   corpus=small_corpus)
    return index


@pytest.fixture
def fast_embedder(monkeypatch: pytest.MonkeyPatch) -> HashingEmbedder:
    """Interfaces build their index with a hashing embedder instead of a model."""
    embedder = HashingEmbedder()
    monkeypatch.setattr("tools.standards.search.get_embedder", lambda name="use": embedder)
    return embedder


@pytest.fixture(scope="session")
def built_home(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> Path:
    """An ANDON_HOME whose clause store holds the whole corpus (hashing embedder), built
    once and copied by the tests that do not test the build itself."""
    home = tmp_path_factory.mktemp("built_home")
    StandardsIndex.open(path=home / "standards", embedder=HashingEmbedder(), corpus=corpus)
    return home


@pytest.fixture
def andon_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty ANDON_HOME."""
    monkeypatch.setenv("ANDON_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def indexed_home(andon_home: Path, built_home: Path) -> Path:
    """An ANDON_HOME with the clause store already built."""
    shutil.copytree(built_home, andon_home)
    return andon_home
