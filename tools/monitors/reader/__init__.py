"""The deterministic bilingual reader: a monitoring request in English or Chinese read into
a typed ``MonitorSpec`` grounded in a plant's catalog, offline and without an LLM.

``read_monitor(text, catalog, lexicon=None) -> Reading`` (see assembly.py for the steps).
"""

from tools.monitors.reader.assembly import read_monitor

__all__ = ["read_monitor"]
