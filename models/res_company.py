from odoo import api, fields, models

from .account_move import REORDER_PURCHASE_SETTINGS

TEMPLATES = {
    "notification": "sale_reorder.mail_template_reorder_notification",
    "accepted": "sale_reorder.mail_template_reorder_accepted",
    "declined": "sale_reorder.mail_template_reorder_declined",
    "reminder": "sale_reorder.mail_template_reorder_reminder",
}
# The documents that count for the purchase history and the buying rhythms.
REORDER_SOURCE_FIELDS = tuple(REORDER_PURCHASE_SETTINGS.values())


class ResCompany(models.Model):
    _inherit = "res.company"

    reorder_request_enabled = fields.Boolean(string="Reorder Requests")
    reorder_from_invoices = fields.Boolean(default=True)
    reorder_from_receipts = fields.Boolean(
        string="Reorder From Sales Receipts", default=True
    )
    reorder_order_page_button = fields.Boolean(
        string="Reorder These Items on Orders",
        default=True,
        help="The portal page of a confirmed order offers Reorder these items (a "
        "request to the sales team). With eCommerce, whose Order Again fills the cart, "
        "untick it to offer Order Again only (or switch Order Again off in the "
        "website's settings to offer this one only).",
    )
    reorder_notification_template_id = fields.Many2one(
        "mail.template",
        domain=[("model", "=", "sale.reorder.request")],
        default=lambda self: self._default_reorder_template("notification"),
    )
    reorder_accepted_template_id = fields.Many2one(
        "mail.template",
        domain=[("model", "=", "sale.reorder.request")],
        default=lambda self: self._default_reorder_template("accepted"),
    )
    reorder_declined_template_id = fields.Many2one(
        "mail.template",
        domain=[("model", "=", "sale.reorder.request")],
        default=lambda self: self._default_reorder_template("declined"),
    )
    reorder_backup_user_id = fields.Many2one(
        "res.users",
        string="Reorder Back-up Assignee",
        domain=[("share", "=", False)],
        help="Receives the reorder requests of customers without a salesperson.",
    )
    reorder_default_document = fields.Selection(
        # Every kind but the related order, which only a related request offers.
        selection=lambda self: [
            kind
            for kind in self.env["sale.reorder.request"]._selection_document_type()
            if kind[0] != "related_order"
        ],
        string="Default Reorder Document",
        default="quotation",
    )
    reorder_rate_limit_count = fields.Integer(
        string="Reorder Requests Per Customer",
        default=10,
        help="At most this many new reorder requests per customer in the period "
        "below (0: no limit).",
    )
    reorder_rate_limit_minutes = fields.Integer(
        string="Reorder Rate Limit Period (Minutes)", default=10
    )
    reorder_due_enabled = fields.Boolean(
        string="Due For Reorder",
        default=True,
        help="Learn each customer's buying rhythm: show what is due in the portal and "
        "in CRM > Reporting > Due for Reorder.",
    )
    reorder_due_lead_days = fields.Integer(
        string="Due Lead Days",
        default=7,
        help="An item is due this many days before its expected date.",
    )
    reorder_reminder_enabled = fields.Boolean(
        string="Remind Customers Of Due Items",
        help="Email portal customers, once a day at most, when items are due.",
    )
    reorder_reminder_interval_days = fields.Integer(
        string="Reminder Interval (Days)",
        default=14,
        help="A customer is reminded at most once in this many days.",
    )
    reorder_reminder_template_id = fields.Many2one(
        "mail.template",
        domain=[("model", "=", "res.partner")],
        default=lambda self: self._default_reorder_template("reminder"),
    )
    # The time zone the company's day counts in (_get_reorder_today), kept with the
    # company: read with it, at no cost of its own on every page.
    reorder_timezone = fields.Char(
        compute="_compute_reorder_timezone",
        store=True,
        help="The time zone of the company's contact, else of its working hours.",
    )

    _sql_constraints = [
        (
            "reorder_rate_limit_positive",
            "CHECK(reorder_rate_limit_count >= 0 AND reorder_rate_limit_minutes >= 0)",
            "The reorder rate limit cannot be negative.",
        ),
        (
            "reorder_due_lead_days_positive",
            "CHECK(reorder_due_lead_days >= 0)",
            "The lead days of due items cannot be negative.",
        ),
        (
            "reorder_reminder_interval_positive",
            "CHECK(reorder_reminder_interval_days >= 1)",
            "Customers can be reminded once a day at most.",
        ),
    ]

    @api.depends("partner_id.tz", "resource_calendar_id.tz")
    def _compute_reorder_timezone(self):
        for company in self:
            company.reorder_timezone = (
                company.partner_id.tz or company.resource_calendar_id.tz or False
            )

    def write(self, vals):
        """Other documents counting for the history: the rhythms are computed again."""
        changed = self.browse()
        if any(field in vals for field in REORDER_SOURCE_FIELDS):
            changed = self.filtered(
                lambda company: any(
                    field in vals and company[field] != vals[field]
                    for field in REORDER_SOURCE_FIELDS
                )
            )
        res = super().write(vals)
        if changed:
            self.env["sale.reorder.rhythm"].sudo()._rebuild(changed)
        return res

    # ------------------------------------------------------------------------------
    # Business: the company's day
    # ------------------------------------------------------------------------------

    def _get_reorder_today(self):
        """The company's today: the date in the time zone of the company's contact
        (its partner's ``tz``), else of its working hours (Odoo gives them the time
        zone of the user who created the company), else UTC. Everything about
        reorders that depends on the day counts from it: the status of each item
        (Due, Overdue, days late) in the portal, the Due for Reorder report and the
        reminder, the reminders' interval and their "tried today", the day the
        expected amounts were priced. One day per company for every user, whatever
        the time zone of the user or of the request's context."""
        self.ensure_one()
        tz = self.sudo().reorder_timezone or "UTC"
        return fields.Date.context_today(self.with_context(tz=tz))

    @api.model
    def _default_reorder_template(self, kind):
        return self.env.ref(TEMPLATES[kind], raise_if_not_found=False)

    def _get_reorder_template(self, kind):
        """The company's template of this kind (notification, accepted, declined)."""
        self.ensure_one()
        return self[f"reorder_{kind}_template_id"]

    @api.model
    def _set_reorder_default_templates(self, kinds=None):
        """Give every company the shipped templates of ``kinds`` (all by default)
        that it has none of (on install, or on the upgrade that adds a kind: the
        fields' defaults could not see the templates, loaded after the columns were
        made)."""
        for kind in kinds or TEMPLATES:
            field = f"reorder_{kind}_template_id"
            self.search([(field, "=", False)]).write(
                {field: self._default_reorder_template(kind).id}
            )
