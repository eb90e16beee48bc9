"""18.0.1.5.0: one rule of a purchase (account.move._get_reorder_purchase_sql) for the
history, the rhythms and quick reorder. An invoice credited in full no longer counts
anywhere: the history reads the documents and follows at once; the stored rhythms
are computed again with the rule (the model's own rebuild: rows change only where
they differ, and those are priced again).
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["sale.reorder.rhythm"]._rebuild()
