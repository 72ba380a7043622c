"""The composition root: the known topics are what the plug-ins registered; mistakes fail at start."""

from __future__ import annotations

import types

import click
import pytest

from engine.plugins import Registration, RegistrationError
from web.cli import cli
from web.composition import PLUGINS, install_commands, registration


def test_the_known_topics_are_the_registered_ones():
    assert registration().topics() == (
        "archive.store",
        "complaints.log",
        "notify.send",
        "reports.render",
        "reports.sign",
        "warehouse.aggregate",
        "warehouse.grant",
    )


def test_the_data_request_documents_come_from_its_package():
    declared = registration()
    assert declared.owners["document surat_dan_lampiran"] == "datarequest.plugin"
    assert declared.owners["table complaints"] == "complaints.plugin"
    assert declared.owners["table datasets"] == "warehouse.plugin"


def test_a_topic_declared_twice_refuses_to_start():
    twice = types.ModuleType("twice")
    twice.register = lambda reg: reg.topic("notify.send", lambda call: None)
    with pytest.raises(RegistrationError, match="topic notify.send is declared twice"):
        Registration().add_all((*PLUGINS, twice))


def test_a_plugin_without_register_refuses_to_start():
    with pytest.raises(RegistrationError, match="has no register"):
        Registration().add(types.ModuleType("leer"))


def test_a_command_for_a_missing_group_refuses_to_start():
    stray = types.ModuleType("stray")
    stray.register = lambda reg: reg.command(click.Command("x"), group="nope")
    declared = Registration()
    declared.add(stray)
    with pytest.raises(RegistrationError, match="no command group 'nope'"):
        install_commands(click.Group(), declared)


def test_the_complaint_log_command_joins_the_report_group():
    assert "log-pengaduan" in cli.commands["report"].commands
    assert {"warehouse", "report", "documents", "document", "seed-demo"} <= set(cli.commands)
