"""The in-process cache of restored workflows, keyed by instance id and row version.

``InstanceStore.load`` takes the cached workflow when its row version is the one just read, and
``InstanceStore.remember`` puts it back after a successful commit; a workflow is out of the cache
while an action uses it, so two threads never share one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from SpiffWorkflow.bpmn import BpmnWorkflow


class WorkflowCache:
    """instance id -> (row_version, workflow). A workflow is taken out while in use."""

    def __init__(self, capacity: int = 512) -> None:
        self.capacity = capacity
        self._items: OrderedDict[int, tuple[int, BpmnWorkflow]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, instance_id: int, version: int) -> BpmnWorkflow | None:
        with self._lock:
            item = self._items.pop(instance_id, None)
        if item is not None and item[0] == version:
            return item[1]
        return None

    def put(self, instance_id: int, version: int, workflow: BpmnWorkflow) -> None:
        with self._lock:
            self._items[instance_id] = (version, workflow)
            self._items.move_to_end(instance_id)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
