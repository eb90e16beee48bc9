from odoo import api, fields, models
from odoo.tools import SQL


class SaleReorderSubmissionLock(models.Model):
    """One row per customer (commercial entity) and company, written by each of its
    submissions before anything is checked: two submissions of one customer at the
    same instant, in any workers, are decided one after the other, and the second
    one sees the first.

    Odoo's transactions are REPEATABLE READ: their snapshot is taken at their first
    query, long before a submission reaches its checks, so a lock alone would not let
    the second one see the request the first one just committed (the rate limit would
    count one too few, the same form would be saved twice). Writing this row does:
    PostgreSQL refuses to update, in a REPEATABLE READ transaction, a row that a
    transaction committed after its snapshot ("could not serialize access due to
    concurrent update"), and Odoo's service layer retries the whole HTTP or RPC call
    on that error with a new snapshot, which has the first request."""

    _name = "sale.reorder.submission.lock"
    _description = "Reorder Request Submission Lock"
    _log_access = False

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        ondelete="cascade",
        help="The commercial entity: its contacts submit one at a time.",
    )
    last_submission_date = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "customer_company_uniq",
            "UNIQUE(partner_id, company_id)",
            "A customer has one submission lock per company.",
        ),
    ]

    @api.model
    def _acquire(self, customer, company):
        """Take the submission lock of ``customer`` (a commercial entity) in
        ``company`` until the transaction ends. A concurrent submission of the same
        customer waits here; once the first commits, the second ends in a
        serialization failure (not logged as an error), which Odoo retries."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO sale_reorder_submission_lock
                       (partner_id, company_id, last_submission_date)
                VALUES (%(customer)s, %(company)s, now() AT TIME ZONE 'UTC')
                ON CONFLICT (partner_id, company_id) DO UPDATE
                   SET last_submission_date = EXCLUDED.last_submission_date
                """,
                customer=customer.id,
                company=company.id,
            ),
            log_exceptions=False,
        )
