"""List items: a line that opens with a bullet or a number ("- 47 من قوات النظام"، "3) ...") is an item of the
list its heading announces (a line ending in ":")."""
from __future__ import annotations

# Bullets are punctuation, not vocabulary: they mark the structure of a line in any language.
_LIST_BULLET = ("-", "–", "—", "•", "*", "·", "▪")


def is_list_item(text: str) -> bool:
    t = text.strip()
    return t.startswith(_LIST_BULLET) or bool(t[:3].rstrip(".)-").isdigit() and len(t) > 3 and t[1:3].strip()[:1] in ").-")


def is_list_heading(text: str) -> bool:
    """A line announcing a list of its parts ("وثق المرصد خلال شهر حزيران ... :")."""
    return text.rstrip().endswith(":") and not is_list_item(text)
