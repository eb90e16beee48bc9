from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    reorder_request_enabled = fields.Boolean(
        related="company_id.reorder_request_enabled", readonly=False
    )
    reorder_from_invoices = fields.Boolean(
        related="company_id.reorder_from_invoices", readonly=False
    )
    reorder_from_receipts = fields.Boolean(
        related="company_id.reorder_from_receipts", readonly=False
    )
    reorder_order_page_button = fields.Boolean(
        related="company_id.reorder_order_page_button", readonly=False
    )
    reorder_notification_template_id = fields.Many2one(
        related="company_id.reorder_notification_template_id", readonly=False
    )
    reorder_accepted_template_id = fields.Many2one(
        related="company_id.reorder_accepted_template_id", readonly=False
    )
    reorder_declined_template_id = fields.Many2one(
        related="company_id.reorder_declined_template_id", readonly=False
    )
    reorder_backup_user_id = fields.Many2one(
        related="company_id.reorder_backup_user_id", readonly=False
    )
    reorder_default_document = fields.Selection(
        related="company_id.reorder_default_document", readonly=False
    )
    reorder_rate_limit_count = fields.Integer(
        related="company_id.reorder_rate_limit_count", readonly=False
    )
    reorder_rate_limit_minutes = fields.Integer(
        related="company_id.reorder_rate_limit_minutes", readonly=False
    )
    reorder_due_enabled = fields.Boolean(
        related="company_id.reorder_due_enabled", readonly=False
    )
    reorder_due_lead_days = fields.Integer(
        related="company_id.reorder_due_lead_days", readonly=False
    )
    # The time zone of the company's contact: the company's day (see
    # res.company._get_reorder_today).
    reorder_company_tz = fields.Selection(
        related="company_id.partner_id.tz",
        string="Company Time Zone",
        readonly=False,
        help="Days (due items, reminders and their interval) count in this time "
        "zone, the same for every user: when empty, the time zone of the company's "
        "working hours, else UTC.",
    )
    reorder_reminder_enabled = fields.Boolean(
        related="company_id.reorder_reminder_enabled", readonly=False
    )
    reorder_reminder_interval_days = fields.Integer(
        related="company_id.reorder_reminder_interval_days", readonly=False
    )
    reorder_reminder_template_id = fields.Many2one(
        related="company_id.reorder_reminder_template_id", readonly=False
    )
