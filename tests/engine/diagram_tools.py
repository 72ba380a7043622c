"""Deploying the small diagrams of tests/engine/diagrams and driving them with a restore per step."""

from __future__ import annotations

from pathlib import Path

DIAGRAMS = Path(__file__).resolve().parent / "diagrams"


def deploy(engine, name: str, xml: bytes | None = None):
    return engine.deploy(xml or (DIAGRAMS / name).read_bytes(), name)


def forget(engine) -> None:
    """Drop the in-memory workflows and specs: the next action restores from the stored JSON."""
    engine.instances.cache.clear()
    engine.definitions._specs.clear()


def open_tasks(engine, instance_id: int, element_id: str | None = None):
    forget(engine)
    tasks = engine.tasks(instance_id=instance_id)
    return [t for t in tasks if element_id is None or t.element_id == element_id]


def complete(engine, instance_id: int, element_id: str, user: str, data: dict | None = None):
    """Complete the first open task of ``element_id`` after a save/restore."""
    tasks = open_tasks(engine, instance_id, element_id)
    assert tasks, (
        f"no open task {element_id} in {[t.element_id for t in open_tasks(engine, instance_id)]}"
    )
    forget(engine)
    return engine.complete(tasks[0].id, user, data or {})
