"""VLAN sets: trunk statements folded in order, ranges, 'all' kept symbolic."""

import pytest
from hypothesis import given, strategies as st

from ansible_collections.truthloop.netbox_drift.plugins.module_utils import vlans

VIDS = st.sets(st.integers(min_value=1, max_value=4094), max_size=60)


@pytest.mark.parametrize("statements, expected", [
    ([], "all"),
    (["all"], "all"),
    (["none"], []),
    (["1-5,7"], [1, 2, 3, 4, 5, 7]),
    (["10,20", "add 30"], [10, 20, 30]),
    (["10-12", "remove 11"], [10, 12]),
    (["except 1-4093"], [4094]),
    (["except 5", "add 5"], "all"),
    (["none", "add 10"], [10]),
    (["10", "20"], [20]),  # a bare list replaces on IOS/EOS/NX-OS
])
def test_trunk_statements(statements, expected):
    assert vlans.evaluate(statements) == expected


def test_junos_members_add_up_and_resolve_names():
    names = {"USERS": 10, "VOICE": 20}.get
    assert vlans.evaluate(["USERS", "VOICE", "30-31"], names, additive=True) == [10, 20, 30, 31]
    with pytest.raises(vlans.VlanError, match="unknown VLAN name"):
        vlans.evaluate(["NOPE"], names, additive=True)


@pytest.mark.parametrize("text", ["1-", "a,b", "5-2", "0", "4095", "1--3"])
def test_bad_lists_raise_vlan_error(text):
    with pytest.raises(vlans.VlanError):
        vlans.parse_list(text)


@given(VIDS)
def test_compress_round_trips(vids):
    assert vlans.parse_list(vlans.compress(sorted(vids))) == (sorted(vids) if len(vids) < 4094 else "all")


@given(VIDS, VIDS)
def test_add_and_remove_are_set_operations(first, second):
    start = vlans.compress(sorted(first)) if first else "none"
    added = vlans.evaluate([start, "add " + (vlans.compress(sorted(second)) if second else "none")])
    removed = vlans.evaluate([start, "remove " + (vlans.compress(sorted(second)) if second else "none")])
    assert added == sorted(first | second)
    assert removed == sorted(first - second)


@given(st.text(max_size=40))
def test_any_string_gives_a_set_or_vlan_error(text):
    try:
        result = vlans.evaluate([text])
    except vlans.VlanError:
        return
    assert result == "all" or all(1 <= v <= 4094 for v in result)


def test_all_is_never_expanded():
    assert vlans.evaluate(["1-4094"]) == "all"
    assert vlans.union([10], "all") == "all"
    assert vlans.compress("all") == "all"
