"""Names for the blank nodes of a report that do not depend on the parser's labels.

A parser names blank nodes at random, so a report that printed those names would
differ from run to run on the same input. Each finding that mentions blank nodes is
given here as its text with the nodes left out (its skeleton), the nodes in the order
it mentions them, and its place in the report's order; the nodes are told apart by
what the findings say about them (colour refinement), and numbered `_:b1`, `_:b2`...
in the order the findings are sorted by.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Mentioning:
    """A finding as naming sees it."""

    skeleton: str
    mentions: tuple[Hashable, ...]
    order: tuple


def _digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=12).hexdigest()


def blank_names(findings: Sequence[Mentioning]) -> dict[Hashable, str]:
    """Names for the blank nodes of a report that do not depend on the parser's labels.

    A blank node is told from others by what the report says about it: the findings it
    appears in, where in them and, in turn, what is said about the other blank nodes
    there (colour refinement). Where that leaves nodes alike, they are singled out one
    by one (see _Refiner._discrete) until each has a colour of its own. Groups of nodes
    linked by findings are then put in order by their description in those colours, and
    the nodes numbered in the order they first appear in the findings sorted that way.

    Alike nodes and groups that are interchangeable (the findings map onto themselves
    when two swap) come out the same bytes whichever is taken first. Names can differ
    between runs only for alike nodes that are not interchangeable, in a group of
    findings that each mention two or more blank nodes (a blank focus node with a blank
    value or shape) in a regular pattern, and then only if more than PICKS nodes are
    alike at once or nodes stay alike after one of them has been singled out.
    """
    nodes = list(dict.fromkeys(node for finding in findings for node in finding.mentions))
    number = {node: i for i, node in enumerate(nodes)}
    refiner = _Refiner(
        [_digest(finding.skeleton) for finding in findings],
        [tuple(number[node] for node in finding.mentions) for finding in findings],
        len(nodes),
    )
    rank = refiner.ranks()
    ordered = sorted(
        range(len(findings)),
        key=lambda i: (findings[i].order, [rank[n] for n in refiner.links[i]]),
    )
    names: dict[Hashable, str] = {}
    for index in ordered:
        for node in findings[index].mentions:
            names.setdefault(node, f"_:b{len(names) + 1}")
    return names


# How many of a class of alike blank nodes are tried in turn when naming them (see
# _Refiner._discrete); a larger class has only its first ones tried.
PICKS = 32
# Bounds on the work, which otherwise grows with the square of a chain's or ring's length
# (a ring of 300 blank memberships took 90 s to name): refinement stops after MOST_ROUNDS
# rounds, and nodes are singled out only in groups of at most LARGEST_GROUP linked nodes.
# Past them, alike nodes may swap names from run to run (README).
MOST_ROUNDS = 12
LARGEST_GROUP = 64


class _Refiner:
    """Colour refinement over the findings that mention blank nodes; nodes are numbers,
    each finding a skeleton (its text without the nodes' names) and the nodes it links.
    """

    def __init__(self, skeletons: list[str], links: list[tuple[int, ...]], count: int) -> None:
        self.skeletons = skeletons
        self.links = links
        self.occurrences: list[list[int]] = [[] for _ in range(count)]
        for index, linked in enumerate(links):
            for node in dict.fromkeys(linked):
                self.occurrences[node].append(index)
        self.colours = [""] * count  # the first round starts from nothing
        self.colours = [self.signature(node) for node in range(count)]
        # A node told apart at once anchors the others and needs no more work (a blank
        # shape shared by thousands of findings, typically); the rest are refined in
        # groups linked by findings, as nothing outside a group can tell its nodes apart.
        tally = Counter(self.colours)
        alike = {node for node in range(count) if tally[self.colours[node]] > 1}
        self.groups = [[node] for node in range(count) if node not in alike]
        for group in self._groups(alike):
            if len({self.colours[node] for node in group}) < len(group):
                if len(group) <= LARGEST_GROUP:
                    self._discrete(group)
                else:
                    self._refine(group)
            self.groups.append(group)

    def ranks(self) -> list[tuple[int, str]]:
        """Each node's place: its group's, by the group's description, then its colour's.

        A group's description in colours is complete (its nodes' colours differ), so
        groups described alike are interchangeable and may come in either order.
        """
        forms = [self._form(group) for group in self.groups]
        rank: list[tuple[int, str]] = [(0, "")] * len(self.colours)
        for place, which in enumerate(sorted(range(len(forms)), key=forms.__getitem__)):
            for node in self.groups[which]:
                rank[node] = (place, self.colours[node])
        return rank

    def _form(self, group: list[int]) -> list[tuple[str, tuple[str, ...]]]:
        touched = {index for node in group for index in self.occurrences[node]}
        return sorted(
            (self.skeletons[index], tuple(self.colours[node] for node in self.links[index]))
            for index in touched
        )

    def signature(self, node: int) -> str:
        colours = self.colours
        seen = sorted(
            (
                self.skeletons[index],
                tuple(other == node for other in self.links[index]),
                tuple(colours[other] for other in self.links[index]),
            )
            for index in self.occurrences[node]
        )
        return _digest(colours[node], seen)

    def _groups(self, alike: set[int]) -> list[list[int]]:
        seen: set[int] = set()
        groups = []
        for start in sorted(alike):
            if start in seen:
                continue
            seen.add(start)
            group, frontier = [start], [start]
            while frontier:
                for index in self.occurrences[frontier.pop()]:
                    for other in self.links[index]:
                        if other in alike and other not in seen:
                            seen.add(other)
                            group.append(other)
                            frontier.append(other)
            groups.append(group)
        return groups

    def _refine(self, group: list[int]) -> None:
        for _ in range(MOST_ROUNDS):
            refined = [self.signature(node) for node in group]
            settled = len(set(refined)) == len({self.colours[node] for node in group})
            for node, colour in zip(group, refined, strict=True):
                self.colours[node] = colour
            if settled:
                return

    def _discrete(self, group: list[int]) -> None:
        """Give every node of the group a colour of its own.

        Where refinement leaves nodes alike, each of the first alike ones (up to
        PICKS) is singled out in turn, the rest of the way taken with the first pick
        each time, and the outcome that describes the group first in sorted order kept:
        so the outcome does not depend on which node happened to be first.
        """
        colours = self.colours
        self._refine(group)
        tied = self._tied(group)
        if not tied:
            return
        start = {node: colours[node] for node in group}
        best: tuple[list[tuple[str, tuple[str, ...]]], dict[int, str]] | None = None
        for first in tied[0][:PICKS]:
            for node, colour in start.items():
                colours[node] = colour
            picked: int | None = first
            while picked is not None:
                colours[picked] = _digest(colours[picked], "picked")
                self._refine(group)
                rest = self._tied(group)
                picked = rest[0][0] if rest else None
            form = self._form(group)
            if best is None or form < best[0]:
                best = (form, {node: colours[node] for node in group})
        assert best is not None
        for node, colour in best[1].items():
            colours[node] = colour

    def _tied(self, group: list[int]) -> list[list[int]]:
        """The classes of alike nodes, by colour, after telling twins apart: nodes linked
        only to nodes told apart, so that swapping two of them changes nothing.
        """
        colours = self.colours
        classes: dict[str, list[int]] = {}
        for node in group:
            classes.setdefault(colours[node], []).append(node)
        tied = {key: members for key, members in classes.items() if len(members) > 1}
        alike = {node for members in tied.values() for node in members}
        for key, members in list(tied.items()):
            if not any(self._beside(node, alike) for node in members):
                for rank, node in enumerate(members):
                    colours[node] = _digest(key, rank)
                del tied[key]
        return [tied[key] for key in sorted(tied)]

    def _beside(self, node: int, alike: set[int]) -> bool:
        """Whether a finding links the node to another node not yet told apart."""
        return any(
            other != node and other in alike
            for index in self.occurrences[node]
            for other in self.links[index]
        )
