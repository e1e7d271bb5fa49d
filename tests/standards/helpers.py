"""Test doubles for the standards tests: a fast deterministic embedder that also counts."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from tools.standards.text import tokens


class HashingEmbedder:
    """Bag of keyword tokens hashed into 256 dimensions (lexical, deterministic, instant);
    counts every text it embeds so tests can see what an index build re-embedded."""

    name, dim = "hash-test", 256

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def _vector(self, text: str) -> np.ndarray:
        out = np.zeros(self.dim, dtype=np.float32)
        for token in tokens(text):
            out[int(hashlib.md5(token.encode()).hexdigest(), 16) % self.dim] += 1.0
        norm = float(np.linalg.norm(out))
        return out / norm if norm else out

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded.extend(texts)
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim))

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)
