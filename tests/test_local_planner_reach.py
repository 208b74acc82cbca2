"""Every tool is reachable by chat: some policy of the local planner calls it (directly, or through the
form of a WRITE tool), so nothing is REST-only. A tool added without a way to reach it fails this test."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from agent.planners.local.policy import load_policies
from tools.registry import REGISTRY, load_all_tools

LOCAL = Path(__file__).resolve().parent.parent / "agent" / "planners" / "local"


def _called_by_policies() -> set[str]:
    source = "".join(p.read_text() for p in (LOCAL / "policies").glob("*.py"))
    constants = dict(re.findall(r'^([A-Z_]+) = "([a-z_]+)"$', source, re.MULTILINE))
    direct = set(re.findall(r'Call\(\s*"([a-z_]+)"', source))
    via_constant = {constants[name] for name in re.findall(r"Call\(\s*(?:[a-z_]+\.)?([A-Z_]+)\b", source)
                    if name in constants}
    forms = yaml.safe_load((LOCAL / "dialogue" / "forms.yml").read_text())
    return direct | via_constant | {form["tool"] for form in forms.values()}


def test_every_registered_tool_is_reachable_by_chat() -> None:
    load_all_tools()
    unreachable = sorted(set(REGISTRY) - _called_by_policies())
    assert unreachable == [], f"tools no local-planner policy can call: {unreachable}"


def test_every_intent_of_the_domain_has_a_policy() -> None:
    domain = yaml.safe_load((LOCAL / "nlu" / "domain.yml").read_text())
    policies = load_policies()
    assert sorted(set(domain["intents"]) - set(policies)) == []


def test_the_forms_name_registered_write_tools() -> None:
    load_all_tools()
    forms = yaml.safe_load((LOCAL / "dialogue" / "forms.yml").read_text())
    assert sorted({f["tool"] for f in forms.values()} - set(REGISTRY)) == []
