import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from .account_move import REORDER_SOURCE_MOVE_TYPES

_logger = logging.getLogger(__name__)

# The purchases a rhythm needs, at least (distinct dates).
MIN_PURCHASES = 3
# The due rule, in Python (SaleReorderRhythm._get_due_status) and in SQL
# (_get_status_sql, _get_due_sql), both from these constants and the company's lead
# days: due from the lead days before the expected date, overdue once this many days
# past it, or half the interval if longer.
MIN_GRACE_DAYS = 7
# The statuses of an item to reorder now: reminded, in Request my usual, in the counts.
DUE_STATUSES = ("due", "overdue")
# Where the keys of the rhythms to refresh before the commit are gathered.
PENDING_KEY = "sale_reorder.rhythm.pending"
# How many rhythms one run of the pricing job prices before it saves its progress: a
# short transaction, which holds its rows for a fraction of a second.
PRICING_BATCH_SIZE = 1000
# Due first: overdue, then due, then the other rhythms and the items on order, then the
# items without a rhythm.
DUE_RANK = {"overdue": 0, "due": 1, "not_due": 2, "on_order": 2, None: 3}


def open_order_line_predicate(alias=None):
    """The condition on ``sale_order_line`` (as ``alias``) of the lines still on
    order: a quotation's, or a confirmed order's not fully invoiced yet (an invoice
    credited back makes it so again). The predicate of the partial index of
    sale.order.line's ``init()``, written the same way in the query that uses it."""
    col = f"{alias}." if alias else ""
    return (
        f"{col}state IN ('draft', 'sent') "
        f"OR ({col}state = 'sale' AND {col}qty_invoiced < {col}product_uom_qty)"
    )


def draft_document_line_predicate(alias=None):
    """The condition on ``account_move_line`` (as ``alias``) of the product lines of
    draft documents: the predicate of the partial index of account.move.line's
    ``init()``, written the same way in the query that uses it."""
    col = f"{alias}." if alias else ""
    return f"{col}display_type = 'product' AND {col}parent_state = 'draft'"


def due_first_key(item):
    """The sort key of "Due first", for the items of the purchase history
    (res.partner._get_reorderable_products): most overdue first, then the soonest
    due; items without a rhythm keep their order (most recent first)."""
    status, days = item["due_status"], item["due_days"] or 0
    return DUE_RANK[status], -days if status == "overdue" else days


