"""Write the lab's Ansible inventory: netbox.netbox.nb_inventory on the lab NetBox.

What NetBox holds stays realistic (primary IPs in 10.250.0.0/16); what only the lab
needs sits beside the inventory source, where Ansible reads it for that source:
``host_vars/<device>.yml`` sends each device to its emulator port on 127.0.0.1 and
``group_vars/`` holds the network_cli settings and the lab credentials.
"""

import os
import pathlib

import yaml

from lab.dataset import NETWORK_OS

# network_cli needs enable on IOS; the other platforms log in privileged.
BECOME = {"cisco_ios": {"ansible_become": True, "ansible_become_method": "ansible.netcommon.enable"}}


def _write(path, data, mode=0o644):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("---\n")
        yaml.safe_dump(data, handle, sort_keys=False, default_flow_style=False)
    os.replace(tmp, path)


def nb_inventory_source(api_url, token):
    """The nb_inventory configuration: devices only, platform mapped to network_os."""
    mapping = ", ".join(f"'{slug}': '{nos}'" for slug, nos in NETWORK_OS.items())
    return {
        "plugin": "netbox.netbox.nb_inventory",
        "api_endpoint": api_url,
        "token": token,
        "validate_certs": False,
        "plurals": False,
        "config_context": False,
        "interfaces": False,
        "services": False,
        "racks": False,
        "device_query_filters": [{"has_primary_ip": "true"}],
        "group_by": ["site", "platform", "role"],
        # compose sees NetBox's own objects: platform is {id, name, slug, ...} here
        "compose": {"ansible_network_os": f"{{{mapping}}}.get((platform or {{}}).get('slug'), 'unsupported')"},
        "strict": True,  # a compose expression that fails must fail the inventory, not vanish
    }


def write(state_dir, api_url, token, ports, username, password):
    """Write ``inventory.yml``, ``host_vars/`` and ``group_vars/`` under ``state_dir``."""
    state_dir = pathlib.Path(state_dir)
    _write(state_dir / "inventory.yml", nb_inventory_source(api_url, token), mode=0o600)
    for stale in (state_dir / "host_vars").glob("*.yml"):
        stale.unlink()
    for name, port in ports.items():
        _write(state_dir / "host_vars" / f"{name}.yml", {"ansible_host": "127.0.0.1", "ansible_port": port})
    _write(state_dir / "group_vars" / "all.yml", {
        "ansible_connection": "ansible.netcommon.network_cli",
        "ansible_network_cli_ssh_type": "libssh",
        "ansible_user": username,
        "ansible_password": password,
        "ansible_host_key_checking": False,
    }, mode=0o600)
    for platform, extra in BECOME.items():
        _write(state_dir / "group_vars" / f"platform_{platform}.yml", extra)
    return state_dir / "inventory.yml"
