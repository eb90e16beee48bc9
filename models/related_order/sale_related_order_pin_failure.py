from datetime import timedelta

from odoo import api, fields, models

PIN_MAX_FAILURES = 5
PIN_LOCK_WINDOW = timedelta(minutes=15)


class SaleRelatedOrderPinFailure(models.Model):
    """A wrong security PIN typed to create a related order, or a refusal during a
    lock-out. Kept in the database, not in a worker's memory, so that the lock-out
    holds across workers and servers; written in a transaction of its own (see
    sale.order._verify_pin_outside_transaction)."""

    _name = "sale.related.order.pin.failure"
    _description = "Wrong Related Order PIN"
    _order = "failure_date desc, id desc"

    user_id = fields.Many2one(
        "res.users", required=True, index=True, ondelete="cascade", readonly=True
    )
    # A plain id, no foreign key: the order may be uncommitted or locked by the
    # transaction that asked.
    order_ref = fields.Integer(string="Order ID", readonly=True)
    kind = fields.Selection(
        [("wrong", "Wrong PIN"), ("refused", "Refused while locked out")],
        required=True,
        default="wrong",
        readonly=True,
    )
    failure_date = fields.Datetime(
        required=True, index=True, default=fields.Datetime.now, readonly=True
    )

    @api.model
    def _locked_until(self, user_id):
        """When the user may try again, or None: after PIN_MAX_FAILURES wrong PINs
        within PIN_LOCK_WINDOW, the user waits PIN_LOCK_WINDOW from the last one."""
        since = fields.Datetime.now() - PIN_LOCK_WINDOW
        failures = self.search(
            [
                ("user_id", "=", user_id),
                ("kind", "=", "wrong"),
                ("failure_date", ">", since),
            ],
            limit=PIN_MAX_FAILURES,
        )
        if len(failures) < PIN_MAX_FAILURES:
            return None
        return failures[0].failure_date + PIN_LOCK_WINDOW

    @api.model
    def _log_refusal(self, user_id, order_id, locked_until, message):
        """Log a refused attempt in the order's chatter, once per order and lock-out
        (a locked-out user retrying cannot flood it)."""
        lock_start = locked_until - PIN_LOCK_WINDOW
        already = self.search_count(
            [
                ("user_id", "=", user_id),
                ("order_ref", "=", order_id),
                ("kind", "=", "refused"),
                ("failure_date", ">=", lock_start),
            ],
            limit=1,
        )
        self.create({"user_id": user_id, "order_ref": order_id, "kind": "refused"})
        order = self.env["sale.order"].browse(order_id).exists()
        if order and not already:
            order.message_post(body=message, subtype_xmlid="mail.mt_note")

    @api.autovacuum
    def _gc_old_failures(self):
        self.search(
            [("failure_date", "<", fields.Datetime.now() - timedelta(days=1))]
        ).unlink()
