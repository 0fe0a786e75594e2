# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collect: from a device's raw command outputs to the device model (``model.py``).

The first stage of the pipeline, and the one that reads device text: ``commands``
(which commands a device's collection runs, with their fallbacks, from the platform
files), ``snapshot`` (the raw outputs kept on disk, secrets removed, and read back
for the offline parse), ``ttp_runner`` (the one place that runs the collection's TTP
templates), ``integrity`` (an output proves it is whole, and the device is the
platform it was collected as, before it is trusted) and ``normalise`` (the parsed
records merged into the model, with the platform's defaults). The vendor knowledge is
data (``templates/ttp/``); the transports that fetch the outputs are controller code
(``plugins/plugin_utils/``). Depends only on the shared modules beside this package.
"""
