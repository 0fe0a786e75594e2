# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Intent: what NetBox says each device should be.

``intended`` turns the raw NetBox JSON that the controller read
(``plugins/plugin_utils/netbox_fetch``, ``netbox_read``, ``netbox_cache``) into the
intended model, in NetBox's vocabulary, with every object it could not read listed as
a problem rather than guessed. The HTTP requests stay on the controller side; this
package only shapes what they returned, so the comparison sees one model whatever the
NetBox version or the way it was read.
"""
