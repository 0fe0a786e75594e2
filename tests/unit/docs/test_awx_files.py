"""docs/awx/: the NetBox credential type as AWX takes it, and what it injects is what the
inventory source and the collection read.

AWX validates a custom credential type's inputs and injectors against a JSON schema and a
few rules (awx/main/fields.py, CredentialTypeInputField and CredentialTypeInjectorField);
the schema below states those rules, and the injector templates are rendered the way AWX
renders them, in a sandbox that fails on any name the inputs do not define."""

import pathlib

import jinja2
import jinja2.sandbox
import jsonschema
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[3]
CREDENTIAL = yaml.safe_load((ROOT / "docs" / "awx" / "netbox-credential-type.yml").read_text())
NAME = "^[a-zA-Z_]+[a-zA-Z0-9_]*$"
INPUTS = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "required": {"type": "array", "items": {"type": "string"}},
        "fields": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["id", "label"],
            "properties": {
                "type": {"enum": ["string", "boolean"]}, "format": {"enum": ["ssh_private_key", "url"]},
                "choices": {"type": "array", "minItems": 1, "items": {"type": "string"}, "uniqueItems": True},
                "id": {"type": "string", "pattern": NAME}, "label": {"type": "string"},
                "help_text": {"type": "string"}, "multiline": {"type": "boolean"}, "secret": {"type": "boolean"},
                "ask_at_runtime": {"type": "boolean"}, "default": {}}}}}}
INJECTORS = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "file": {"type": "object", "additionalProperties": False,
                 "patternProperties": {r"^template(\.[a-zA-Z_]+[a-zA-Z0-9_]*)?$": {"type": "string"}}},
        "env": {"type": "object", "additionalProperties": False,
                "patternProperties": {NAME: {"type": "string", "pattern": "^[\x00-\x7f]*$"}}},
        "extra_vars": {"type": "object", "additionalProperties": False,
                       "patternProperties": {r"^[a-zA-Z_\{\}]+[a-zA-Z0-9_\{\}]*$": {"type": "string"}}}}}


def fields():
    return dict((f["id"], f) for f in CREDENTIAL["inputs"]["fields"])


def test_inputs_follow_awx_rules():
    jsonschema.validate(CREDENTIAL["inputs"], INPUTS)
    ids = [f["id"] for f in CREDENTIAL["inputs"]["fields"]]
    assert len(ids) == len(set(ids)) and "tower" not in ids
    assert set(CREDENTIAL["inputs"]["required"]) <= set(ids)
    for field in fields().values():
        kind = field.get("type", "string")
        assert kind == "string" or not set(field) & {"choices", "multiline", "format", "secret"}, field
        if "default" in field:
            assert isinstance(field["default"], {"string": str, "boolean": bool}[kind]), field
    assert fields()["netbox_token"]["secret"] is True
    assert CREDENTIAL["kind"] == "cloud"


@pytest.mark.parametrize("section", ["env", "extra_vars"])
def test_injectors_follow_awx_rules_and_use_only_defined_inputs(section):
    jsonschema.validate(CREDENTIAL["injectors"], INJECTORS)
    sandbox = jinja2.sandbox.ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined)
    namespace = dict((name, "EXAMPLE") for name in fields())
    for name, template in CREDENTIAL["injectors"][section].items():
        assert not name.startswith("ANSIBLE_"), name
        assert sandbox.from_string(template).render(namespace) == "EXAMPLE", (name, template)
    with pytest.raises(jinja2.UndefinedError):
        sandbox.from_string("{{ not_an_input }}").render(namespace)


def test_what_it_injects_is_what_the_inventory_source_and_the_collection_read():
    env = CREDENTIAL["injectors"]["env"]
    assert env == {"NETBOX_API": "{{ netbox_api }}", "NETBOX_TOKEN": "{{ netbox_token }}"}
    source = ROOT / ".deps" / "ansible_collections" / "netbox" / "netbox" / "plugins" / "inventory" / "nb_inventory.py"
    if source.exists():  # netbox.netbox's inventory plugin reads the same two variables
        doc = yaml.safe_load(source.read_text().split('DOCUMENTATION = """', 1)[1].split('"""', 1)[0])
        assert [e["name"] for e in doc["options"]["api_endpoint"]["env"]][0] == "NETBOX_API"
        assert "NETBOX_TOKEN" in [e["name"] for e in doc["options"]["token"]["env"]]
    defaults = (ROOT / "roles" / "drift_check" / "defaults" / "main.yml").read_text()
    assert "lookup('ansible.builtin.env', 'NETBOX_API')" in defaults
    assert "lookup('ansible.builtin.env', 'NETBOX_TOKEN')" in defaults
    specs = yaml.safe_load((ROOT / "roles" / "drift_check" / "meta" / "argument_specs.yml").read_text())
    options = specs["argument_specs"]["main"]["options"]
    for name in CREDENTIAL["injectors"]["extra_vars"]:
        assert name in options, name
