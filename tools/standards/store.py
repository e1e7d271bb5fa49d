"""The vector side of the clause store: a Chroma collection, embedded (a folder) by default or
a Chroma server by URL, with an incremental build.

Each record is embedded twice, its English and its Chinese side (``KEY#en``, ``KEY#zh``);
each entry keeps a hash of its text and the embedder, so a rebuild embeds only entries that
are new or changed and deletes those whose record is gone.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
from pydantic import BaseModel

from tools.standards.embedders import Embedder, chroma_embedding
from tools.standards.errors import StandardsStoreUnavailable
from tools.standards.models import ClauseRecord

Progress = Callable[[str, int, int], None]
SCHEMA = "v1"  # bump when entry texts change shape: forces a full re-embed
BATCH = 32


class SyncReport(BaseModel):
    """What an index build did."""

    location: str
    embedder: str
    records: int
    entries: int
    embedded: int
    unchanged: int
    deleted: int
    seconds: float


def entry_texts(record: ClauseRecord) -> dict[str, str]:
    """The texts embedded for one record, by language."""
    en = (f"{record.standard} {record.clause} {record.title}. {record.summary_en} "
          f"Keywords: {', '.join(record.keywords_en)}.")
    zh = (f"{record.standard} {record.clause} {record.title_zh}。{record.summary_zh} "
          f"关键词：{'，'.join(record.keywords_zh)}。")
    return {"en": en, "zh": zh}


def open_client(path: Path | None = None, url: str | None = None) -> Any:
    """A Chroma client: ``HttpClient`` for ``url`` (production), else a persistent folder."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if url:
            parts = urlparse(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise StandardsStoreUnavailable(f"'{url}' is not an http(s) URL of a Chroma "
                                                "server.")
            return chromadb.HttpClient(host=parts.hostname,
                                       port=parts.port or (443 if parts.scheme == "https"
                                                           else 8000),
                                       ssl=parts.scheme == "https", settings=settings)
        if path is None:
            raise StandardsStoreUnavailable("no folder or server URL given for the clause "
                                            "store.")
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=settings)
    except StandardsStoreUnavailable:
        raise
    except Exception as exc:  # connection refused, unwritable folder...
        where = url or str(path)
        raise StandardsStoreUnavailable(f"the clause store at {where} cannot be opened "
                                        f"({type(exc).__name__}: {exc}).") from None


class ClauseStore:
    """Clause vectors in one Chroma collection per embedder."""

    def __init__(self, client: Any, embedder: Embedder, location: str) -> None:
        self.embedder = embedder
        self.location = location
        self.collection = client.get_or_create_collection(
            name=f"andon-clauses-{embedder.name}-{SCHEMA}",
            embedding_function=chroma_embedding(embedder),
            metadata={"hnsw:space": "cosine"})

    @classmethod
    def open(cls, embedder: Embedder, *, path: Path | None = None,
             url: str | None = None) -> ClauseStore:
        return cls(open_client(path, url), embedder, url or str(path))

    def _hash(self, text: str) -> str:
        return hashlib.sha256(f"{self.embedder.name}\n{text}".encode()).hexdigest()[:16]

    def sync(self, records: Iterable[ClauseRecord], *, rebuild: bool = False,
             progress: Progress | None = None) -> SyncReport:
        """Make the collection match ``records``: embed new or changed entries only (all with
        ``rebuild``), delete entries of records that are gone."""
        started = time.perf_counter()
        records = list(records)
        wanted: dict[str, tuple[str, dict[str, Any]]] = {}
        for record in records:
            for lang, text in entry_texts(record).items():
                wanted[f"{record.key}#{lang}"] = (text, {
                    "record": record.key, "standard": record.standard, "lang": lang,
                    "hash": self._hash(text)})
        have = self.collection.get(include=["metadatas"])
        stored = {i: (m or {}).get("hash") for i, m in zip(have["ids"], have["metadatas"] or [],
                                                            strict=False)}
        stale = [i for i in stored if i not in wanted]
        if stale:
            self.collection.delete(ids=stale)
        todo = [i for i, (_, meta) in wanted.items()
                if rebuild or stored.get(i) != meta["hash"]]
        for start in range(0, len(todo), BATCH):
            ids = todo[start:start + BATCH]
            vectors = self.embedder.embed_documents([wanted[i][0] for i in ids])
            self.collection.upsert(ids=ids, embeddings=[v.tolist() for v in vectors],
                                   documents=[wanted[i][0] for i in ids],
                                   metadatas=[wanted[i][1] for i in ids])
            if progress:
                progress("embedding clauses", start + len(ids), len(todo))
        return SyncReport(location=self.location, embedder=self.embedder.name,
                          records=len(records), entries=len(wanted), embedded=len(todo),
                          unchanged=len(wanted) - len(todo), deleted=len(stale),
                          seconds=round(time.perf_counter() - started, 3))

    def count(self) -> int:
        return int(self.collection.count())

    def query(self, vector: np.ndarray, n: int,
              standards: list[str] | None = None) -> list[tuple[str, float]]:
        """Nearest records (best entry per record) as (key, cosine similarity), best first."""
        total = self.count()
        if total == 0:
            return []
        where: dict[str, Any] | None = None
        if standards:
            where = {"standard": {"$in": list(standards)}}
        result = self.collection.query(query_embeddings=[vector.tolist()],
                                       n_results=min(2 * n, total), where=where,
                                       include=["metadatas", "distances"])
        best: dict[str, float] = {}
        for meta, distance in zip(result["metadatas"][0], result["distances"][0], strict=True):
            key = str(meta["record"])
            best[key] = max(best.get(key, -1.0), 1.0 - float(distance))
        return sorted(best.items(), key=lambda kv: -kv[1])[:n]
