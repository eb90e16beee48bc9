from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """18.0.1.3.0 learns each customer's buying rhythm: compute the rhythms of the
    documents posted before the upgrade."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["sale.reorder.rhythm"]._rebuild()
