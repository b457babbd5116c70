"""Docs stay true to the code: every setting, command and stage is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.cli.main import app
from sanctionwatch.nlp.pipeline import DEFAULT_STAGES
from sanctionwatch.settings import describe_settings

ROOT = Path(__file__).resolve().parents[1]


def _command_names() -> list[str]:
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    names += [f"{g.name} {c.name}" for g in app.registered_groups for c in g.typer_instance.registered_commands]
    return names


@pytest.mark.parametrize(("name", "variable", "default", "help_text"), describe_settings())
def test_every_setting_is_documented(name, variable, default, help_text):
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert f"`{name}`" in text and f"`{variable}`" in text
    assert help_text, f"setting {name} has no help text"


@pytest.mark.parametrize("command", _command_names())
def test_every_command_is_in_the_readme(command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"sanctionwatch {command}" in readme


@pytest.mark.parametrize("stage", DEFAULT_STAGES)
def test_every_stage_is_in_the_architecture_doc(stage):
    assert f"`{stage}`" in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
