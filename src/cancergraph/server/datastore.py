"""The server's on-disk store, its first-run contents, writes and read snapshots.

Reads run in worker processes on read-only snapshots (RocksDB checkpoints made
with Store.backup, hard links, cheap), so a runaway query can be killed without
touching the primary store. Every write is one pyoxigraph transaction, after
which a new snapshot generation is published. A read holds a lease on the
snapshot it was given until it has finished, however many writes are published
while it waits for a worker; a snapshot is deleted once it is neither the
current one nor leased.
"""

from __future__ import annotations

import gc
import shutil
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from cancergraph import queries, resources, store
from cancergraph.errors import UserError

GRAPH_BASE = "https://w3id.org/cancergraph/graph/"
ONTOLOGY_GRAPH = GRAPH_BASE + "ontology"


class WriteError(UserError):
    """A write that was refused; nothing was changed."""


def example_graph_name(path: Path) -> str:
    return f"{GRAPH_BASE}examples/{path.parent.name}/{path.stem}"


def file_graph_name(path: Path) -> str:
    return f"{GRAPH_BASE}files/{path.stem}"


@dataclass(frozen=True)
class Snapshot:
    generation: int
    path: Path


class DataStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.primary_path = directory / "db"
        self.snapshots_path = directory / "snapshots"
        self.primary_path.mkdir(parents=True, exist_ok=True)
        self.snapshots_path.mkdir(parents=True, exist_ok=True)
        self.store = ox.Store(str(self.primary_path))
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._leases: Counter[Path] = Counter()
        self._lease_lock = threading.Lock()  # the leases; never held across a write

    def is_empty(self) -> bool:
        return next(iter(self.store.quads_for_pattern(None, None, None, None)), None) is None

    def seed(self) -> list[str]:
        """First-run contents: the ontology and each example setup in its own named graph."""
        loaded = []
        graph = ox.NamedNode(ONTOLOGY_GRAPH)
        ontology = [
            q
            for path in resources.ontology_files()
            for q in store.parse_source(store.Source.from_path(path))
        ]
        self._write(graph, _replace(graph, ontology), publish=False)
        loaded.append(ONTOLOGY_GRAPH)
        for path in sorted(resources.examples_dir().glob("*/*.ttl")):
            name = example_graph_name(path)
            quads = store.parse_source(store.Source.from_path(path))
            target = ox.NamedNode(name)
            self._write(target, _replace(target, quads), publish=False)
            loaded.append(name)
        self._publish_now()
        return loaded

    def load_files(self, paths: list[Path]) -> list[str]:
        parsed = [(path, store.parse_source(store.Source.from_path(path))) for path in paths]
        names = []
        for path, quads in parsed:
            name = file_graph_name(path)
            target = ox.NamedNode(name)
            self._write(target, _replace(target, quads), publish=False)
            names.append(name)
        self._publish_now()
        return names

    # -- writes: each one transaction -------------------------------------

    def update(self, text: str) -> None:
        queries.refuse_outgoing(text)
        with self._lock:
            try:
                self.store.update(text)
            except SyntaxError as err:
                raise WriteError(queries.syntax_message(err, "update", text, update=True)) from None
            except (ValueError, OSError, RuntimeError) as err:
                # RuntimeError: an operation that fails as it runs (CREATE of a graph that
                # exists); the transaction is rolled back, so nothing was changed
                raise WriteError(f"the update failed, and nothing was changed: {err}") from None
            self._publish()

    def put_graph(self, graph: ox.NamedNode | ox.DefaultGraph, quads: list[ox.Quad]) -> bool:
        """Replace a graph's contents in one transaction; whether the graph existed."""
        return self._write(graph, _replace(graph, quads))

    def add_to_graph(self, graph: ox.NamedNode | ox.DefaultGraph, quads: list[ox.Quad]) -> bool:
        """Add to a graph in one transaction; whether the graph existed."""
        return self._write(graph, _insert(graph, quads))

    def delete_graph(self, graph: ox.NamedNode | ox.DefaultGraph) -> bool:
        """Drop a graph; whether it existed (a graph that did not is left alone)."""
        return self._write(graph, _drop(graph), only_if_exists=True)

    def _write(
        self,
        graph: ox.NamedNode | ox.DefaultGraph,
        update: str,
        publish: bool = True,
        only_if_exists: bool = False,
    ) -> bool:
        """Run a write on a graph; whether the graph existed when it ran.

        The graph is looked for under the write lock, so that of two writes that
        create a graph at once only the first says it created it (201).
        """
        with self._lock:
            existed = self.graph_exists(graph)
            if existed or not only_if_exists:
                self.store.update(update)
                if publish:
                    self._publish()
            return existed

    def _publish_now(self) -> None:
        with self._lock:
            self._publish()

    # -- reads ---------------------------------------------------------------

    def graph_exists(self, graph: ox.NamedNode | ox.DefaultGraph) -> bool:
        if isinstance(graph, ox.DefaultGraph):
            return True
        return self.store.contains_named_graph(graph)

    def graph_quads(self, graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
        return list(self.store.quads_for_pattern(None, None, None, graph))

    def named_graphs(self) -> list[str]:
        return sorted(graph.value for graph in self.store.named_graphs())

    def snapshot(self) -> Snapshot:
        """The current snapshot, for a glance (its generation); reads use `reading`.

        Neither this nor `reading` waits for a write in progress (which holds the write
        lock through its transaction and backup): they take the snapshot published last.
        """
        found = self._snapshot
        if found is not None:
            return found
        with self._lock:
            return self._current()

    @contextmanager
    def reading(self) -> Iterator[Snapshot]:
        """The current snapshot, kept on disk until the block ends."""
        self.snapshot()  # published once, before any lease
        with self._lease_lock:
            # read again under the lock: a write may have published (and pruned) meanwhile
            snapshot = self._snapshot
            assert snapshot is not None
            self._leases[snapshot.path] += 1
        try:
            yield snapshot
        finally:
            with self._lease_lock:
                self._leases[snapshot.path] -= 1
                last = self._leases[snapshot.path] <= 0
                if last:
                    del self._leases[snapshot.path]
                # only the last read of a superseded snapshot has anything to delete; the
                # folder listing of a full prune is left to writes, off the event loop
                stale = last and self._snapshot is not None and snapshot != self._snapshot
            if stale:
                shutil.rmtree(snapshot.path, ignore_errors=True)

    def _current(self) -> Snapshot:
        if self._snapshot is None:
            self._publish()
        assert self._snapshot is not None
        return self._snapshot

    def _publish(self) -> None:
        """Make a new read snapshot; drop the older ones no read holds."""
        generation = (self._snapshot.generation + 1) if self._snapshot else _latest(self) + 1
        target = self.snapshots_path / f"g{generation:08d}"
        if target.exists():
            shutil.rmtree(target)
        self.store.flush()
        self.store.backup(str(target))
        # set before pruning: a read that leases from now on gets this one
        self._snapshot = Snapshot(generation, target)
        self._prune()

    def _prune(self) -> None:
        """Delete the snapshots that are neither current nor leased. A snapshot that is
        neither can never be leased again (reads lease the current one), so the folders
        are chosen under the lease lock and deleted outside it."""
        with self._lease_lock:
            current = self._snapshot.path if self._snapshot else None
            stale = [
                folder
                for folder in self.snapshots_path.glob("g*")
                if folder != current and folder not in self._leases
            ]
        for folder in stale:
            shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        """Flush and release the store, so that the directory's lock is freed."""
        self.store.flush()
        del self.store
        gc.collect()


def _latest(datastore: DataStore) -> int:
    found = [int(p.name[1:]) for p in datastore.snapshots_path.glob("g*") if p.name[1:].isdigit()]
    return max(found, default=0)


def _graph_keyword(graph: ox.NamedNode | ox.DefaultGraph) -> str:
    return "DEFAULT" if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph}"


def _drop(graph: ox.NamedNode | ox.DefaultGraph) -> str:
    return f"DROP SILENT {_graph_keyword(graph)}"


def _replace(graph: ox.NamedNode | ox.DefaultGraph, quads: list[ox.Quad]) -> str:
    return f"{_drop(graph)} ;\n{_insert(graph, quads)}"


def _insert(graph: ox.NamedNode | ox.DefaultGraph, quads: list[ox.Quad]) -> str:
    """INSERT DATA from parsed terms, written in N-Triples syntax by pyoxigraph itself.

    A named graph is created first, so that one written with no triples (an empty
    PUT or POST) exists afterwards, as the 201 that answers the write says.
    """
    body = "\n".join(f"{q.subject} {q.predicate} {_term(q.object)} ." for q in quads)
    if isinstance(graph, ox.DefaultGraph):
        return f"INSERT DATA {{\n{body}\n}}"
    return f"CREATE SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}"


def _term(term: ox.Term) -> str:
    """A term in SPARQL's syntax: pyoxigraph writes a triple term as its three terms,
    without the <<( )>> that make it one."""
    if isinstance(term, ox.Triple):
        return f"<<( {term.subject} {term.predicate} {_term(term.object)} )>>"
    return str(term)
