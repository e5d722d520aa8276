"""Arabic casualty-mention extractor (contract: ../shared/spec/MENTIONS.md)."""
from __future__ import annotations

from datetime import date
from typing import Optional

from .mention import Mention

EXTRACTOR_VERSION = "0.0.1"


def extract_document(text: str, doc_id: str, published_at: Optional[date] = None) -> list[Mention]:
    """Return the casualty mentions in one document (placeholder until the extractor lands)."""
    return []
