import logging
from datetime import timedelta

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from ..tools import trigger_mail_queue

_logger = logging.getLogger(__name__)

# How many contacts one run of the job reminds before it saves its progress.
BATCH_SIZE = 200


class SaleReorderReminder(models.AbstractModel):
    """The reminders of items due for reorder: one email per portal contact whose
    customer has items due, at most once in the company's interval, never to a
    contact who opted out. Sent by the daily job, in batches saved one by one, and
    from the Due for Reorder report."""

    _name = "sale.reorder.reminder"
    _description = "Reorder Reminders"

    # ------------------------------------------------------------------------------
    # Business: who is reminded
    # ------------------------------------------------------------------------------

    @api.model
    def _get_companies(self):
        """The companies whose customers the daily job reminds: reorder requests,
        Due for reorder and the reminders on, and a reminder template chosen (an
        administrator may clear it: that company is left out, with a warning)."""
        companies = (
            self.env["res.company"]
            .sudo()
            .search(
                [
                    ("reorder_request_enabled", "=", True),
                    ("reorder_due_enabled", "=", True),
                    ("reorder_reminder_enabled", "=", True),
                ]
            )
        )
        for company in companies.filtered(
            lambda company: not company.reorder_reminder_template_id
        ):
            _logger.warning(
                "Reorder reminders are on for company %s but it has no reminder "
                "template: no reminder sent",
                company.id,
            )
        return companies.filtered("reorder_reminder_template_id")

    @api.model
    def _check_company_can_remind(self, company):
        """Why ``company`` cannot send a reminder now (for Send Reminder Now)."""
        if not (company.reorder_request_enabled and company.reorder_due_enabled):
            raise UserError(
                self.env._(
                    "%(company)s does not take reorder requests with Due for "
                    "reorder: switch both on in the Sales settings first (the "
                    "reminder's link would lead nowhere).",
                    company=company.name,
                )
            )
        if not company.reorder_reminder_template_id:
            raise UserError(
                self.env._(
                    "%(company)s has no reminder template: choose one in the Sales "
                    "settings (Remind Customers Of Due Items).",
                    company=company.name,
                )
            )

    @api.model
    def _get_recipient_conditions(self, company, today, force=False):
        """Who is reminded in ``company`` on ``today``, condition by condition:
        portal users of the company with an email, not opted out (nor their
        customer), whose customer (commercial entity) has items due (not on
        order); unless ``force``, not reminded within the company's interval and
        not tried yet today. Each condition comes with the reason a contact who
        fails it is not reminded (what Send Reminder Now tells), in the order they
        are told.

        :return: [(reason, SQL condition on the contact ``p`` and its user ``u``)]
        """
        Partner = self.env["res.partner"]
        Rhythm = self.env["sale.reorder.rhythm"]
        conditions = [
            (
                "no_portal",
                SQL(
                    """
                    u.active AND u.share AND p.active
                    AND u.company_id = %(company)s
                    AND u.id IN (
                        SELECT uid FROM res_groups_users_rel WHERE gid = %(portal)s)
                    """,
                    company=company.id,
                    portal=self.env.ref("base.group_portal").id,
                ),
            ),
            ("no_email", SQL("COALESCE(p.email, '') != ''")),
            (
                # ticked on the customer's company: none of its contacts
                "customer_opted_out",
                SQL(
                    """
                    NOT EXISTS (
                        SELECT 1 FROM res_partner cp
                         WHERE cp.id = p.commercial_partner_id
                           AND cp.reorder_reminder_opt_out)
                    """
                ),
            ),
            ("opted_out", SQL("NOT COALESCE(p.reorder_reminder_opt_out, FALSE)")),
            (
                "nothing_due",
                SQL(
                    """
                    EXISTS (
                        SELECT 1
                          FROM sale_reorder_rhythm r
                         WHERE r.company_id = %(company)s
                           AND r.partner_id = p.commercial_partner_id
                           AND %(due)s
                           AND r.product_id IN (%(flagged)s)
                           -- not on order: never reminded
                           AND NOT EXISTS (
                               SELECT 1 FROM (%(on_order)s) on_order
                                WHERE on_order.company_id = r.company_id
                                  AND on_order.partner_id = r.partner_id
                                  AND on_order.product_id = r.product_id
                                  AND %(is_on_order)s)
                    )
                    """,
                    company=company.id,
                    due=Rhythm._get_due_sql("r", company.reorder_due_lead_days, today),
                    flagged=Partner._get_reorder_flagged_products_query(company),
                    on_order=Rhythm._get_on_order_query(today, company),
                    is_on_order=Rhythm._get_on_order_sql(
                        "on_order", SQL("r.last_date")
                    ),
                ),
            ),
        ]
        if not force:
            conditions += [
                (
                    "reminded",
                    SQL(
                        """
                        p.reorder_reminder_date IS NULL
                        OR p.reorder_reminder_date <= %s
                        """,
                        today - timedelta(days=company.reorder_reminder_interval_days),
                    ),
                ),
                (
                    "tried_today",
                    SQL(
                        """
                        p.reorder_reminder_attempt_date IS NULL
                        OR p.reorder_reminder_attempt_date < %s
                        """,
                        today,
                    ),
                ),
            ]
        return conditions

    @api.model
    def _get_recipients_query(self, company, today, customers=None, force=False):
        """The contacts to remind in ``company`` on ``today`` (res_partner ids), as
        _get_recipient_conditions says. ``customers`` limits them to the contacts
        of these commercial entities."""
        conditions = [
            SQL("(%s)", condition)
            for _reason, condition in self._get_recipient_conditions(
                company, today, force=force
            )
        ]
        if customers is not None:
            conditions.append(
                SQL("p.commercial_partner_id IN %s", tuple(customers.ids) or (0,))
            )
        return SQL(
            """
            SELECT p.id
              FROM res_users u
              JOIN res_partner p ON p.id = u.partner_id
             WHERE %s
          ORDER BY p.id
            """,
            SQL(" AND ").join(conditions),
        )

    @api.model
    def _get_not_reminded_reasons(self, company, today, customers, force=False):
        """Why no contact of each of ``customers`` (commercial entities) is reminded
        on ``today``: the first condition of _get_recipient_conditions that their
        contact closest to being reminded fails (of several reminded within the
        interval, the first one possible again).

        :return: {customer: (reason, date of that contact's last reminder)}; the
            reason is "failed" when every condition holds (the email could not be
            sent)
        """
        conditions = self._get_recipient_conditions(company, today, force=force)
        stage = SQL(
            "CASE %s ELSE %s END",
            SQL(" ").join(
                SQL("WHEN (%s) IS NOT TRUE THEN %s", condition, index)
                for index, (_reason, condition) in enumerate(conditions)
            ),
            len(conditions),
        )
        self.env["sale.reorder.rhythm"]._refresh_pending()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (p.commercial_partner_id)
                       p.commercial_partner_id, %s AS stage, p.reorder_reminder_date
                  FROM res_partner p
             LEFT JOIN res_users u ON u.partner_id = p.id
                 WHERE p.commercial_partner_id IN %s
              ORDER BY p.commercial_partner_id, stage DESC,
                       p.reorder_reminder_date NULLS FIRST, p.id
                """,
                stage,
                tuple(customers.ids) or (0,),
            )
        )
        reasons = [reason for reason, _condition in conditions] + ["failed"]
        return {
            customers.browse(customer_id): (reasons[index], reminder_date)
            for customer_id, index, reminder_date in self.env.cr.fetchall()
        }

    @api.model
    def _get_recipients(self, company, today, limit=None, **kwargs):
        query = self._get_recipients_query(company, today, **kwargs)
        if limit:
            query = SQL("%s LIMIT %s", query, limit)
        self.env["sale.reorder.rhythm"]._refresh_pending()
        self.env.flush_all()
        self.env.cr.execute(query)
        return (
            self.env["res.partner"].sudo().browse(r[0] for r in self.env.cr.fetchall())
        )

    @api.model
    def _count_recipients(self, company, today):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT COUNT(*) FROM (%s) q",
                self._get_recipients_query(company, today),
            )
        )
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------------------
    # Actions: the daily job
    # ------------------------------------------------------------------------------

    @api.model
    def _cron_send_reminders(self, batch_size=BATCH_SIZE):
        """One batch of the daily job: remind up to ``batch_size`` contacts, then
        tell the scheduler how many are left (ir.cron._notify_progress). The
        scheduler commits after each batch and calls again while some are left, so
        the job stops and resumes anywhere; a contact reminded (or tried) today is
        not picked again.

        :return: (reminded or tried, remaining)
        """
        done = 0
        companies = self._get_companies()
        for company in companies:
            if done >= batch_size:
                break
            today = company._get_reorder_today()
            recipients = self._get_recipients(company, today, limit=batch_size - done)
            self._send(recipients, company, today)
            done += len(recipients)
        remaining = sum(
            self._count_recipients(company, company._get_reorder_today())
            for company in companies
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done, remaining

    @api.model
    def _send_to_customers(self, customers, company, force=False):
        """Remind the portal contacts of ``customers`` (commercial entities) now, as
        the daily job would; ``force`` (sales managers) skips the interval.

        :return: the contacts reminded
        """
        if force and not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(
                self.env._("Only a sales manager can send a reminder before its time.")
            )
        self._check_company_can_remind(company)
        today = company._get_reorder_today()
        recipients = self._get_recipients(
            company, today, customers=customers, force=force
        )
        return self._send(recipients, company, today)

    # ------------------------------------------------------------------------------
    # Tooling
    # ------------------------------------------------------------------------------

    @api.model
    def _send(self, recipients, company, today):
        """Email each of ``recipients`` the company's reminder (queued, sent by the
        mail queue). One contact's failure is logged and leaves the others alone: it
        is tried again the next day.

        :return: the contacts reminded
        """
        if not recipients:
            return recipients
        template = company.reorder_reminder_template_id.sudo().with_company(company)
        try:
            with self.env.cr.savepoint():
                self._send_batch(template, recipients)
            reminded = recipients.ids
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            # A colleague's change since this transaction began: the whole batch is
            # tried again (by Odoo, or the scheduler's next call), not one by one.
            raise
        except Exception:  # noqa: BLE001 (logged below, contact by contact)
            # One of them failed: one by one, to remind the others and log that one.
            _logger.info("A reorder reminder failed: sending the batch one by one")
            reminded = []
            for recipient in recipients:
                try:
                    with self.env.cr.savepoint():
                        self._send_batch(template, recipient)
                except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                    raise
                except Exception:
                    _logger.exception(
                        "Reorder reminder to contact %s failed; tried again tomorrow",
                        recipient.id,
                    )
                else:
                    reminded.append(recipient.id)
        reminded = recipients.browse(reminded)
        recipients.write({"reorder_reminder_attempt_date": today})
        reminded.write({"reorder_reminder_date": today})
        if reminded:
            trigger_mail_queue(self.env)
        return reminded

    @api.model
    def _send_batch(self, template, recipients):
        """The emails of ``recipients``, rendered together (Odoo's send_mail_batch),
        each with its own one-click unsubscribe header."""
        mails = template.send_mail_batch(
            recipients.ids, email_layout_xmlid="sale_reorder.mail_notification_reminder"
        )
        by_id = {recipient.id: recipient for recipient in recipients}
        for mail in mails:
            mail.headers = repr(by_id[mail.res_id]._get_reorder_reminder_headers())
        mails.flush_recordset()
        return mails
