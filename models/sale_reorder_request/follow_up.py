from markupsafe import Markup

from odoo import SUPERUSER_ID, Command, fields, models
from odoo.tools import plaintext2html

from ...tools import retried_on_contention, trigger_mail_queue

# The salesperson's "Review reorder request" to-do.
REVIEW_ACTIVITY = "mail.mail_activity_data_todo"
# The layout of the salesperson's emails: Odoo's own for staff, headed by the request
# and its Open Request button (the light one is the customer's, "Your Reorder Request").
STAFF_EMAIL_LAYOUT = "mail.mail_notification_layout"


class SaleReorderRequest(models.Model):
    """What the request sets in motion around it, as the company: the opportunity in
    the pipeline, the salesperson's one email and to-do, the customer's comment in
    the chatter, and the Accepted / Declined emails to the customer only."""

    _inherit = "sale.reorder.request"

    # === BUSINESS METHODS ===#

    def _create_opportunity(self):
        tag = self.env.ref("sale_reorder.crm_tag_reorder", raise_if_not_found=False)
        for request in self:
            # Created without mailing its salesperson (they get the request's one
            # notification) and without the customer as its creator.
            opportunity = (
                self.env["crm.lead"]
                .with_user(SUPERUSER_ID)
                .with_company(request.company_id)
                .with_context(
                    mail_create_nosubscribe=True,
                    mail_auto_subscribe_no_notify=True,
                    mail_notify_force_send=False,
                )
                .create(request._prepare_opportunity_values(tag))
            )
            request._write_audit_trail({"opportunity_id": opportunity.id})

    def _prepare_opportunity_values(self, tag):
        self.ensure_one()
        return {
            "name": self.env._(
                "%(reference)s: reorder from %(customer)s",
                reference=self.name,
                customer=self.partner_id.display_name,
            ),
            "type": "opportunity",
            "partner_id": self.partner_id.id,
            "user_id": self.user_id.id,
            "team_id": self.team_id.id,
            "company_id": self.company_id.id,
            "expected_revenue": self.currency_id._convert(
                self.amount_estimated,
                self.company_id.currency_id,
                self.company_id,
                fields.Date.context_today(self),
            ),
            "tag_ids": [Command.set(tag.ids)],
            "description": self._get_lines_summary(),
        }

    def _get_lines_summary(self):
        """The requested items as HTML (escaped), for the opportunity."""
        self.ensure_one()
        items = Markup("").join(
            Markup("<li>%s × %s %s</li>")
            % (
                line.product_id.display_name,
                line._format_quantity(),
                line.product_uom_id.name,
            )
            for line in self.line_ids
        )
        comment = (
            Markup("<p>%s</p>") % plaintext2html(self.customer_comment)
            if self.customer_comment
            else Markup("")
        )
        return Markup("<p>%s</p><ul>%s</ul>%s") % (
            self.env._("Reorder request %s", self.name),
            items,
            comment,
        )

    def _set_opportunity_won(self):
        if not self.opportunity_id:
            return
        # CRM counts every won or lost opportunity in rows shared by all of a team's
        # leads (crm_lead_scoring_frequency): two requests decided at the same
        # instant update the same rows, and the second is retried.
        with retried_on_contention(self.env):
            self.opportunity_id.sudo().action_set_won()

    def _set_opportunity_lost(self, reason_xmlid):
        lost_reason = self.env.ref(reason_xmlid, raise_if_not_found=False)
        with retried_on_contention(self.env):  # see _set_opportunity_won
            self.opportunity_id.sudo().action_set_lost(
                lost_reason_id=lost_reason.id if lost_reason else False
            )

    def _log_customer_comment(self):
        """The customer's comment in the chatter, in full, under their name: logged,
        not sent (the notification already quotes it)."""
        for request in self.filtered("customer_comment"):
            request._message_log(
                body=plaintext2html(request.customer_comment),
                author_id=request.partner_id.id,
                message_type="comment",
            )

    def _notify_salesperson(self):
        """One email to the salesperson (the settings' template, sent by the company)
        and one "Review reorder request" to-do, assigned without a second email."""
        for request in self:
            salesperson = request.user_id
            request._email_salesperson(
                request.company_id._get_reorder_template("notification")
            )
            # Without salesperson nor back-up assignee: the administrator, never
            # the (portal) user who submitted.
            assignee = salesperson or self.env.ref(
                "base.user_admin", raise_if_not_found=False
            )
            if assignee:
                request.with_context(mail_activity_quick_update=True).activity_schedule(
                    REVIEW_ACTIVITY,
                    summary=self.env._("Review reorder request"),
                    user_id=assignee.id,
                )

    def _email_salesperson(self, template):
        """The salesperson's email about the request (``template``, sent by the
        company): a note, so that only the salesperson is notified, not the
        followers; in Odoo's staff layout, with its Open Request button."""
        self.ensure_one()
        if not (template and self.user_id):
            return
        self.message_post_with_source(
            template,
            subtype_xmlid="mail.mt_note",
            partner_ids=self.user_id.partner_id.ids,
            email_layout_xmlid=STAFF_EMAIL_LAYOUT,
        )
        trigger_mail_queue(self.env)

    def _move_review_activity(self, user_id):
        """The review to-do follows the request to its new salesperson."""
        for request in self.filtered(lambda r: r.state == "pending"):
            if user_id and request.user_id.id != user_id:
                request.sudo().activity_reschedule(
                    [REVIEW_ACTIVITY], new_user_id=user_id
                )

    def _close_review_activity(self, feedback):
        """Mark the review to-do done once the request is decided."""
        self.sudo().with_context(mail_activity_quick_update=True).activity_feedback(
            [REVIEW_ACTIVITY], feedback=feedback
        )

    def _send_decision_email(self, template=None, **message_values):
        """The Accepted or Declined email: to the customer only (not to the
        followers), in the light layout, and shown in the portal's chatter.

        :param template: a mail.template of the request, or None with ``body``,
            ``subject`` and ``partner_ids`` in ``message_values`` (Decline's composer)
        """
        self.ensure_one()
        recipients = message_values.get("partner_ids") or self.partner_id.ids
        thread = self.with_context(
            reorder_notify_partner_ids=recipients, mail_notify_force_send=False
        )
        values = {
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_comment",
            "email_layout_xmlid": "mail.mail_notification_light",
            **message_values,
        }
        trigger_mail_queue(self.env)
        if template:
            return thread.message_post_with_source(template, **values)
        return thread.message_post(**values)
