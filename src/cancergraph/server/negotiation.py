"""HTTP content negotiation: pick the best format a client accepts."""

from __future__ import annotations

from collections.abc import Mapping


class NotAcceptable(Exception):
    """None of the formats the client accepts can be produced."""


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first (order kept among equals)."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for index, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        quality = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((index, media, quality))
    ranges.sort(key=lambda item: (-item[2], item[0]))
    return [(media, quality) for _, media, quality in ranges]


def choose(accept: str | None, offers: Mapping[str, str], default: str) -> str:
    """The format name whose media type best matches Accept; `default` for */*."""
    offers = {name: media.split(";", 1)[0].strip().lower() for name, media in offers.items()}
    for media, quality in parse_accept(accept):
        if quality <= 0:
            continue
        if media in ("*/*", ""):
            return default
        for name, offered in offers.items():
            if offered == media:
                return name
        if media.endswith("/*"):
            family = media[:-1]
            preferred = offers.get(default, "")
            if preferred.startswith(family):
                return default
            for name, offered in offers.items():
                if offered.startswith(family):
                    return name
    raise NotAcceptable(
        "none of the accepted media types can be produced; available: "
        + ", ".join(sorted(set(offers.values())))
    )
