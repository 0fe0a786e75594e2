"""What the drift check records of each device in NetBox, and how the plan picks it up."""

from ansible_collections.truthloop.netbox_drift.plugins.plugin_utils.comparer import netbox_facts
from ansible_collections.truthloop.netbox_drift.plugins.action.drift_plan import with_report_facts


def test_netbox_facts_of_a_device():
    intended = {
        "netbox": {"site": "dc1", "role": "access"}, "primary_ip4": "10.250.0.10/16", "primary_ip6": None,
        "ip_addresses": [{"address": "10.250.0.10/16", "interface": "GigabitEthernet0/0"}],
        "interfaces": {"GigabitEthernet0/0": {"mgmt_only": True}, "Gi1/0/1": {"mgmt_only": False}},
        "vlans": {"10": {"vid": 10, "group": "dc2-vlans"}, "20": {"vid": 20, "group": None}},
    }
    assert netbox_facts(intended) == {"site": "dc1", "role": "access", "primary_interfaces": ["GigabitEthernet0/0"],
                                      "mgmt_interfaces": ["GigabitEthernet0/0"], "vlan_groups": {"10": "dc2-vlans"}}
    assert netbox_facts(None) == {"site": None, "role": None, "primary_interfaces": [], "mgmt_interfaces": [],
                                  "vlan_groups": {}}


def test_plan_options_from_the_report_unless_given():
    report = {"devices": [{"device": "a", "site": "dc1", "primary_interfaces": ["mgmt0"], "mgmt_interfaces": []},
                          {"device": "b", "site": None}]}
    options = with_report_facts(report, {"sites": {"b": "dc9"}, "primary_interfaces": None})
    assert options["sites"] == {"a": "dc1", "b": "dc9"}
    assert options["primary_interfaces"] == {"a": ["mgmt0"]}
    assert options["mgmt_interfaces"] == {"a": []}


def test_a_group_scoped_vlan_is_referred_to_by_its_group():
    from ansible_collections.truthloop.netbox_drift.plugins.module_utils.reconcile import plan, plan_changes

    opts = plan._options({"sites": {"a": "dc2"}, "vlan_groups": {"a": {"10": "dc2-vlans"}}})
    assert plan_changes._vlan_ref(10, "a", opts) == {"vid": 10, "vlan_group": "dc2-vlans"}
    assert plan_changes._vlan_ref(20, "a", opts) == {"vid": 20, "site": "dc2"}
