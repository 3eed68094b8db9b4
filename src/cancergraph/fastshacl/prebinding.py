"""SHACL pre-binding, applied to all focus nodes at once.

SHACL defines pre-binding by values insertion: every basic graph pattern of the
query is joined with the pre-bound values (`$this`, `$value`, parameters,
`$currentShape`, `$shapesGraph`). Running the query once per focus node follows
that definition literally and is slow. This module rewrites the query so that a
table of *all* focus nodes (the "focus pattern", with the constants) is joined
in at the start of the WHERE group, and of every nested group that would
otherwise evaluate `$this` unbound (a FILTER or BIND in an inner group, a UNION
branch, an OPTIONAL whose left side does not bind it, a sub-SELECT). Every
solution then carries its focus node, joins only with solutions of the same
focus node, and groups by it, so the answers are exactly the union of the
per-node answers.

Where that argument does not hold (aggregates without GROUP BY, whose empty
group exists per focus node; LIMIT and OFFSET, which apply per focus node), the
plan says so and the engine runs the query once per focus node, with that one
node as the focus pattern. SHACL's syntax rules for pre-binding (no MINUS,
SERVICE or VALUES; no re-binding of a pre-bound variable; sub-SELECTs return
$this) are enforced here, so such shapes are refused rather than run.
"""

from __future__ import annotations

from dataclasses import dataclass

from cancergraph.fastshacl import syntax
from cancergraph.fastshacl.errors import ShapesError
from cancergraph.fastshacl.syntax import Expression, Group, Select

PLACEHOLDER = "\x00focus\x00"


@dataclass(frozen=True)
class Plan:
    """How to run one query.

    set_text joins the focus pattern in (None when the query must run per node);
    node_text is for one focus node at a time; both contain PLACEHOLDER where the
    focus pattern goes. free_text, when the query binds $this itself before any
    use that needs it, runs without a focus pattern: its answers are the per-node
    answers of every node, to be kept for the focus nodes only.
    """

    set_text: str | None
    node_text: str
    reason: str | None
    free_text: str | None = None


def _group_variables(group: Group) -> set[str]:
    found: set[str] = set()
    if group.subselect is not None:
        sub = group.subselect
        found.update(sub.projection)
        found.update(_group_variables(sub.where))
        return found
    for element in group.elements:
        found.update(element.variables)
        if element.target:
            found.add(element.target)
        if element.expression is not None:
            found.update(_expression_variables(element.expression))
        for inner in element.groups:
            found.update(_group_variables(inner))
    return found


def _expression_variables(expression: Expression) -> set[str]:
    found = set(expression.variables)
    for group in expression.exists:
        found.update(_group_variables(group))
    return found


def _in_scope(group: Group) -> set[str]:
    """Variables a group can bind (what `SELECT *` returns)."""
    if group.subselect is not None:
        return set(group.subselect.projection) | (
            _in_scope(group.subselect.where) if group.subselect.star else set()
        )
    found: set[str] = set()
    for element in group.elements:
        if element.kind in ("triples", "values", "graph"):
            found.update(element.variables)
        if element.kind == "bind" and element.target:
            found.add(element.target)
        if element.kind in ("union", "optional", "graph"):
            for inner in element.groups:
                found.update(_in_scope(inner))
    return found


