"""A parser kept for reuse gives exactly what a fresh one gives, whatever it parsed before
(every template against every real output of the test corpus, in two orders)."""

import glob
import os

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import ttp_runner

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = sorted(glob.glob(os.path.join(ttp_runner.TEMPLATE_DIR, "*.ttp")))
OUTPUTS = sorted(glob.glob(os.path.join(HERE, "..", "..", "fixtures", "corpus", "*", "*", "*.raw")))


def fresh(template_text, text):
    parser = ttp_runner._ttp(data=text, template=template_text)
    parser.parse(one=True)
    result = parser.result()
    while isinstance(result, list) and len(result) == 1:
        result = result[0]
    return {} if result == [] else result


def test_reused_parsers_give_what_fresh_ones_give():
    assert len(TEMPLATES) > 20 and len(OUTPUTS) > 40
    texts = [open(path, encoding="utf-8", errors="replace").read() for path in OUTPUTS]
    for path in TEMPLATES:
        template = open(path).read()
        platform = os.path.basename(path).split("_show")[0]
        mine = [t for p, t in zip(OUTPUTS, texts) if "/%s/" % platform in p][:6] or texts[:3]
        for text in mine + list(reversed(mine)):  # the same parser goes through each output twice
            assert ttp_runner.parse(template, text) == fresh(template, text), (path, text[:60])
    assert all(len(idle) >= 1 for idle in ttp_runner._POOL.values())


def test_parsers_taken_in_turns_keep_their_own_macros():
    """Each TTP parser points TTP's function modules at its own state when it loads them; a
    pooled parser used after others were created must run its own output macro (the CDP
    template's mgmt_address flattening), not find nothing in another parser's state."""
    cdp = open(os.path.join(HERE, "..", "..", "fixtures", "corpus", "cisco_ios", "show_cdp_neighbors_detail",
                            "cisco_ios_show_cdp_neighbors_detail2.raw")).read()
    first = ttp_runner.parse_command("cisco_ios", "show cdp neighbors detail", cdp)
    for path in TEMPLATES:  # other parsers created (and their function modules loaded) since
        ttp_runner.parse(open(path).read(), cdp)
        fresh(open(path).read(), cdp)
    again = ttp_runner.parse_command("cisco_ios", "show cdp neighbors detail", cdp)
    assert again == first
    assert again["neighbors"][0]["mgmt_address"] == "1.1.1.1" and "_mgmt" not in again["neighbors"][0]
