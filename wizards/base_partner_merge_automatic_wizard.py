from odoo import models

from ..models.res_partner import REMINDER_DATE_FIELDS


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        """Contacts merged: their documents' lines now name the destination, whose
        buying rhythms are computed again (the merge's SQL moved or dropped the
        merged contacts' rhythms as they were)."""
        res = super()._update_foreign_keys(src_partners, dst_partner)
        self.env["sale.reorder.rhythm"].sudo()._refresh_customers(dst_partner)
        return res

    def _update_values(self, src_partners, dst_partner):
        """The merged contact keeps the latest reminder of the merged ones (and the
        latest try): it is not reminded sooner for being merged. Set as the company,
        before the merge copies the values (the dates are the reminders' own: see
        res.partner._check_reorder_reminder_dates_access)."""
        partners = (src_partners | dst_partner).sudo()
        partners.write(
            {
                field: max(filter(None, partners.mapped(field)), default=False)
                for field in REMINDER_DATE_FIELDS
            }
        )
        return super()._update_values(src_partners, dst_partner)
