# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compare: the intended model (``intent/``) against the device model (``collect/``),
and the drift records that come out of it.

``compare`` runs one device's comparison (``compare_ports`` for interfaces,
``compare_addresses`` for IP addresses, ``compare_cables`` for LLDP/CDP against
cabling), each making raw records with ``records``; ``far_end`` checks every cable
record from the other end of the link once the run's devices are compared; ``policy``
turns raw records into report records (ID, severity, authority, ignores, waivers);
``evidence`` attaches the device lines a record comes from; ``changes`` says what
changed on a device since the previous run. A section that was not verified gives an
``unverified`` entry here, never drift.
"""
