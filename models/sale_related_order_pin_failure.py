from datetime import timedelta

from odoo import api, fields, models

PIN_MAX_FAILURES = 5
PIN_LOCK_WINDOW = timedelta(minutes=15)


class SaleRelatedOrderPinFailure(models.Model):
    """A wrong security PIN typed to create a related order. Kept in the database, not
    in a worker's memory, so that the lock-out holds across workers and servers."""

    _name = "sale.related.order.pin.failure"
    _description = "Wrong Related Order PIN"
    _order = "failure_date desc, id desc"

    user_id = fields.Many2one(
        "res.users", required=True, index=True, ondelete="cascade", readonly=True
    )
    order_id = fields.Many2one("sale.order", ondelete="cascade", readonly=True)
    failure_date = fields.Datetime(
        required=True, index=True, default=fields.Datetime.now, readonly=True
    )

    @api.model
    def _locked_until(self, user):
        """When the user may try again, or None: after PIN_MAX_FAILURES wrong PINs
        within PIN_LOCK_WINDOW, the user waits PIN_LOCK_WINDOW from the last one."""
        since = fields.Datetime.now() - PIN_LOCK_WINDOW
        failures = self.sudo().search(
            [("user_id", "=", user.id), ("failure_date", ">", since)],
            limit=PIN_MAX_FAILURES,
        )
        if len(failures) < PIN_MAX_FAILURES:
            return None
        return failures[0].failure_date + PIN_LOCK_WINDOW

    @api.autovacuum
    def _gc_old_failures(self):
        self.sudo().search(
            [("failure_date", "<", fields.Datetime.now() - timedelta(days=1))]
        ).unlink()
