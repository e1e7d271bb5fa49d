"""The semantic catalog: what a plant database holds, under which names, in which words.

- ``build_catalog(db, mapping=None) -> Catalog``: parts, characteristics, parameters,
  suppliers... read from a database in the reference schema (or through a mapping).
- ``TableMapping``: a YAML file mapping other table/column names onto the reference schema;
  ``expand`` rewrites canonical queries onto the physical tables.
- ``Lexicon``: the bilingual (English/Chinese) words for characteristics, statistics,
  comparators, processes, roles, windows and units.
"""

from pathlib import Path

from tools.catalog.build import CORE_TABLES, build_catalog
from tools.catalog.catalog import Catalog
from tools.catalog.lexicon import Lexicon
from tools.catalog.mapping import TableMapping
from tools.catalog.models import (
    CATALOG_KINDS,
    Characteristic,
    DefectCode,
    InspectionCharacteristic,
    Line,
    Machine,
    Material,
    Part,
    Plant,
    ProcessParameter,
    Supplier,
    Tool,
)
from tools.catalog.terms import Match, Term, normalize_text

MAPPINGS_DIR = Path(__file__).with_name("mappings")

__all__ = [
    "CATALOG_KINDS",
    "CORE_TABLES",
    "MAPPINGS_DIR",
    "Catalog",
    "Characteristic",
    "DefectCode",
    "InspectionCharacteristic",
    "Lexicon",
    "Line",
    "Machine",
    "Match",
    "Material",
    "Part",
    "Plant",
    "ProcessParameter",
    "Supplier",
    "TableMapping",
    "Term",
    "Tool",
    "build_catalog",
    "normalize_text",
]
