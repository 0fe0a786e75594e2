"""module_defaults for the collection's NetBox actions (meta/runtime.yml action_groups):
NetBox's URL and token, set once for a play with none in the environment, reach every
action of the group."""

import yaml

from conftest import ROOT, VENV_BIN, lab_env, run


def options(name):
    text = (ROOT / "plugins" / "modules" / (name + ".py")).read_text()
    return yaml.safe_load(text.split('DOCUMENTATION = r"""', 1)[1].split('"""', 1)[0])["options"]


def test_module_defaults_set_netbox_url_and_token_once(lab, tmp_path):
    env = lab_env()
    group = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())["action_groups"]["netbox"]
    assert group == ["netbox_state", "drift_apply"]
    for action in group:  # each takes what the defaults set
        assert {"url", "token", "validate_certs", "timeout"} <= set(options(action)), action
    host = lab["expected"][0]["device"]
    play = [{
        "name": "NetBox given once, by module_defaults", "hosts": "localhost", "gather_facts": False,
        "module_defaults": {"group/truthloop.netbox_drift.netbox": {"url": env["NETBOX_API"],
                                                                    "token": env["NETBOX_TOKEN"], "timeout": 120}},
        "tasks": [
            {"name": "Read one device", "truthloop.netbox_drift.netbox_state": {"hosts": [host]},
             "register": "found"},
            {"name": "It was read", "ansible.builtin.assert": {"that": [
                "found.netbox_state['%s'].device == '%s'" % (host, host), "found.missing == []"]}},
            {"name": "A task's own value wins", "truthloop.netbox_drift.netbox_state": {
                "hosts": [host], "token": "nbt_notakey000000.notthesecretnotthesecretnotthesecret0"},
             "register": "refused", "ignore_errors": True},
            {"name": "It was refused", "ansible.builtin.assert": {"that": [
                "refused.failed", "'NetBox refused the token' in refused.msg"]}},
        ],
    }]
    (tmp_path / "play.yml").write_text(yaml.safe_dump(play, sort_keys=False))
    proc = run([VENV_BIN / "ansible-playbook", "-i", "localhost,", tmp_path / "play.yml"],
               NETBOX_API="", NETBOX_URL="", NETBOX_TOKEN="")
    assert "failed=0" in proc.stdout and "ignored=1" in proc.stdout
    assert env["NETBOX_TOKEN"].rsplit(".", 1)[-1] not in proc.stdout + proc.stderr
