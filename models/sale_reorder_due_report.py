from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from ..tools import format_quantity, try_advisory_xact_lock
from .sale_reorder_rhythm import DUE_STATUSES

# The advisory lock of Create Opportunity, per company and customer.
OPPORTUNITY_LOCK = "due_opportunity"


class SaleReorderDueReport(models.Model):
    """CRM > Reporting > Due for Reorder: every customer's rhythms of products
    offered for reorder, with their status today, in companies where "Due for
    reorder" is on. An SQL view over the stored rhythms."""

    _name = "sale.reorder.due.report"
    _description = "Due for Reorder"
    _auto = False
    _rec_name = "product_id"
    _order = "status_sequence, next_date, id"
    # What the query reads: Odoo flushes these before reading the report.
    _depends = {
        "sale.reorder.rhythm": [
            "company_id",
            "partner_id",
            "product_id",
            "purchase_count",
            "last_date",
            "interval_days",
            "usual_quantity",
            "next_date",
            "expected_amount",
        ],
        "res.company": ["currency_id", "reorder_due_enabled", "reorder_due_lead_days"],
        "res.partner": ["user_id"],
        "product.product": ["active", "product_tmpl_id"],
        "product.template": [
            "available_for_reorder",
            "categ_id",
            "company_id",
            "sale_ok",
            "uom_id",
        ],
        # What is on order (sale.reorder.rhythm._get_on_order_query).
        "sale.reorder.request": [
            "state",
            "company_id",
            "commercial_partner_id",
            "submission_date",
        ],
        "sale.reorder.request.line": ["request_id", "product_id"],
        "sale.order": ["state", "validity_date", "date_order"],
        "sale.order.line": [
            "state",
            "company_id",
            "order_partner_id",
            "product_id",
            "qty_invoiced",
            "product_uom_qty",
        ],
        "account.move": ["move_type"],
        "account.move.line": [
            "company_id",
            "partner_id",
            "product_id",
            "display_type",
            "parent_state",
        ],
    }

    # ------------------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------------------

    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    purchase_count = fields.Integer(string="Purchases", readonly=True)
    last_date = fields.Date(string="Last Purchase", readonly=True)
    interval_days = fields.Float(
        string="Usual Interval (Days)", digits=(16, 1), readonly=True, aggregator="avg"
    )
    usual_quantity = fields.Float(
        digits="Product Unit of Measure", readonly=True, aggregator=None
    )
    uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    next_date = fields.Date(string="Next Expected", readonly=True)
    days_overdue = fields.Integer(
        string="Days Late",
        readonly=True,
        aggregator="max",
        help="Days since the next expected date (0 before it). An item is Overdue "
        "once past the grace: a week, or half its usual interval if longer.",
    )
    expected_amount = fields.Monetary(currency_field="currency_id", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    status = fields.Selection(
        [
            ("overdue", "Overdue"),
            ("due", "Due"),
            ("not_due", "Not Due"),
            ("on_order", "On Order"),
        ],
        readonly=True,
        help="On Order: on a pending reorder request, an open quotation, a confirmed "
        "order not fully invoiced yet or a draft invoice; never reminded.",
    )
    status_sequence = fields.Integer(readonly=True, aggregator=None)

    # ------------------------------------------------------------------------------
    # The table: a query over the stored rhythms, on each company's today
    # ------------------------------------------------------------------------------

    @property
    def _table_query(self):
        """The rows, with the statuses of the company's today
        (res.company._get_reorder_today): the same day for every user, and the same
        as the one the reminders and the customer's portal count from (a database
        view could only use the database server's day)."""
        companies = self.env["res.company"].sudo().search([], limit=None)
        today = SQL("t.today")
        Rhythm = self.env["sale.reorder.rhythm"]
        status = Rhythm._get_status_sql(
            "r",
            SQL("c.reorder_due_lead_days"),
            today,
            on_order=Rhythm._get_on_order_sql("on_order", SQL("r.last_date")),
        )
        return SQL(
            """
            SELECT r.id, r.company_id, r.partner_id, p.user_id,
                   r.product_id, pt.categ_id, r.purchase_count, r.last_date,
                   r.interval_days, r.usual_quantity, pt.uom_id, r.next_date,
                   GREATEST(%(today)s - r.next_date, 0) AS days_overdue,
                   r.expected_amount, c.currency_id,
                   %(status)s AS status,
                   CASE %(status)s WHEN 'overdue' THEN 1 WHEN 'due' THEN 2
                                   WHEN 'not_due' THEN 3 ELSE 4 END
                       AS status_sequence
              FROM sale_reorder_rhythm r
              JOIN res_company c ON c.id = r.company_id
              JOIN unnest(%(company_ids)s::int[], %(todays)s::date[])
                   AS t(company_id, today) ON t.company_id = r.company_id
              JOIN res_partner p ON p.id = r.partner_id
              JOIN product_product pp ON pp.id = r.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
         LEFT JOIN (%(on_order)s) on_order
                ON on_order.company_id = r.company_id
               AND on_order.partner_id = r.partner_id
               AND on_order.product_id = r.product_id
             WHERE c.reorder_due_enabled
               AND pt.available_for_reorder AND pt.sale_ok AND pp.active
               AND (pt.company_id IS NULL OR pt.company_id = r.company_id)
            """,
            company_ids=companies.ids,
            todays=[company._get_reorder_today() for company in companies],
            status=status,
            today=today,
            # each company's items on order, on its own day
            on_order=SQL(" UNION ALL ").join(
                Rhythm._get_on_order_query(company._get_reorder_today(), company)
                for company in companies
            ),
        )

    def init(self):
        # 18.0.1.3.0 kept the rows in a view, on the database server's day.
        tools.drop_view_if_exists(self.env.cr, self._table)

    # ------------------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------------------

    def action_send_reminder(self):
        """Send now the reminder the daily job would send the portal contacts of
        these customers (the same email, the same interval)."""
        return self._send_reminders(force=False)

    def action_send_reminder_force(self):
        """Sales managers: send it even within the interval."""
        return self._send_reminders(force=True)

    def _send_reminders(self, force):
        """Remind the selected customers now, and say in one notification who was
        reminded and, for each customer who was not, the one reason why."""
        if not self:
            raise UserError(self.env._("Select the customers to remind."))
        Reminder = self.env["sale.reorder.reminder"]
        reminded = self.env["res.partner"]
        not_reminded = []
        for company in self.company_id:
            company = company.sudo()
            customers = self.filtered(lambda row, c=company: row.company_id == c)
            sent = Reminder._send_to_customers(
                customers.partner_id, company, force=force
            )
            reminded |= sent
            left = customers.partner_id - sent.commercial_partner_id
            if left:
                reasons = Reminder._get_not_reminded_reasons(
                    company, company._get_reorder_today(), left, force=force
                )
                not_reminded += [
                    self._get_not_reminded_message(
                        company, customer, *reasons[customer]
                    )
                    for customer in left
                ]
        lines = []
        if reminded:
            lines.append(
                self.env._(
                    "Reminder sent to %(contacts)s (queued).",
                    contacts=", ".join(reminded.mapped("display_name")),
                )
            )
        if not_reminded:
            lines += [self.env._("No reminder sent to:"), *not_reminded]
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": "\n".join(lines),
                "type": "warning" if not_reminded else "success",
                "sticky": bool(not_reminded),
                # one line per customer
                "className": "text-prewrap",
            },
        }

    def _get_not_reminded_message(self, company, customer, reason, reminder_date):
        """What Send Reminder Now says of a customer not reminded, for a reason of
        sale.reorder.reminder._get_not_reminded_reasons."""
        name = customer.display_name
        if reason == "reminded":
            interval = company.reorder_reminder_interval_days
            return self.env._(
                "%(customer)s: reminded on %(date)s, next possible on %(next)s (at "
                "most once every %(days)s days).",
                customer=name,
                date=format_date(self.env, reminder_date),
                next=format_date(self.env, reminder_date + timedelta(days=interval)),
                days=interval,
            )
        messages = {
            "no_portal": self.env._("%(customer)s: no contact with portal access."),
            "no_email": self.env._(
                "%(customer)s: no contact with portal access has an email address."
            ),
            "customer_opted_out": self.env._(
                "%(customer)s: opted out of reorder reminders (on the customer)."
            ),
            "opted_out": self.env._(
                "%(customer)s: its contacts opted out of reorder reminders."
            ),
            "nothing_due": self.env._("%(customer)s: nothing is due any more."),
            "tried_today": self.env._(
                "%(customer)s: already tried today, the email could not be sent "
                "(tried again tomorrow)."
            ),
            "failed": self.env._(
                "%(customer)s: the email could not be sent (see the server's log)."
            ),
        }
        return messages[reason] % {"customer": name}

    def action_create_opportunity(self):
        """One opportunity per customer with the selected due items, their expected
        revenue and the "Due for reorder" tag; items already on an open one of these
        opportunities are left out, so no item is proposed twice, and the user is
        told which opportunity holds them and whose it is."""
        rows = self.filtered(lambda row: row.status in DUE_STATUSES)
        if not rows:
            raise UserError(self.env._("Select items that are due or overdue."))
        rows._lock_for_opportunity()
        Lead = self.env["crm.lead"]
        tag = self.env.ref("sale_reorder.crm_tag_due_for_reorder")
        # Every open one, also those of colleagues the user cannot read: an item is
        # never proposed twice.
        open_leads = Lead.sudo().search(
            [
                ("tag_ids", "in", tag.ids),
                ("partner_id", "in", rows.partner_id.ids),
                ("type", "=", "opportunity"),
                ("probability", "<", 100),
            ],
            order="id",
        )
        covered = {
            (lead.company_id, lead.partner_id, product): lead
            for lead in open_leads
            for product in lead.reorder_due_product_ids
        }
        groups = defaultdict(list)
        held = defaultdict(lambda: self.env["product.product"])
        for row in rows:
            key = (row.company_id, row.partner_id, row.product_id)
            if key in covered:
                held[covered[key]] |= row.product_id
            else:
                groups[row.company_id, row.partner_id].append(row)
        left_out = [
            self._get_held_items_message(lead, products)
            for lead, products in held.items()
        ]
        if not groups:
            raise UserError(
                "\n".join(
                    [
                        self.env._(
                            "No opportunity created: the selected items are already "
                            "on open opportunities."
                        ),
                        *left_out,
                    ]
                )
            )
        leads = Lead.create(
            [
                self._prepare_opportunity_values(company, customer, items, tag)
                for (company, customer), items in groups.items()
            ]
        )
        for lead, items in zip(leads, groups.values(), strict=True):
            lead._set_reorder_due_products(
                self.env["product.product"].union(*(item.product_id for item in items))
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm.crm_lead_opportunities"
        )
        if len(leads) == 1:
            action.update({"views": [(False, "form")], "res_id": leads.id})
        else:
            action["domain"] = [("id", "in", leads.ids)]
        if not left_out:
            return action
        customers = ", ".join(leads.partner_id.mapped("display_name"))
        if len(leads) == 1:
            created = self.env._(
                "Opportunity created for %(customers)s. Left out, already on open "
                "opportunities:",
                customers=customers,
            )
        else:
            created = self.env._(
                "Opportunities created for %(customers)s. Left out, already on open "
                "opportunities:",
                customers=customers,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": "\n".join([created, *left_out]),
                "type": "warning",
                "sticky": True,
                "className": "text-prewrap",  # one line per opportunity
                "next": action,
            },
        }

    def _get_held_items_message(self, lead, products):
        """Which of the selected items ``lead`` (an open opportunity, maybe one the
        user cannot open) already holds, and whose it is."""
        values = {
            "customer": lead.partner_id.display_name,
            "products": ", ".join(products.mapped("display_name")),
            "opportunity": lead.name,
            "salesperson": lead.user_id.name,
        }
        if lead.user_id:
            return self.env._(
                '%(customer)s: %(products)s, on "%(opportunity)s" (%(salesperson)s).',
                **values,
            )
        return self.env._(
            '%(customer)s: %(products)s, on "%(opportunity)s" (no salesperson).',
            **values,
        )

    def _lock_for_opportunity(self):
        """Hold these rows' customers until the commit (a transaction-level advisory
        lock per company and customer, which nothing else of the addon takes): a
        colleague's click on the same customers at the same moment is refused rather
        than making a second opportunity. The rhythm rows themselves are left alone:
        the daily pricing job and the refresh of posted documents write them."""
        for company, customer in sorted(
            {(r.company_id.id, r.partner_id.id) for r in self}
        ):
            if not try_advisory_xact_lock(
                self.env.cr, OPPORTUNITY_LOCK, company, customer
            ):
                raise UserError(
                    self.env._(
                        "An opportunity is being created for these items right now. "
                        "Try again in a moment."
                    )
                )

    def _prepare_opportunity_values(self, company, customer, items, tag):
        # The report's own order (most overdue first, then the soonest due), as the
        # reminder lists them, whatever order the rows were selected in.
        items = sorted(items, key=lambda item: (item.status_sequence, item.next_date))
        lines = Markup("").join(
            Markup("<li>%s: %s %s (%s)</li>")
            % (
                item.product_id.display_name,
                format_quantity(self.env, item.usual_quantity),
                item.uom_id.name,
                dict(item._fields["status"]._description_selection(self.env))[
                    item.status
                ],
            )
            for item in items
        )
        return {
            "type": "opportunity",
            "name": self.env._("%(customer)s: due for reorder", customer=customer.name),
            "partner_id": customer.id,
            "company_id": company.id,
            "user_id": (customer.user_id or self.env.user).id,
            "expected_revenue": sum(item.expected_amount for item in items),
            "tag_ids": [Command.link(tag.id)],
            "description": Markup("<p>%s</p><ul>%s</ul>")
            % (self.env._("Items due for reorder, at the usual quantity:"), lines),
        }
