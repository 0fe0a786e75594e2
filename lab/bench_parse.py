"""Throughput of the parse, device outputs to device model: ``python -m lab.bench_parse``.

The outputs are the lab's own, rendered from the dataset for ``--devices`` devices
(every command each platform collects, in the platform's real format), parsed by
``normalise.build`` with the collection's TTP templates, without SSH or Ansible.
CPU seconds are the best of ``--repeat`` rounds. Prints ``name: value`` lines per
platform. (The template unit tests check that a 5,000-interface configuration parses
right; how long parsing takes is measured here, not asserted in a test.)
"""

import argparse
import os
import sys
import time

from lab import dataset, render

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, ".deps"))

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.collect import normalise  # noqa: E402
from ansible_collections.truthloop.netbox_drift.plugins.module_utils import model as m  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    data = dataset.generate(args.devices)
    outputs = render.render_all(data)
    by_platform = {}
    for device in data["devices"]:
        texts = dict((cmd, {"output": text}) for cmd, text in outputs[device["name"]].items())
        by_platform.setdefault(device["platform"], []).append((device["name"], texts))
    for platform in sorted(by_platform):
        devices = by_platform[platform]
        spec = normalise.load_platform(platform)
        best, interfaces = None, 0
        for _round in range(args.repeat):
            started, interfaces = time.process_time(), 0
            for name, texts in devices:
                model = normalise.build(name, platform, texts, spec=spec)
                bad = [s for s in m.SECTIONS if model["sections"][s]["status"] == m.FAILED]
                if bad:
                    raise SystemExit("bench_parse: %s: sections %s failed: %s" % (name, bad, m.errors(model)))
                interfaces += len(model["interfaces"])
            elapsed = time.process_time() - started
            best = elapsed if best is None else min(best, elapsed)
        print("%s_devices: %d" % (platform, len(devices)))
        print("%s_interfaces: %d" % (platform, interfaces))
        print("%s_parse_cpu_seconds: %.3f" % (platform, best))
        print("%s_interfaces_per_second: %.0f" % (platform, interfaces / best))
        print("%s_ms_per_device: %.1f" % (platform, 1000 * best / len(devices)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
