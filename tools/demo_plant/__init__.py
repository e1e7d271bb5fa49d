"""The demo plant: a believable manufacturing site in the reference schema, with planted
incidents of every root-cause kind and a manifest of them (ground truth for evaluations).

``generate_plant`` builds it in memory; ``build_plant`` writes it to a database by URL.
"""

from tools.demo_plant.builder import build_plant
from tools.demo_plant.generator import generate_plant
from tools.demo_plant.models import (
    BuildReport,
    CauseRef,
    Decoy,
    Incident,
    PlantData,
    PlantManifest,
    read_manifest,
)

__all__ = ["BuildReport", "CauseRef", "Decoy", "Incident", "PlantData", "PlantManifest",
           "build_plant", "generate_plant", "read_manifest"]
