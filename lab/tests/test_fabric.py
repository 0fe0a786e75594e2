"""The fabric replay: captures answered byte for byte, and NetBox's side converted from the
fabric's own AVD intent without the collection's parsers."""

import ast
import os
import pathlib

import pytest

from lab import avd, fabric, scenario

HERE = pathlib.Path(__file__).resolve().parent
DEPLOYED = ("11_evpn_vxlan", "avd_sym_sa_multihoming", "mpls_evpn_irb", "mpls_ldp_l2evpn")

if not fabric.fabrics_dir().is_dir():  # CI always has ../shared beside the checkout
    if os.environ.get("CI"):
        raise RuntimeError(f"the fabrics are not at {fabric.fabrics_dir()} (../shared/corpus/fabrics)")
    pytest.skip("../shared/corpus/fabrics is not beside this checkout", allow_module_level=True)


def device(dataset, name):
    return next(d for d in dataset["devices"] if d["name"] == name)


def iface(dataset, dev, name):
    return next(i for i in device(dataset, dev)["interfaces"] if i["name"] == name)


def test_the_converter_reads_the_intent_only():
    """No import of the collection, its templates or the capture side."""
    tree = ast.parse((HERE.parent / "avd.py").read_text())
    imported = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    imported += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [m for m in imported if m and ("ansible" in m or "ttp" in m or "normalise" in m)]
    called = [n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]
    assert not set(called) & {"captures", "outputs", "live_names"}


def test_an_evpn_leaf_as_its_intent_says():
    ds = avd.convert("avd_sym_sa_multihoming")
    assert iface(ds, "DC1_PE11", "Vlan110")["anycast"] == ["10.1.10.1/24"]  # ip_address_virtual
    assert iface(ds, "DC1_PE11", "Vlan110")["vrf"] == "Tenant_A_OP_Zone"
    assert (iface(ds, "DC1_PE11", "Port-Channel3")["mode"], iface(ds, "DC1_PE11", "Port-Channel3")["tagged_vlans"]) \
        == ("tagged", [110])
    assert iface(ds, "DC1_PE11", "Ethernet3")["lag"] == "Port-Channel3"
    assert iface(ds, "DC1_PE11", "Ethernet1")["mtu"] == 9214
    assert device(ds, "DC1_PE11")["primary_ip4"] == "172.100.100.4/24"
    assert device(ds, "DC1_PE11")["device_type"] == "cEOS-LAB" and device(ds, "DC1_PE11")["role"] == "l3leaf"
    assert len(ds["cables"]) == 16  # topology.csv
    assert device(ds, "server01")["primary_ip4"] is None  # a cable peer: in NetBox, not in the inventory
    assert [v["vid"] for v in ds["vlans"]] == [110, 111, 112, 113] and not ds["vlan_groups"]


def test_varp_without_a_length_takes_the_subnet_of_the_interface():
    ds = avd.convert("11_evpn_vxlan")
    assert iface(ds, "A-LEAF1A", "Vlan10")["anycast"] == ["10.10.10.1/24"]  # ip_virtual_router_addresses
    assert ds["cables"] == []  # this intent names no peers
    assert [d["name"] for d in ds["devices"] if not d["platform"]] == []


def test_point_to_point_vlans_named_per_device_live_in_a_group_per_device():
    ds = avd.convert("mpls_evpn_irb")  # the older AVD schema: dicts keyed by name
    groups = {g["slug"]: g for g in ds["vlan_groups"]}
    assert groups["dc1-p1-local"]["device"] == "DC1_P1"
    p1_vlan11 = [v for v in ds["vlans"] if v["vid"] == 11 and v["group"] == "dc1-p1-local"]
    assert p1_vlan11 and p1_vlan11[0]["name"] == "P2P_ISIS_TO_DC1_PE11_VLAN11"
    assert {v["vid"] for v in ds["vlans"] if v["site"]} == {110, 111, 112, 113}
    assert (iface(ds, "DC1_P1", "Ethernet1")["mode"], iface(ds, "DC1_P1", "Ethernet1")["untagged_vlan"]) == ("access", 11)


@pytest.mark.parametrize("name", DEPLOYED)
def test_each_deployed_fabric_and_its_scenario(name):
    data = avd.convert(name)
    netbox_view, _, expected = scenario.apply(data, scenario.load(f"fabric-{name}"))
    assert expected and all(r["scenario_change"] for r in expected)
    captured = fabric.live_names([d["name"] for d in data["devices"] if d["platform"]], fabric.captures(name))
    assert set(r["device"] for r in expected) <= set(captured)
    for record in scenario.baseline(name):
        assert record["why"].strip()


def test_a_replayed_device_answers_from_its_captures():
    folder = fabric.path("avd_sym_sa_multihoming") / "devices" / "DC1_PE11"
    outputs = fabric.outputs(folder)
    assert outputs["show running-config"] == (folder / "show_running-config_sanitized.txt").read_text()
    assert outputs["show version"] == (folder / "show_version_detail.txt").read_text()
    assert outputs["show lldp neighbors detail"] == (folder / "show_lldp_neighbors_detail.txt").read_text()
    assert outputs["show ip virtual-router vrf all"].strip()
    assert outputs["_default_"] == "% Invalid input" and "show interfaces status" not in outputs


def test_pre_deploy_captures_map_to_intent_devices():
    assert fabric.predeploy("avd_asym_irb") and not fabric.predeploy("mpls_evpn_irb")
    mapping = fabric.live_names(["DC1_LEAF1A", "DC1_L2_LEAF2A", "DC1_SPINE1", "DC1_NOWHERE"],
                                ["leaf1a", "l2leaf2a", "spine1", "spine2"])
    assert mapping == {"DC1_LEAF1A": "leaf1a", "DC1_L2_LEAF2A": "l2leaf2a", "DC1_SPINE1": "spine1"}


def test_an_unknown_fabric_names_the_known_ones():
    with pytest.raises(fabric.FabricError, match="mpls_evpn_irb"):
        fabric.path("no_such_fabric")


def _agreement_tool():
    import importlib.util
    spec = importlib.util.spec_from_file_location("fabric_agreement", HERE.parent.parent / "tools" / "fabric-agreement.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", DEPLOYED)
def test_what_the_collection_reads_agrees_with_the_devices_own_outputs(name):
    """The parsed configuration against show interfaces switchport, show ip interface,
    show ip virtual-router and the LLDP neighbours of the same capture (read by the tool's
    own small readers, not by our templates)."""
    tool = _agreement_tool()
    tally = tool.Tally()
    for live, folder in fabric.captures(name).items():
        model, outputs = tool.model_of(folder)
        tool.against_operational(model, outputs, tally, live)
    assert tally.total > 200
    # the two never-deployed switches of 11_evpn_vxlan run a bootstrap config whose
    # Management0 description the operational outputs do not show (captured before it applied)
    assert tally.diffs == ([] if name != "11_evpn_vxlan" else [
        "A-LEAF2A Management0 description: ours 'oob_management', theirs ''",
        "A-LEAF2B Management0 description: ours 'oob_management', theirs ''"])
