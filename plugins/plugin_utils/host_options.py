# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How to reach a device over the direct SSH session (``direct_cli.DirectCli``), from what
the host has for ``network_cli``.

``connection_options(host, variables, play_context, templar, own)``:

* ``own=True`` (a task of the host itself, ``device_state_fast``): Ansible has already
  resolved the host's connection in ``play_context`` (its variables, the command line,
  ansible.cfg), as it does for network_cli; the variables fill what is unset.
* ``own=False`` (one task for every host, ``drift_batch``): ``play_context`` is another
  host's, so each option is resolved as network_cli's own option definitions say, from
  this host's variables, the environment and ansible.cfg (``C.config``), and the command
  line (``-u``, ``--private-key``, ``--become``); a password or become password typed at
  the prompt (``-k``, ``-K``) is taken only when the batch's own host did not override it
  with a variable, since that is the only way to know it came from the prompt.

Host key settings are libssh's (``ansible.netcommon.libssh``), as network_cli with libssh
reads them (see ``host_key.py``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible import constants as C
from ansible import context
from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.plugins.loader import connection_loader

from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils import host_key

LIBSSH = "ansible.netcommon.libssh"  # the connection network_cli uses with ansible_network_cli_ssh_type libssh
NETWORK_CLI = "ansible.netcommon.network_cli"
PASSWORD_VARS = ("ansible_password", "ansible_ssh_pass", "ansible_ssh_password")
BECOME_PASSWORD_VARS = ("ansible_become_password", "ansible_become_pass")


def _plugin_name(fqcn):
    plugin = connection_loader.get(fqcn, class_only=True)
    if plugin is None:
        raise AnsibleActionFail("the %s connection plugin (ansible.netcommon) is not installed" % fqcn)
    return plugin._load_name


def _variables(name, task_vars, templar):
    """The host's variables that a connection plugin's options read."""
    found = {}
    for var in C.config.get_plugin_vars("connection", name):
        if var in task_vars:
            found[var] = templar.template(task_vars[var]) if templar is not None else task_vars[var]
    return found


def _option(option, name, variables):
    try:
        return C.config.get_config_value(option, plugin_type="connection", plugin_name=name, variables=variables)
    except AnsibleError as exc:
        raise AnsibleActionFail("%s: %s" % (option, exc))


def host_key_settings(task_vars, templar=None):
    """``(host_key_checking, host_key_auto_add)`` as network_cli's libssh connection
    resolves them for this host: its variables (``ansible_host_key_checking``,
    ``ansible_ssh_host_key_checking``, ``ansible_libssh_host_key_checking``), then the
    environment (``ANSIBLE_HOST_KEY_CHECKING``...), then ansible.cfg (``[defaults]`` or
    ``[libssh_connection]``); checking is on by default."""
    name = _plugin_name(LIBSSH)
    variables = _variables(name, task_vars, templar)
    checking, auto_add = (_option(option, name, variables) for option in ("host_key_checking", "host_key_auto_add"))
    return checking is not False, bool(auto_add)


def _setting(task_vars, names, config_key):
    """A network_cli setting: the first host variable set, else Ansible's configuration."""
    for name in names:
        if task_vars.get(name) not in (None, ""):
            return task_vars[name]
    return C.config.get_config_value(config_key)


def _first(task_vars, names, templar):
    for name in names:
        if task_vars.get(name) not in (None, ""):
            return templar.template(task_vars[name]) if templar is not None else task_vars[name]
    return None


def _others(host, task_vars, play_context, templar, batch_vars):
    """Address, user, password and become of a host the batch resolves itself."""
    name = _plugin_name(NETWORK_CLI)
    variables = _variables(name, task_vars, templar)
    cli = context.CLIARGS
    prompted = _first(batch_vars, PASSWORD_VARS, templar) is None  # the batch host's password came from -k
    prompted_become = _first(batch_vars, BECOME_PASSWORD_VARS, templar) is None
    return {
        "host": _first(task_vars, ("ansible_host",), templar) or host,
        "port": int(_option("port", name, variables) or 22),
        "username": _option("remote_user", name, variables) or cli.get("remote_user"),
        "password": _first(task_vars, PASSWORD_VARS, templar) or (play_context.password if prompted else None),
        "become": bool(_option("become", name, variables) or cli.get("become")),
        "become_password": (_first(task_vars, BECOME_PASSWORD_VARS, templar)
                            or (play_context.become_pass if prompted_become else None)),
        "private_key_file": _option("private_key_file", name, variables) or cli.get("private_key_file"),
    }


def connection_options(host, task_vars, play_context, templar=None, own=True, batch_vars=None):
    """DirectCli keyword arguments for ``host`` (see the module docstring); ``batch_vars``:
    with ``own=False``, the variables of the host whose ``play_context`` this is."""
    checking, auto_add = host_key_settings(task_vars, templar)
    if own:
        found = {
            "host": play_context.remote_addr or task_vars.get("ansible_host") or task_vars["inventory_hostname"],
            "port": int(play_context.port or task_vars.get("ansible_port") or 22),
            "username": play_context.remote_user or task_vars.get("ansible_user"),
            "password": play_context.password or task_vars.get("ansible_password") or task_vars.get("ansible_ssh_pass"),
            "become": bool(play_context.become),
            "become_password": play_context.become_pass or task_vars.get("ansible_become_password"),
            "private_key_file": play_context.private_key_file,
        }
    else:
        found = _others(host, task_vars, play_context, templar, batch_vars or {})
    found.update({
        "host_key_checking": checking,
        "host_key_auto_add": auto_add,
        "known_hosts_file": host_key.default_known_hosts(),
        "network_os": task_vars.get("ansible_network_os"),
        "connect_timeout": int(_setting(task_vars, ("ansible_connect_timeout",), "PERSISTENT_CONNECT_TIMEOUT")),
        "command_timeout": int(_setting(task_vars, ("ansible_command_timeout",), "PERSISTENT_COMMAND_TIMEOUT")),
    })
    return found
