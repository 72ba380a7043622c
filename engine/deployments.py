"""Deploying diagrams and reading what was deployed: the facade's deployment half (a mixin of
``engine.facade.BpmnEngine``, like ``engine.operations``)."""

from __future__ import annotations

from pathlib import Path

from .bundles import bundles_in
from .db import Database
from .decisions import Decisions, DecisionTableView, table_view
from .definitions import DefinitionRepository, DeployResult
from .records import DefinitionView
from .templates import Templates, TemplateView, templates_of


class Deployments:
    db: Database
    definitions: DefinitionRepository

    def validate(
        self,
        xml: bytes,
        filename: str = "diagram.bpmn",
        decisions: Decisions = (),
        templates: Templates = (),
    ):
        with self.db.Session() as session:
            return self.definitions.validate(session, xml, filename, decisions, templates)[1]

    def deploy(
        self,
        xml: bytes,
        filename: str,
        user: str | None = None,
        force: bool = False,
        decisions: Decisions = (),
        create_roles: bool = False,
        note: str = "",
        templates: Templates = (),
    ) -> list[DeployResult]:
        """Deploy a diagram with the ``.dmn`` files and letter templates (name, bytes) it uses,
        in one transaction; roles it names that are not known are refused, or added when
        ``create_roles``; ``note`` (what changed, in the analyst's words) is kept with each
        new version."""
        with self.db.transaction() as session:
            return self.definitions.deploy(
                session,
                xml,
                filename,
                user,
                force,
                decisions=decisions,
                create_roles=create_roles,
                note=note,
                templates=templates,
            )

    def deploy_path(
        self,
        path: str | Path,
        user: str | None = None,
        create_roles: bool = False,
        note: str = "",
    ) -> list[DeployResult]:
        """Deploy a ``.bpmn`` file or a directory's with their bundles (``engine.bundles``: the
        ``.dmn`` files beside them, the templates and roles of the folder named as the diagram),
        all in one transaction: a refused file leaves nothing of the others deployed. ``note``
        is the change note kept with each new version."""
        results: list[DeployResult] = []
        bundles = bundles_in(Path(path))
        with self.db.transaction() as session:
            for bundle in bundles:
                results.extend(
                    self.definitions.deploy(
                        session,
                        bundle.diagram.read_bytes(),
                        bundle.diagram.name,
                        user,
                        decisions=bundle.decisions,
                        create_roles=create_roles,
                        templates=bundle.templates,
                        roles=bundle.roles,
                        note=note,
                    )
                )
        return results

    def definition_templates(self, process_id: str, version: int) -> list[TemplateView]:
        """The letter templates deployed with a version (file, size, placeholders)."""
        with self.db.Session() as session:
            definition = self.definitions.get(session, process_id, version)
            return self.definitions.templates(session, definition.id)

    def definition_decisions(self, process_id: str, version: int) -> list[DecisionTableView]:
        """The DMN decision tables deployed with a version, as the model page shows them."""
        with self.db.Session() as session:
            definition = self.definitions.get(session, process_id, version)
            texts = self.definitions.decisions(session, definition.id)
        return [v for v in (table_view(n, t) for n, t in sorted(texts.items())) if v is not None]

    def definition_decision_files(self, process_id: str, version: int) -> dict[str, str]:
        """{filename: DMN text} deployed with a version (what the DMN editor opens)."""
        with self.db.Session() as session:
            definition = self.definitions.get(session, process_id, version)
            return self.definitions.decisions(session, definition.id)

    def definition_template(self, process_id: str, version: int, filename: str) -> bytes | None:
        """The bytes of one letter template of a version (None when it has no such file)."""
        with self.db.Session() as session:
            definition = self.definitions.get(session, process_id, version)
            found = templates_of(session, definition.id).get(filename)
            return found.content if found is not None else None

    def list_definitions(self) -> list[DefinitionView]:
        with self.db.transaction() as session:
            return [DefinitionView.of(d) for d in self.definitions.list(session)]

    def definition_xml(self, process_id: str, version: int | None = None) -> str:
        with self.db.transaction() as session:
            definition = (
                self.definitions.get(session, process_id, version)
                if version
                else self.definitions.latest(session, process_id)
            )
            return definition.bpmn_xml
