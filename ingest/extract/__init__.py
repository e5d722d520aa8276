"""Arabic casualty-mention extractor (contract: ../shared/spec/MENTIONS.md).

Pipeline, one module each: text (cleaning with an offset map) -> segment
(lines, sentences, boilerplate) -> tokens + sentence (lexicon matching) ->
linker (count <-> trigger <-> victim) -> attribution (perpetrator, source),
dates, places -> document (assembles Mention records).
"""
from .document import extract_document, extract_with_layout
from .mention import Mention

# Bump when extraction output changes: the ingester re-extracts older documents.
EXTRACTOR_VERSION = "0.2.8"

__all__ = ["EXTRACTOR_VERSION", "Mention", "extract_document", "extract_with_layout"]
