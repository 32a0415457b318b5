"""The emulator's store: lookups stay index searches however many documents it holds."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kontent_resources.emulator.store import Store, Tx


def _plan_of_lookup(store: Store, lookup: str, *args: str) -> str:
    """SQLite's plan for the statement ``Tx.<lookup>`` runs, with its own arguments."""
    statements: list[str] = []
    with store.transaction() as tx:
        tx._conn.set_trace_callback(statements.append)
        try:
            getattr(tx, lookup)(*args)
        finally:
            tx._conn.set_trace_callback(None)
        query = next(s for s in statements if s.startswith("SELECT"))
        plan = tx._conn.execute(f"EXPLAIN QUERY PLAN {query}").fetchall()
    return " / ".join(str(row[-1]) for row in plan)


def _store_with_assets(data_dir: Path, count: int) -> Store:
    store = Store(data_dir)

    def fill(tx: Tx) -> None:
        for n in range(count):
            doc = {"id": f"a{n}", "external_id": f"ext-{n}", "codename": f"asset_{n}"}
            tx.put("asset", doc, folder=f"folder-{n % 10}")

    store.run_sync(fill)
    return store


@pytest.mark.parametrize("column", ["external_id", "codename", "folder"])
def test_a_lookup_searches_its_index_not_every_document_of_the_kind(tmp_path: Path, column: str) -> None:
    store = _store_with_assets(tmp_path, 200)
    try:
        plan = _plan_of_lookup(store, "find", "asset", column, "x")
    finally:
        store.close()
    assert plan.startswith("SEARCH"), plan
    assert f"{column}=?" in plan, plan


def test_a_data_dir_of_an_earlier_version_gets_the_lookup_indexes(tmp_path: Path) -> None:
    """Indexes without ``seq`` (as written before) are replaced when the store opens."""
    _store_with_assets(tmp_path, 10).close()
    with sqlite3.connect(tmp_path / "emulator.sqlite3") as conn:
        conn.execute("DROP INDEX docs_ext_seq")
        conn.execute("CREATE INDEX docs_ext ON docs (kind, external_id)")
    store = Store(tmp_path)
    try:
        plan = _plan_of_lookup(store, "find", "asset", "external_id", "ext-3")
        found = store.run_sync(lambda tx: tx.find("asset", "external_id", "ext-3"))
    finally:
        store.close()
    assert "docs_ext_seq" in plan, plan
    assert found is not None
    assert found["id"] == "a3"