class _Planner:
    def __init__(self, prebound: frozenset[str], focus: frozenset[str]) -> None:
        self.prebound = prebound
        self.focus = focus
        self.per_node: str | None = None
        self.in_graph = 0

    # Checks that SHACL makes of every query with pre-bound variables.

    def forbid(self, group: Group) -> None:
        if group.subselect is not None:
            self.check_select(group.subselect, top=False)
            return
        for element in group.elements:
            if element.kind == "minus":
                raise ShapesError("SHACL does not allow MINUS in queries with pre-bound variables")
            if element.kind == "service":
                raise ShapesError(
                    "SHACL does not allow SERVICE in queries with pre-bound variables"
                )
            if element.kind == "values":
                raise ShapesError("SHACL does not allow VALUES in queries with pre-bound variables")
            if element.kind == "bind" and element.target in self.prebound:
                raise ShapesError(f"the query re-binds the pre-bound variable ${element.target}")
            if element.expression is not None:
                for inner in element.expression.exists:
                    self.forbid(inner)
            for inner in element.groups:
                self.forbid(inner)

    def check_select(self, select: Select, top: bool) -> None:
        if select.values:
            raise ShapesError("SHACL does not allow VALUES in queries with pre-bound variables")
        rebound = select.assigned & self.prebound
        if rebound:
            raise ShapesError(f"the query re-binds the pre-bound variable ${sorted(rebound)[0]}")
        if not top:
            returned = set(select.projection)
            if select.star:
                returned |= _in_scope(select.where)
            missing = self.focus - returned
            if missing:
                raise ShapesError(
                    "SHACL requires sub-queries to return the pre-bound variable "
                    f"${sorted(missing)[0]}"
                )
        self.forbid(select.where)

    # Where the focus pattern must be joined in.

    def select(self, select: Select, inserts: list[tuple[int, str]], top: bool = True) -> None:
        """Plan a (sub-)SELECT: focus at the start of its WHERE group, focus in GROUP BY.

        A sub-SELECT that binds every pre-bound variable it mentions itself, and returns
        them, needs no focus pattern: the join with the enclosing query picks its rows.
        """
        if select.limited:
            self.per_node = "it uses LIMIT or OFFSET, which apply per focus node"
        if select.aggregates and select.group_by is None:
            self.per_node = "it aggregates without GROUP BY, which makes one group per focus node"
        where = select.where
        keys = self.prebound
        if where.subselect is not None:
            self.select(where.subselect, inserts, top=False)
        else:
            trial: list[tuple[int, str]] = []
            mentioned = _group_variables(where) & self.prebound
            inject = True
            if not top and mentioned <= set(select.projection):
                problems, bound = self.walk(where, frozenset(), frozenset(), trial)
                if not problems and mentioned <= bound:
                    inserts.extend(trial)
                    keys = frozenset(mentioned)
                    inject = False
            if inject:
                if self.in_graph:
                    self.per_node = "it reads $this in a sub-query inside GRAPH"
                inserts.append((where.open_end, PLACEHOLDER))
                self.walk(where, self.prebound, frozenset(), inserts)
        if select.group_by is not None and select.group_by_end is not None:
            missing = sorted(keys - set(select.group_by))
            if missing:
                inserts.append((select.group_by_end, "".join(f" ?{name}" for name in missing)))

    def sub(self, group: Group, filter_extra: frozenset[str], inserts: list) -> frozenset[str]:
        """Plan a nested group evaluated on its own; inject the focus if it needs it."""
        if group.subselect is not None:
            self.select(group.subselect, inserts, top=False)
            returned = set(group.subselect.projection)
            if group.subselect.star:
                returned |= self.prebound
            return frozenset(returned & self.prebound)
        if not (_group_variables(group) & self.prebound):
            return frozenset()
        trial: list[tuple[int, str]] = []
        problems, bound = self.walk(group, frozenset(), filter_extra, trial)
        if not problems:
            inserts.extend(trial)
            return bound
        if self.in_graph:
            # Inside GRAPH the focus pattern would be matched against that graph.
            self.per_node = "it reads $this inside GRAPH before binding it"
        inserts.append((group.open_end, PLACEHOLDER))
        _, bound = self.walk(group, self.prebound, filter_extra, inserts)
        return bound

    def walk(
        self,
        group: Group,
        bound: frozenset[str],
        filter_extra: frozenset[str],
        inserts: list[tuple[int, str]],
    ) -> tuple[bool, frozenset[str]]:
        """(does this group read a pre-bound variable before it is bound, what it binds)."""
        problems = False
        state = set(bound)
        filters: list[Expression] = []
        for element in group.elements:
            kind = element.kind
            if kind == "triples":
                state |= element.variables & self.prebound
            elif kind == "bind":
                assert element.expression is not None
                problems |= not self.expression_ok(element.expression, frozenset(state))
            elif kind == "filter":
                assert element.expression is not None
                filters.append(element.expression)
            elif kind == "optional":
                inner = element.groups[0]
                if _group_variables(inner) & self.prebound - state:
                    problems = True
                else:
                    self.sub(inner, frozenset(state), inserts)
            elif kind == "union":
                branches = [self.sub(inner, frozenset(), inserts) for inner in element.groups]
                common = set.intersection(*(set(b) for b in branches))
                state |= common
            elif kind == "graph":
                self.in_graph += 1
                try:
                    state |= self.sub(element.groups[0], frozenset(), inserts)
                finally:
                    self.in_graph -= 1
                state |= element.variables & self.prebound
        final = frozenset(state) | filter_extra
        for expression in filters:
            problems |= not self.expression_ok(expression, final)
        return problems, frozenset(state)

    def expression_ok(self, expression: Expression, bound: frozenset[str]) -> bool:
        """EXISTS patterns see the outer bindings substituted, so only the outer state counts."""
        return not (_expression_variables(expression) & self.prebound - bound)


