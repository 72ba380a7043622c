"""Compiled page templates shared by every app of one process (a Jinja bytecode cache in memory).

Each Flask app has its own Jinja environment, which lexes, parses and generates Python for every
template again on first use. A process that builds more than one app paid that again for each:
the test suite builds one per test (35 s of the workers' time, by py-spy), and commands build one
beside a server's. Jinja keys a template's code by its name and checks it against a checksum of
the source, so an edited template is compiled anew. Every app of the process comes from
``create_app`` with the same Jinja options, so the generated code is the same for each.
"""

from __future__ import annotations

from types import CodeType

from jinja2.bccache import Bucket, BytecodeCache


class ProcessBytecodeCache(BytecodeCache):
    """The code objects Jinja generated, by template key, with the source checksum they came from."""

    def __init__(self) -> None:
        self._compiled: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self._compiled.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._compiled[bucket.key] = (bucket.checksum, bucket.code)

    def clear(self) -> None:
        self._compiled.clear()


#: the one cache of this process, given to every app's Jinja environment
COMPILED_TEMPLATES = ProcessBytecodeCache()