class SaleReorderRhythm(models.Model):
    """Each customer's buying rhythm per product, kept by the addon: the usual
    interval between purchases and the usual quantity, from the same documents as the
    purchase history (posted invoices, paid sales receipts, as the company's settings
    allow). A stored summary, so that the portal reads a customer's rhythms at a cost
    that does not grow with the history; refreshed for the customer and products of
    each document posted, reset, cancelled, paid or credited, and rebuilt in full at
    install, on a change of the settings and by the ``sale-reorder-rhythms``
    command."""

    _name = "sale.reorder.rhythm"
    _description = "Customer Buying Rhythm"
    _order = "next_date, id"
    _log_access = False
    _rec_name = "product_id"

    # ------------------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------------------

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        help="The commercial entity: a company and its contacts share one rhythm.",
    )
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    purchase_count = fields.Integer(
        string="Purchases", readonly=True, help="Distinct purchase dates."
    )
    last_date = fields.Date(string="Last Purchase", readonly=True)
    interval_days = fields.Float(
        string="Usual Interval (Days)",
        digits=(16, 1),
        readonly=True,
        help="The median of the days between consecutive purchases.",
    )
    usual_quantity = fields.Float(
        digits="Product Unit of Measure",
        readonly=True,
        help="The median quantity per purchase, in the product's unit.",
    )
    next_date = fields.Date(
        string="Next Expected", readonly=True, help="Last purchase + usual interval."
    )
    expected_amount = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="The usual quantity at the customer's pricelist: priced again every day "
        "and whenever the rhythm changes.",
    )
    priced_date = fields.Date(
        readonly=True, help="The day the expected amount was last priced."
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    _sql_constraints = [
        (
            "rhythm_unique",
            "UNIQUE(company_id, partner_id, product_id)",
            "A customer has one rhythm per product and company.",
        ),
    ]

    # ------------------------------------------------------------------------------
    # Business: the status of a rhythm on a day
    # ------------------------------------------------------------------------------

    @api.model
    def _get_due_status(
        self, next_date, interval_days, lead_days, today, on_order=False
    ):
        """``(status, days)`` of a rhythm on ``today``: ``("on_order", n)`` while the
        item is on order (``_get_on_order_query``: never due, whatever the dates),
        ``("overdue", n)`` n days past the expected date once past the grace
        (``MIN_GRACE_DAYS`` or half the interval, if longer), ``("due", n)`` from
        ``lead_days`` before the expected date (n days to go, 0 or less once
        reached), else ``("not_due", n)``. The due rule in Python; in SQL it is
        ``_get_status_sql`` (the status) and ``_get_due_sql`` (due or overdue),
        written alike from the same constants (tests/test_one_rule.py compares them
        on a grid of days, intervals and lead days)."""
        days = (next_date - today).days
        if on_order:
            return "on_order", days
        if -days > max(MIN_GRACE_DAYS, interval_days / 2):
            return "overdue", -days
        if days <= lead_days:
            return "due", days
        return "not_due", days

    @api.model
    def _get_labels(self):
        """The texts of the statuses and intervals in the user's language, translated
        once for all the items of a page or an email."""
        return {
            "overdue": self.env._("%(days)s days overdue"),
            "due_now": self.env._("Due now"),
            "due_tomorrow": self.env._("Due tomorrow"),
            "due_in": self.env._("Due in %(days)s days"),
            "on_order": self.env._("On order"),
            "interval": self.env._("Usually every ~%(days)s days"),
            "interval_one": self.env._("Usually every day"),
        }

    @api.model
    def _get_due_label(self, status, days, labels=None):
        """What the customer reads of a status: "Due now", "Due in 5 days", "12 days
        overdue" (nothing when not due)."""
        labels = labels or self._get_labels()
        if status == "on_order":
            return labels["on_order"]
        if status == "overdue":
            return labels["overdue"] % {"days": days}
        if status != "due":
            return ""
        if days <= 0:
            return labels["due_now"]
        if days == 1:
            return labels["due_tomorrow"]
        return labels["due_in"] % {"days": days}

    @api.model
    def _get_interval_label(self, interval_days, labels=None):
        labels = labels or self._get_labels()
        days = round(interval_days)
        return (
            labels["interval_one"] if days == 1 else labels["interval"] % {"days": days}
        )

    @api.model
    def _get_status_sql(self, rhythm, lead_days, today, on_order=None):
        """The status as ``_get_due_status`` gives it, as an SQL expression on the
        rhythm ``rhythm`` (an alias) on ``today`` with ``lead_days`` (values or SQL);
        ``on_order`` is the SQL condition of the item being on order."""
        return SQL(
            """
            CASE WHEN %(on_order)s THEN 'on_order'
                 WHEN %(today)s - %(r)s.next_date
                      > GREATEST(%(grace)s, %(r)s.interval_days / 2) THEN 'overdue'
                 WHEN %(due)s THEN 'due'
                 ELSE 'not_due' END
            """,
            r=SQL.identifier(rhythm),
            today=today,
            grace=MIN_GRACE_DAYS,
            due=self._get_due_sql(rhythm, lead_days, today),
            on_order=on_order if on_order is not None else SQL("FALSE"),
        )

    @api.model
    def _get_due_sql(self, rhythm, lead_days, today):
        """The condition of the rhythm ``rhythm`` (an alias) being due or overdue on
        ``today`` (its status among ``DUE_STATUSES``, being on order aside: the
        callers add it): from ``lead_days`` before its expected date on. Overdue
        items are among them, the grace coming after the expected date and lead days
        being never negative (a constraint of res.company). A plain comparison of the
        stored date, for the counts and the reminders' selection."""
        return SQL(
            "%(r)s.next_date - %(today)s <= %(lead)s",
            r=SQL.identifier(rhythm),
            today=today,
            lead=lead_days,
        )

    @api.model
    def _get_on_order_query(self, today, company=None, customer=None):
        """The items customers have on order: one row (company_id, partner_id,
        product_id, opened) per item of a customer (its commercial entity) and the
        day its most recent open document was made (``opened``), the documents being

        - its pending reorder requests (submitted that day),
        - its open quotations (draft or sent, not past their expiration) and its
          confirmed sales orders not fully invoiced yet (ordered that day),
        - its draft invoices and sales receipts (created that day).

        An item is on order when that day is after the customer's last purchase of
        it (``_get_on_order_sql``): what was ordered since is on its way; an older
        order left open (a backorder cancelled, a credit note of one unit, an invoice
        made by hand, a draft forgotten) no longer holds the item once the customer
        bought it again. Such an item is never due: it is shown "On order", never
        reminded, and left out of Request my usual, of the due counts and of the due
        report's due items. ``company`` and ``customer`` (a commercial entity) narrow
        the rows down: the portal asks for one customer, through the partial indexes
        of sale.order.line's and account.move.line's ``init()``."""
        requests = [SQL("rr.state = 'pending'")]
        orders = [SQL(f"({open_order_line_predicate('sol')})")]
        drafts = [SQL(draft_document_line_predicate("l"))]
        if company:
            requests.append(SQL("rr.company_id = %s", company.id))
            orders.append(SQL("sol.company_id = %s", company.id))
            drafts.append(SQL("l.company_id = %s", company.id))
        if customer:
            requests.append(SQL("rr.commercial_partner_id = %s", customer.id))
            orders.append(
                SQL(
                    "sol.order_partner_id IN "
                    "(SELECT id FROM res_partner WHERE commercial_partner_id = %s)",
                    customer.id,
                )
            )
            drafts.append(SQL("l.partner_id = %s", customer.id))
        return SQL(
            """
            SELECT company_id, partner_id, product_id, MAX(opened) AS opened
              FROM (
                SELECT rr.company_id, rr.commercial_partner_id AS partner_id,
                       rl.product_id, rr.submission_date::date AS opened
                  FROM sale_reorder_request_line rl
                  JOIN sale_reorder_request rr ON rr.id = rl.request_id
                 WHERE %(requests)s
             UNION ALL
                SELECT sol.company_id, op.commercial_partner_id, sol.product_id,
                       so.date_order::date
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN res_partner op ON op.id = sol.order_partner_id
                 WHERE %(orders)s
                   AND sol.product_id IS NOT NULL
                   AND (sol.state = 'sale' OR so.validity_date IS NULL
                        OR so.validity_date >= %(today)s)
             UNION ALL
                SELECT l.company_id, l.partner_id, l.product_id, m.create_date::date
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                 WHERE %(drafts)s
                   AND l.product_id IS NOT NULL
                   AND l.partner_id IS NOT NULL
                   AND m.move_type IN %(move_types)s
              ) documents
          GROUP BY company_id, partner_id, product_id
            """,
            requests=SQL(" AND ").join(requests),
            orders=SQL(" AND ").join(orders),
            drafts=SQL(" AND ").join(drafts),
            move_types=REORDER_SOURCE_MOVE_TYPES,
            today=today,
        )

    @api.model
    def _get_on_order_sql(self, on_order, last_date):
        """The condition of an item being on order, given the row ``on_order`` of
        ``_get_on_order_query`` joined to it (NULL when none) and the SQL of the
        customer's last purchase of the item: a document opened after that day (an
        item bought today is not due for a while anyway)."""
        return SQL(
            "COALESCE(%(on_order)s.opened > %(last_date)s, FALSE)",
            on_order=SQL.identifier(on_order),
            last_date=last_date,
        )

    # ------------------------------------------------------------------------------
    # Business: the computation, in one aggregate query
    # ------------------------------------------------------------------------------

    @api.model
    def _get_rhythm_query(self, scope):
        """The rhythms, computed from the documents: one row (company, customer,
        product, purchases, last date, interval, quantity, next date) per product
        bought on at least ``MIN_PURCHASES`` distinct dates. ``scope`` is an SQL
        condition on the lines ``l`` (which companies, customers, products).

        The purchases are those of the history (account.move's
        ``_get_reorder_purchase_sql``: credit notes are none, and an invoice credited
        in full is none either). A purchase is a date: the lines of one day count
        once, their quantities added, in the product's unit. The interval is the
        median of the days between consecutive dates, the quantity the median
        quantity per date."""
        return SQL(
            """
            WITH purchases AS (
                SELECT l.company_id, l.partner_id, l.product_id,
                       l.invoice_date AS day,
                       SUM(l.quantity / COALESCE(lu.factor, 1) * pu.factor) AS quantity
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                  JOIN res_company c ON c.id = l.company_id
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom pu ON pu.id = pt.uom_id
             LEFT JOIN uom_uom lu ON lu.id = l.product_uom_id
                 WHERE %(purchase)s
                   AND l.partner_id IS NOT NULL
                   AND l.invoice_date IS NOT NULL
                   AND %(scope)s
              GROUP BY l.company_id, l.partner_id, l.product_id, l.invoice_date
            ), gaps AS (
                SELECT company_id, partner_id, product_id, day, quantity,
                       day - LAG(day) OVER (
                           PARTITION BY company_id, partner_id, product_id
                           ORDER BY day
                       ) AS gap
                  FROM purchases
            ), rhythms AS (
                SELECT company_id, partner_id, product_id,
                       COUNT(*) AS purchase_count,
                       MAX(day) AS last_date,
                       -- the first date's gap is NULL, and aggregates skip it
                       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY gap)
                           AS interval_days,
                       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY quantity)
                           AS usual_quantity
                  FROM gaps
              GROUP BY company_id, partner_id, product_id
                HAVING COUNT(*) >= %(min_purchases)s
            )
            SELECT company_id, partner_id, product_id, purchase_count, last_date,
                   interval_days, usual_quantity,
                   last_date + ROUND(interval_days)::integer AS next_date
              FROM rhythms
             WHERE interval_days >= 1
            """,
            purchase=self.env["account.move"]._get_reorder_purchase_sql("l", "m", "c"),
            scope=scope,
            min_purchases=MIN_PURCHASES,
        )

    @api.model
    def _refresh(self, keys):
        """Compute again the rhythms of ``keys``, {(company id, customer id, product
        id)}, from the documents: new ones are added, changed ones updated, and those
        with no rhythm left removed. Concurrent refreshes of one key (two documents
        of one customer posted at once) end in a serialization failure that Odoo
        retries, never in a duplicate."""
        keys = sorted(keys)
        if not keys:
            return
        companies, partners, products = (
            list(column) for column in zip(*keys, strict=True)
        )
        arrays = SQL(
            "SELECT * FROM unnest(%s::int[], %s::int[], %s::int[])",
            companies,
            partners,
            products,
        )
        self._write_rhythms(
            SQL("(l.company_id, l.partner_id, l.product_id) IN (%s)", arrays),
            SQL("(company_id, partner_id, product_id) IN (%s)", arrays),
        )

    @api.model
    def _refresh_customers(self, customers):
        """Compute again every rhythm of these customers (their commercial entities),
        in every company: after contacts are merged."""
        ids = tuple({*customers.ids, *customers.commercial_partner_id.ids})
        if ids:
            self._write_rhythms(
                SQL("l.partner_id IN %s", ids), SQL("partner_id IN %s", ids)
            )

    @api.model
    def _refresh_products(self, products):
        """Compute again every rhythm of these products, for every customer: after a
        change of the products' unit, which the usual quantities are counted in."""
        ids = tuple(products.ids)
        if ids:
            self._write_rhythms(
                SQL("l.product_id IN %s", ids), SQL("product_id IN %s", ids)
            )

    @api.model
    def _rebuild(self, companies=None):
        """Compute every rhythm of ``companies`` (all by default) again, from
        scratch: at install, when a company changes which documents count, and by the
        ``sale-reorder-rhythms`` command."""
        companies = companies or self.env["res.company"].sudo().search([], limit=None)
        company_ids = tuple(companies.ids)
        self._write_rhythms(
            SQL("l.company_id IN %s", company_ids),
            SQL("company_id IN %s", company_ids),
        )
        _logger.info(
            "Reorder rhythms rebuilt for %s companies: %s rhythms",
            len(company_ids),
            self.sudo().search_count([("company_id", "in", company_ids)]),
        )

    @api.model
    def _write_rhythms(self, line_scope, rhythm_scope):
        """Bring the stored rhythms of a scope (a condition on the lines ``l`` and
        the same on the rhythms) in line with the documents."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                WITH computed AS (%(query)s),
                removed AS (
                    DELETE FROM sale_reorder_rhythm r
                     WHERE %(rhythm_scope)s
                       AND NOT EXISTS (
                           SELECT 1 FROM computed c
                            WHERE c.company_id = r.company_id
                              AND c.partner_id = r.partner_id
                              AND c.product_id = r.product_id)
                )
                INSERT INTO sale_reorder_rhythm (
                    company_id, partner_id, product_id, purchase_count, last_date,
                    interval_days, usual_quantity, next_date)
                SELECT company_id, partner_id, product_id, purchase_count, last_date,
                       interval_days, usual_quantity, next_date
                  FROM computed
                 ORDER BY company_id, partner_id, product_id
                ON CONFLICT (company_id, partner_id, product_id) DO UPDATE
                   SET purchase_count = EXCLUDED.purchase_count,
                       last_date = EXCLUDED.last_date,
                       interval_days = EXCLUDED.interval_days,
                       usual_quantity = EXCLUDED.usual_quantity,
                       next_date = EXCLUDED.next_date
                 WHERE (sale_reorder_rhythm.purchase_count,
                        sale_reorder_rhythm.last_date,
                        sale_reorder_rhythm.interval_days,
                        sale_reorder_rhythm.usual_quantity)
                       IS DISTINCT FROM
                       (EXCLUDED.purchase_count, EXCLUDED.last_date,
                        EXCLUDED.interval_days, EXCLUDED.usual_quantity)
                RETURNING id
                """,
                query=self._get_rhythm_query(line_scope),
                rhythm_scope=rhythm_scope,
            ),
            # Two documents of one customer posted at the same instant: the second
            # refresh ends in a serialization failure that Odoo retries (expected
            # contention, not an error to log).
            log_exceptions=False,
        )
        changed = self.browse([row[0] for row in cr.fetchall()])
        self.invalidate_model()
        changed._price_expected_amounts()

    def _price_expected_amounts(self):
        """The expected amount of these rhythms: their usual quantity at the
        customer's pricelist today, in the company's currency; one read of each
        pricelist's rules for all its rhythms."""
        groups = defaultdict(list)
        for rhythm in self.sudo():
            customer = rhythm.partner_id.with_company(rhythm.company_id)
            groups[rhythm.company_id, customer.property_product_pricelist].append(
                rhythm
            )
        Line = self.env["sale.reorder.request.line"].sudo()
        values = []
        for (company, pricelist), group in groups.items():
            prices = Line._get_estimated_unit_prices(
                [(r.product_id, r.usual_quantity, r.product_id.uom_id) for r in group],
                pricelist,
                company.currency_id,
                company,
            )
            today = company._get_reorder_today()
            values += [
                (r.id, company.currency_id.round(price * r.usual_quantity), today)
                for r, price in zip(group, prices, strict=True)
            ]
        if not values:
            return
        self.env.cr.execute(
            SQL(
                """
                UPDATE sale_reorder_rhythm r
                   SET expected_amount = v.amount, priced_date = v.today
                  FROM unnest(%s::int[], %s::numeric[], %s::date[])
                       AS v(id, amount, today)
                 WHERE r.id = v.id
                """,
                *(list(column) for column in zip(*values, strict=True)),
            )
        )
        self.invalidate_model(["expected_amount", "priced_date"])

    @api.model
    def _cron_price_expected_amounts(self, batch_size=PRICING_BATCH_SIZE):
        """One batch of the daily job that prices the expected amounts again (prices
        and pricelists change without the rhythms changing): the rhythms not priced
        on their company's today, then the progress for the scheduler
        (ir.cron._notify_progress), which commits and calls again while some are
        left. The batch's rows are locked first, skipping those a document's
        refresh holds right now (they come in a later batch): the refresh waits for
        this short batch rather than the other way round, and a refresh is retried
        by Odoo, a scheduled job is not.

        :return: (priced, remaining)
        """
        companies = self.env["res.company"].sudo().search([], limit=None)
        self.env.flush_all()
        query = SQL(
            """
            FROM sale_reorder_rhythm r
            JOIN unnest(%s::int[], %s::date[]) AS t(company_id, today)
              ON t.company_id = r.company_id
           WHERE r.priced_date IS NULL OR r.priced_date < t.today
            """,
            companies.ids,
            [company._get_reorder_today() for company in companies],
        )
        self.env.cr.execute(
            SQL(
                "SELECT r.id %s ORDER BY r.id LIMIT %s FOR UPDATE OF r SKIP LOCKED",
                query,
                batch_size,
            )
        )
        rhythms = self.browse(row[0] for row in self.env.cr.fetchall())
        rhythms._price_expected_amounts()
        self.env.cr.execute(SQL("SELECT COUNT(*) %s", query))
        remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(rhythms), remaining=remaining)
        return len(rhythms), remaining

    # ------------------------------------------------------------------------------
    # Business: refreshed with the documents, once per transaction
    # ------------------------------------------------------------------------------

    @api.model
    def _schedule_refresh(self, keys):
        """Refresh the rhythms of ``keys`` just before the transaction commits,
        together: a document posted, reset, cancelled, paid or credited changes them.
        Readers of the same transaction call ``_refresh_pending`` first."""
        if not keys:
            return
        precommit = self.env.cr.precommit
        if PENDING_KEY not in precommit.data:
            precommit.data[PENDING_KEY] = set()
            precommit.add(self._refresh_pending)
        precommit.data[PENDING_KEY].update(keys)

    @api.model
    def _refresh_pending(self):
        keys = self.env.cr.precommit.data.pop(PENDING_KEY, None)
        if keys:
            self.sudo()._refresh(keys)