def plan(text: str, prebound: set[str], focus: set[str], ask: bool = False) -> Plan:
    """Plan a SELECT (or ASK validator) query whose `focus` and other `prebound` variables
    come from the focus pattern.
    """
    query = syntax.parse(text)
    if query.dataset_clause:
        raise ShapesError("SPARQL queries of shapes cannot name their dataset (FROM)")
    if ask != (query.form == "ASK"):
        raise ShapesError(f"expected {'an ASK' if ask else 'a SELECT'} query, found {query.form}")
    used = _group_variables(query.where)
    if query.select is not None:
        used |= set(query.select.projection)
        if query.select.group_by:
            used |= set(query.select.group_by)
    bound = frozenset((prebound & used) | focus)
    planner = _Planner(bound, frozenset(focus))
    inserts: list[tuple[int, str]] = []
    free_text = None
    if query.select is not None:
        planner.check_select(query.select, top=True)
        planner.select(query.select, inserts)
        select = query.select
        missing = (
            [] if select.star else [name for name in sorted(focus) if name not in select.projection]
        )
        projection = [(select.projection_end, "".join(f" ?{name}" for name in missing))]
        set_text = _apply(text, inserts + projection)
        node_text = _apply(text, inserts)
        if bound == frozenset(focus):
            free = _free(select, frozenset(focus))
            free_text = _apply(text, free + projection) if free is not None else None
    else:
        planner.forbid(query.where)
        inserts.append((query.where.open_end, PLACEHOLDER))
        planner.walk(query.where, bound, frozenset(), inserts)
        head = _ask_head(text)
        columns = " ".join(f"?{name}" for name in sorted(focus))
        body_start = query.where.open_end - 1
        set_text = _apply(text, inserts, head, f"SELECT DISTINCT {columns} WHERE ", body_start)
        node_text = set_text
    if planner.per_node is not None:
        return Plan(None, node_text, planner.per_node)
    return Plan(set_text, node_text, None, free_text)


def _free(select: Select, focus: frozenset[str]) -> list[tuple[int, str]] | None:
    """Insertions that let a query run without the focus pattern, if it binds $this itself."""
    if select.limited or (select.aggregates and select.group_by is None):
        return None
    if select.where.subselect is not None:
        return None
    planner = _Planner(focus, focus)
    inserts: list[tuple[int, str]] = []
    problems, bound = planner.walk(select.where, frozenset(), frozenset(), inserts)
    if problems or not focus <= bound or planner.per_node is not None:
        return None
    if select.group_by is not None and select.group_by_end is not None:
        missing = sorted(focus - set(select.group_by))
        if missing:
            inserts.append((select.group_by_end, "".join(f" ?{name}" for name in missing)))
    return inserts


def _ask_head(text: str) -> int:
    return syntax.prologue_end(text)


def _apply(
    text: str,
    inserts: list[tuple[int, str]],
    head: int | None = None,
    replacement: str = "",
    body_start: int = 0,
) -> str:
    pieces = []
    position = 0
    if head is not None:
        pieces.append(text[:head])
        pieces.append(" " + replacement)
        position = body_start
    for offset, insert in sorted(inserts, key=lambda item: item[0]):
        pieces.append(text[position:offset])
        pieces.append(f" {insert} ")
        position = offset
    pieces.append(text[position:])
    return "".join(pieces)
