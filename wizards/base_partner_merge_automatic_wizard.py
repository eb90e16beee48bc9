from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        """Contacts merged: their documents' lines now name the destination, whose
        buying rhythms are computed again (the merge's SQL moved or dropped the
        merged contacts' rhythms as they were)."""
        res = super()._update_foreign_keys(src_partners, dst_partner)
        self.env["sale.reorder.rhythm"].sudo()._refresh_customers(dst_partner)
        return res
