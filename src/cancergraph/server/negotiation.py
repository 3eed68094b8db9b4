"""HTTP content negotiation: pick the best format a client accepts (RFC 9110, 12.5.1)."""

from __future__ import annotations

from collections.abc import Mapping

# Media types clients send for a format they know by a more general name: a client that
# asks for application/json takes SPARQL JSON results or JSON-LD, whichever the answer is.
ALIASES = {
    "application/json": ("application/sparql-results+json", "application/ld+json"),
    "application/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "text/xml": ("application/sparql-results+xml", "application/rdf+xml"),
}


class NotAcceptable(Exception):
    """None of the formats the client accepts can be produced."""


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, in the order given."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        quality = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((media, quality))
    return ranges


def _match(offered: str, ranges: list[tuple[str, float]]) -> tuple[float, int, int] | None:
    """The quality the client gives a media type, from the most specific range matching it
    (so `text/csv;q=0, */*` refuses CSV), with that range's specificity and position."""
    best: tuple[int, float, int] | None = None
    for position, (media, quality) in enumerate(ranges):
        if media == offered:
            specificity = 3
        elif offered in ALIASES.get(media, ()):
            specificity = 2
        elif media.endswith("/*") and media != "*/*" and offered.startswith(media[:-1]):
            specificity = 1
        elif media == "*/*":
            specificity = 0
        else:
            continue
        if best is None or specificity > best[0]:
            best = (specificity, quality, position)
    if best is None:
        return None
    specificity, quality, position = best
    return quality, specificity, position


def choose(accept: str | None, offers: Mapping[str, str], default: str) -> str:
    """The format name the client prefers: highest quality, then the more specific range,
    then the one it lists first, then `default` (what `*/*` gets)."""
    ranges = parse_accept(accept)
    names = [default, *(name for name in offers if name != default)]
    ranked = []
    for order, name in enumerate(names):
        offered = offers[name].split(";", 1)[0].strip().lower()
        found = _match(offered, ranges)
        if found is not None and found[0] > 0:
            quality, specificity, position = found
            ranked.append((-quality, -specificity, position, order, name))
    if not ranked:
        raise NotAcceptable(
            "none of the accepted media types can be produced; available: "
            + ", ".join(sorted({media.split(";", 1)[0] for media in offers.values()}))
        )
    return min(ranked)[-1]
