"""Interface names: aliases share one key; the device's own long spelling is kept."""

import pytest
from hypothesis import given, strategies as st

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import names


@pytest.mark.parametrize("left, right", [
    ("Gi1/0/1", "GigabitEthernet1/0/1"),
    ("Te1/1/1", "TenGigabitEthernet1/1/1"),
    ("Eth1/1", "Ethernet1/1"),
    ("Et1", "Ethernet1"),
    ("Po1", "Port-channel1"),
    ("Port-Channel1", "port-channel1"),
    ("Vl10", "Vlan10"),
    ("ge-0/0/1.0", "ge-0/0/1"),
    ("xe-0/2/1.0", "xe-0/2/1"),
    ("lo0.0", "lo0"),
    ("Ma1", "Management1"),
])
def test_aliases_share_a_key(left, right):
    assert names.same(left, right)


@pytest.mark.parametrize("left, right", [
    ("Gi1/0/1", "Gi1/0/10"),
    ("irb.10", "irb"),
    ("ge-0/0/1.100", "ge-0/0/1"),
    ("Ethernet1", "Ethernet1/1"),
])
def test_different_interfaces_differ(left, right):
    assert not names.same(left, right)


@pytest.mark.parametrize("name, platform, expected", [
    ("Gi1/0/1", "cisco_ios", "GigabitEthernet1/0/1"),
    ("Port-Channel1", "arista_eos", "Port-Channel1"),
    ("mgmt0", "cisco_nxos", "mgmt0"),
    ("lo0", "juniper_junos", "lo0"),
    ("ge-0/0/3.0", "juniper_junos", "ge-0/0/3"),
    ("irb.10", "juniper_junos", "irb.10"),
])
def test_long_name_keeps_the_platform_spelling(name, platform, expected):
    assert names.long_name(name, platform) == expected


@given(st.text(max_size=30))
def test_any_string_has_a_stable_key(text):
    assert isinstance(names.key(text), str)
    assert names.key(names.long_name(text)) == names.key(text)


@given(st.from_regex(r"(Gi|GigabitEthernet|Te|Eth|Ethernet|Po|Port-channel)[1-9]/[0-9]{1,2}", fullmatch=True))
def test_long_name_round_trips(name):
    long = names.long_name(name)
    assert names.key(long) == names.key(name)
    assert names.long_name(long) == long
