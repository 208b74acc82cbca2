"""The parts catalog: search by number, words or equipment; one part's detail and supersession chain; whether a part
fits a unit; the units at our customers' sites.

Public schemas: what callers above the tools (the REST API) may import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.families import public_schemas

if TYPE_CHECKING:
    from tools.catalog.compatibility import CheckCompatibilityInput, CheckCompatibilityOutput
    from tools.catalog.equipment import FindInstalledEquipmentInput, FindInstalledEquipmentOutput
    from tools.catalog.part_detail import GetPartInput, PartDetail
    from tools.catalog.search import (
        MAX_QUERY_CHARS,
        LookupPartInput,
        LookupPartOutput,
        SearchHit,
        SearchPartsInput,
        SearchPartsOutput,
    )

__getattr__, __all__ = public_schemas(__name__, __file__)
