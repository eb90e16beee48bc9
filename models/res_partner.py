from werkzeug.urls import url_encode

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.tools import SQL, float_round
from odoo.tools.sql import escape_psql

from ..tools import format_quantity
from .sale_reorder_rhythm import DUE_STATUSES, due_first_key

# The page a reminder opens: step 2 with the due items at their usual quantities.
REORDER_USUAL_URL = "/my/reorders/usual"
# What the reminders' interval counts from: set by the reminders only (as the
# company), or corrected by a Settings administrator.
REMINDER_DATE_FIELDS = ("reorder_reminder_date", "reorder_reminder_attempt_date")


class ResPartner(models.Model):
    """The customer's purchase history, as the reorder requests read it: which
    products the customer (its commercial entity) bought and may reorder, and when
    each is due again."""

    _inherit = "res.partner"

    reorder_reminder_opt_out = fields.Boolean(
        string="No Reorder Reminders",
        help="This contact gets no email about items due for reorder (the contact "
        "can also stop them from the link in the email). Ticked on a company, none "
        "of its contacts gets them.",
    )
    reorder_reminder_date = fields.Date(
        string="Last Reorder Reminder", readonly=True, copy=False
    )
    # The last day the reminder job tried this contact (sent or failed): a failure is
    # tried again the next day, not over and over on the same one.
    reorder_reminder_attempt_date = fields.Date(
        readonly=True, copy=False, groups="base.group_system"
    )
    reorder_due_count = fields.Integer(
        string="Due Items",
        compute="_compute_reorder_due_count",
        groups="sales_team.group_sale_salesman",
    )
    reorder_list_count = fields.Integer(
        string="Reorder Lists",
        compute="_compute_reorder_list_count",
        groups="sales_team.group_sale_salesman",
    )

    # ------------------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------------------

    def _compute_reorder_due_count(self):
        self.env["sale.reorder.rhythm"]._refresh_pending()
        counts = dict(
            self.env["sale.reorder.due.report"]._read_group(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("status", "in", DUE_STATUSES),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.reorder_due_count = counts.get(partner.commercial_partner_id, 0)

    def _compute_reorder_list_count(self):
        counts = dict(
            self.env["sale.reorder.list"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.reorder_list_count = counts.get(partner.commercial_partner_id, 0)

    # ------------------------------------------------------------------------------
    # CRUD methods
    # ------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get(field) for vals in vals_list for field in REMINDER_DATE_FIELDS):
            self._check_reorder_reminder_dates_access()
        return super().create(vals_list)

    def write(self, vals):
        changed = [field for field in REMINDER_DATE_FIELDS if field in vals]
        if changed and any(
            partner[field] != (fields.Date.to_date(vals[field]) or False)
            for partner in self.sudo()
            for field in changed
        ):
            self._check_reorder_reminder_dates_access()
        return super().write(vals)

    # ------------------------------------------------------------------------------
    # Action methods
    # ------------------------------------------------------------------------------

    def action_view_reorder_due_items(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_reorder.sale_reorder_due_report_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_due": 1}
        return action

    def action_view_reorder_lists(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_reorder.sale_reorder_list_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------------------

    def _check_reorder_reminder_dates_access(self):
        """The dates of the last reminder and of the last try are the company's
        rule (at most one reminder in its interval): the reminders set them, a
        Settings administrator may correct them, no one else changes them (the
        form shows them read-only, and RPC is refused here)."""
        if not self.env.is_system():
            raise AccessError(
                self.env._(
                    "The date of a contact's last reorder reminder is recorded by the "
                    "reminders themselves: the company's interval between two "
                    "reminders counts from it. Ask a Settings administrator to "
                    "correct it."
                )
            )

    def _get_reorderable_line_conditions(self, company):
        """The conditions (on ``account_move_line l`` joined to ``account_move m``)
        of the lines that make a product reorderable for this customer: its
        purchases in ``company`` (account.move's
        ``_get_reorder_purchase_sql``, the one rule of the history and the rhythms),
        or None when the settings count no document. They match the partial index of
        account.move.line's ``init()``: one customer's posted product lines, per
        product, most recent first."""
        self.ensure_one()
        Move = self.env["account.move"]
        customer = self.commercial_partner_id
        if not customer or not Move._get_reorder_purchase_move_types(company):
            return None
        return SQL(
            """
                l.partner_id = %(customer)s  -- the commercial entity
            AND l.company_id = %(company)s
            AND %(purchase)s
            """,
            customer=customer.id,
            company=company.id,
            purchase=Move._get_reorder_purchase_sql("l", "m", company),
        )

    def _get_reorder_flagged_products_query(self, company, product_ids=None):
        """The products the company offers for reorder: flagged, sellable, active,
        of the company or shared (among ``product_ids``, when given)."""
        query = SQL(
            """
            SELECT pp.id
              FROM product_product pp
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE pt.available_for_reorder
               AND pt.sale_ok
               AND pp.active
               AND (pt.company_id IS NULL OR pt.company_id = %s)
            """,
            company.id,
        )
        if product_ids is not None:
            query = SQL("%s AND pp.id = ANY(%s)", query, list(product_ids))
        return query

    def _get_has_reorderable_query(self, company, product=None):
        """The query of _has_reorderable_products (None: nothing can qualify)."""
        conditions = self._get_reorderable_line_conditions(company)
        if conditions is None:
            return None
        if product is not None:
            conditions = SQL("%s AND l.product_id = %s", conditions, product.id)
        return SQL(
            """
            SELECT EXISTS(
                SELECT 1
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                 WHERE %s AND l.product_id IN (%s)
            )
            """,
            conditions,
            self._get_reorder_flagged_products_query(company),
        )

    def _has_reorderable_products(self, company=None, product=None):
        """Whether this customer has anything to reorder (or this ``product``). The
        portal asks on every visit of /my, and for each product image of step 1: an
        index probe on the customer's own posted lines, whatever the size of the
        database."""
        query = self._get_has_reorderable_query(company or self.env.company, product)
        if query is None:
            return False
        self.env.flush_all()
        self.env.cr.execute(query)
        return self.env.cr.fetchone()[0]

    def _get_reorderable_products_query(self, company, product_ids=None):
        """The query of _get_reorderable_products (None: nothing can qualify): per
        flagged product, the customer's most recent line (a LATERAL top-1 read from
        the partial index of account.move.line's ``init()``)."""
        conditions = self._get_reorderable_line_conditions(company)
        if conditions is None:
            return None
        Rhythm = self.env["sale.reorder.rhythm"]
        return SQL(
            """
            SELECT flagged.id, last.invoice_date, last.quantity, last.price_unit,
                   last.currency_id, last.product_uom_id,
                   -- the buying rhythm, its usual quantity in the last line's unit
                   r.interval_days, r.next_date,
                   r.usual_quantity * COALESCE(lu.factor, 1) / pu.factor,
                   %s
              FROM (%s) flagged
              CROSS JOIN LATERAL (
                SELECT l.invoice_date, l.quantity, l.price_unit, l.currency_id,
                       l.product_uom_id
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                 WHERE %s AND l.product_id = flagged.id
              ORDER BY l.invoice_date DESC NULLS LAST, l.id DESC
                 LIMIT 1
              ) last
         LEFT JOIN sale_reorder_rhythm r
                ON %s AND r.company_id = %s AND r.partner_id = %s
               AND r.product_id = flagged.id
         LEFT JOIN uom_uom lu ON lu.id = last.product_uom_id
         LEFT JOIN product_product rpp ON rpp.id = r.product_id
         LEFT JOIN product_template rpt ON rpt.id = rpp.product_tmpl_id
         LEFT JOIN uom_uom pu ON pu.id = rpt.uom_id
         LEFT JOIN (%s) on_order ON on_order.product_id = flagged.id
          ORDER BY last.invoice_date DESC NULLS LAST, flagged.id
            """,
            Rhythm._get_on_order_sql("on_order", SQL("last.invoice_date")),
            self._get_reorder_flagged_products_query(company, product_ids),
            conditions,
            bool(company.reorder_due_enabled),
            company.id,
            self.commercial_partner_id.id,
            Rhythm._get_on_order_query(
                company._get_reorder_today(), company, self.commercial_partner_id
            ),
        )

    def _get_reorderable_products(self, company=None, product_ids=None):
        """The products this customer may reorder, most recent first (among
        ``product_ids``, when given: step 2 reads the chosen items only).

        A product qualifies when it is flagged available for reorder, active, sellable,
        of the company, and on a purchase of the partner's commercial entity
        (account.move's ``_get_reorder_purchase_sql``: a posted customer invoice not
        credited in full, a paid sales receipt, as the company's settings allow). One
        query, at a cost that does not grow with the length of the history.

        With the company's "Due for reorder" on, each product the customer buys on a
        rhythm also has its usual interval, its usual quantity (in the unit of the
        last purchase), its next expected date and its status on the company's today
        (sale.reorder.rhythm._get_due_status); the others have None. An item the
        customer has on order (sale.reorder.rhythm._get_on_order_query) has the
        status "on_order", rhythm or not.

        :return: a dict {product.product: {"product", "last_date", "last_quantity",
            "last_price", "currency", "uom", "interval_days", "usual_quantity",
            "next_date", "on_order", "due_status", "due_days", "due_label",
            "interval_label"}},
            most recent first
        """
        company = company or self.env.company
        query = self._get_reorderable_products_query(company, product_ids)
        if query is None:
            return {}
        self.env["sale.reorder.rhythm"]._refresh_pending()
        self.env.flush_all()
        self.env.cr.execute(query)
        rows = self.env.cr.fetchall()
        products = self.env["product.product"].browse([row[0] for row in rows])
        currencies = self.env["res.currency"].browse({row[4] for row in rows})
        uoms = self.env["uom.uom"].sudo().browse({row[5] for row in rows if row[5]})
        Rhythm = self.env["sale.reorder.rhythm"]
        today = company._get_reorder_today()
        lead_days = company.reorder_due_lead_days
        # Translated once for all the items (a rhythm's or "On order").
        labels = Rhythm._get_labels() if any(r[7] or r[9] for r in rows) else None
        result = {}
        for product, row in zip(products, rows, strict=True):
            uom = uoms.browse(row[5]) if row[5] else product.uom_id
            item = result[product] = {
                "product": product,
                "last_date": row[1],
                "last_quantity": row[2],
                "last_price": row[3],
                "currency": currencies.browse(row[4]),
                "uom": uom,
                "interval_days": row[6],
                "next_date": row[7],
                "usual_quantity": None,
                "on_order": row[9],
                "due_status": "on_order" if row[9] else None,
                "due_days": None,
                "due_label": "",
                "interval_label": "",
            }
            if row[7]:
                item["usual_quantity"] = float_round(
                    row[8], precision_rounding=uom.rounding
                )
                item["due_status"], item["due_days"] = Rhythm._get_due_status(
                    row[7], row[6], lead_days, today, on_order=row[9]
                )
                item["interval_label"] = Rhythm._get_interval_label(row[6], labels)
            if item["due_status"]:
                item["due_label"] = Rhythm._get_due_label(
                    item["due_status"], item["due_days"], labels
                )
        return result

    def _search_reorderable_products(self, company, term, limit=10):
        """Quick add: up to ``limit`` of the products this customer may reorder
        whose internal reference, barcode or name holds ``term``; a reference or
        barcode equal to it first, then references starting with it, then by name.

        The catalogue's products matching ``term`` are probed one by one on the
        customer's own history (the partial index of account.move.line's
        ``init()``), never the history scanned: the cost follows the catalogue's
        matches, not the length of the history.

        :return: the same dict as _get_reorderable_products, in that order
        """
        self.ensure_one()
        term = (term or "").strip()
        conditions = self._get_reorderable_line_conditions(company)
        if not term or conditions is None:
            return {}
        Product = self.env["product.product"].sudo().with_company(company)
        # The customer's "%" and "_" are characters, not patterns.
        escaped = escape_psql(term)
        matching = Product._search(
            [
                "|",
                "|",
                ("default_code", "ilike", escaped),
                ("barcode", "ilike", escaped),
                ("name", "ilike", escaped),
            ]
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT pp.id
                  FROM (%(flagged)s) flagged
                  JOIN product_product pp ON pp.id = flagged.id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE pp.id IN %(matching)s
                   AND EXISTS(
                        SELECT 1
                          FROM account_move_line l
                          JOIN account_move m ON m.id = l.move_id
                         WHERE %(conditions)s AND l.product_id = pp.id
                   )
              ORDER BY LOWER(pp.default_code) = LOWER(%(term)s)
                       OR pp.barcode = %(term)s DESC,
                       LOWER(pp.default_code) LIKE LOWER(%(prefix)s) DESC,
                       COALESCE(pt.name->>%(lang)s, pt.name->>'en_US'), pp.id
                 LIMIT %(limit)s
                """,
                flagged=self._get_reorder_flagged_products_query(company),
                matching=matching.subselect(),
                conditions=conditions,
                term=term,
                prefix=escaped + "%",
                lang=self.env.lang or "en_US",
                limit=limit,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if not ids:
            return {}
        found = self._get_reorderable_products(company, ids)
        by_id = {product.id: product for product in found}
        return {by_id[i]: found[by_id[i]] for i in ids if i in by_id}

    def _get_reorder_due_items(self, company=None):
        """The items of the history due for reorder (or overdue), most overdue
        first: the same dicts as _get_reorderable_products."""
        items = [
            item
            for item in self._get_reorderable_products(company).values()
            if item["due_status"] in DUE_STATUSES
        ]
        return sorted(items, key=due_first_key)

    def _get_reorder_due_count_query(self, company):
        """How many items are due for this customer (due or overdue:
        sale.reorder.rhythm's ``_get_due_sql``; not those on order): read from the
        stored rhythms, whatever the length of the history."""
        Move = self.env["account.move"]
        if not company.reorder_due_enabled or not (
            Move._get_reorder_purchase_move_types(company)
        ):
            return None
        today = company._get_reorder_today()
        Rhythm = self.env["sale.reorder.rhythm"]
        return SQL(
            """
            SELECT COUNT(*)
              FROM sale_reorder_rhythm r
         LEFT JOIN (%s) on_order ON on_order.product_id = r.product_id
             WHERE r.company_id = %s AND r.partner_id = %s
               AND %s
               AND r.product_id IN (%s)
               AND NOT %s
            """,
            Rhythm._get_on_order_query(today, company, self.commercial_partner_id),
            company.id,
            self.commercial_partner_id.id,
            Rhythm._get_due_sql("r", company.reorder_due_lead_days, today),
            self._get_reorder_flagged_products_query(company),
            Rhythm._get_on_order_sql("on_order", SQL("r.last_date")),
        )

    def _get_reorder_due_count(self, company=None):
        """The number of items due (or overdue) for reorder (the /my card)."""
        self.ensure_one()
        query = self._get_reorder_due_count_query(company or self.env.company)
        if query is None:
            return 0
        self.env["sale.reorder.rhythm"]._refresh_pending()
        self.env.flush_all()
        self.env.cr.execute(query)
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------------------
    # The reminder of due items (sale.reorder.reminder)
    # ------------------------------------------------------------------------------

    def _get_reorder_reminder_token(self):
        """What proves an opt-out link was sent to this contact (no login needed)."""
        self.ensure_one()
        return tools.hmac(self.env(su=True), "sale_reorder-reminder-opt-out", self.id)

    def _check_reorder_reminder_token(self, token):
        """Whether ``token`` is this contact's, in constant time. Compared as bytes:
        a link may carry any text (non-ASCII, undecodable bytes), which is simply
        not the token."""
        if not token or not isinstance(token, str):
            return False
        expected = self._get_reorder_reminder_token()
        return tools.consteq(token.encode("utf-8", "surrogatepass"), expected.encode())

    def _get_reorder_reminder_opt_out_url(self):
        self.ensure_one()
        return (
            f"{self.get_base_url()}/reorder/reminders/stop/{self.id}/"
            f"{self._get_reorder_reminder_token()}"
        )

    def _get_reorder_reminder_headers(self):
        """One-click unsubscribe (RFC 8058), as mail clients offer it."""
        return {
            "List-Unsubscribe": f"<{self._get_reorder_reminder_opt_out_url()}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }

    def _get_reorder_reminder_values(self):
        """What the reminder email of this contact shows, for the current company:
        the due items (with their usual quantity), the link to request them, the
        opt-out link."""
        self.ensure_one()
        company = self.env.company
        return {
            "company": company,
            "items": [
                {
                    **item,
                    "quantity_text": format_quantity(self.env, item["usual_quantity"]),
                }
                for item in self._get_reorder_due_items(company)
            ],
            "url": self._get_reorder_usual_url(),
            "opt_out_url": self._get_reorder_reminder_opt_out_url(),
        }

    def _get_reorder_usual_url(self):
        """The reminder's link to step 2 prefilled: Odoo's login page, which opens
        step 2 once logged in (at once when already). Only for a contact invited
        to the portal who has not chosen a password yet, the invitation's token
        link instead (auth_signup: choose a password, then step 2). Never a token
        to an account that has a password or has been used: whoever holds the email
        could choose a new password and take the account."""
        self.ensure_one()
        partner = self.sudo()
        if partner._is_reorder_invitation_pending():
            return partner._get_signup_url_for_action(url=REORDER_USUAL_URL)[partner.id]
        query = url_encode({"redirect": REORDER_USUAL_URL})
        return f"{partner.get_base_url()}/web/login?{query}"

    def _is_reorder_invitation_pending(self):
        """Whether this contact was invited to the portal and has not signed up yet:
        auth_signup's invitation is pending (``signup_type`` "signup", which it also
        sets for a user created with an email and a password), and none of the
        contact's users has a password (read in SQL: the ORM never reads it; the
        portal wizard's invitation creates the user without one) or has ever
        logged in."""
        self.ensure_one()
        partner = self.sudo()
        users = partner.with_context(active_test=False).user_ids
        if (
            partner.signup_type != "signup"
            or not users
            or any(users.mapped("login_date"))
        ):
            return False
        self.env.cr.execute(
            SQL(
                """
                SELECT 1 FROM res_users
                 WHERE id IN %s AND COALESCE(password, '') != ''
                 LIMIT 1
                """,
                tuple(users.ids),
            )
        )
        return not self.env.cr.fetchone()
