from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ...tools import FORBIDDEN_CHARACTERS_RE, format_quantity


class ReorderDecisionConflict(UserError):
    """Another user decides (or decided) the request first: expected between
    colleagues, not an error. The wizards tell the user with a notification."""


class SaleReorderRequest(models.Model):
    """The request decided: accept, decline, withdraw. Each request is decided once,
    by one user at a time (a row lock refuses the second at once), its audit trail
    written through ``_write_audit_trail`` only."""

    _inherit = "sale.reorder.request"

    # === BUSINESS METHODS ===#

    @api.model
    def _check_decision_access(self, vals_list):
        """The Accept and Decline wizards only for requests the user may decide
        (record rules included): a wizard made for another salesperson's request
        would show its customer and its access link."""
        self.browse(
            {vals["request_id"] for vals in vals_list if vals.get("request_id")}
        ).check_access("write")

    def _lock_pending(self):
        """Lock the rows and check they are still Pending: two users clicking at the
        same moment cannot both decide. A row another user is deciding right now is
        skipped (SKIP LOCKED), not waited for: the second user is told at once, and
        nothing is logged as an error (NO KEY: a colleague opening a dialog that
        refers to the request takes a key-share lock, which is no decision). A row
        decided and committed since this transaction began ends in a serialization
        failure, which Odoo retries: the retry finds it decided."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM sale_reorder_request WHERE id IN %s "
                "FOR NO KEY UPDATE SKIP LOCKED",
                tuple(self.ids),
            ),
            log_exceptions=False,
        )
        if len(self.env.cr.fetchall()) != len(self):
            raise ReorderDecisionConflict(
                self.env._(
                    "Another user is deciding on this request right now. Try again."
                )
            )
        self.invalidate_recordset(["state"])
        for request in self:
            if request.state != "pending":
                raise ReorderDecisionConflict(
                    self.env._(
                        "Reorder request %(name)s is already %(state)s.",
                        name=request.name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[request.state].lower(),
                    )
                )

    def _get_decision_conflict_action(self, conflict):
        """What a wizard returns when another user decided first: a notification,
        the dialog closed and the request shown as it is now."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": conflict.args[0],
                "type": "warning",
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _check_can_accept(self, document_type):
        """Refuse, with the reason, what Accept & Create cannot make: an item whose
        decision is incomplete, nothing left to make, a kind of document this user
        cannot make of the request."""
        self.ensure_one()
        self.line_ids._check_decisions()
        if not self._get_items_to_make():
            raise UserError(
                self.env._(
                    "Every item of %s is declined: nothing is left to make. "
                    "Decline the request instead.",
                    self.name,
                )
            )
        self._check_document_type(document_type)

    def _accept(self, document_type, journal=None, **options):
        """Create the document from the request and mark it Accepted.

        :param document_type: quotation, sale_order, invoice, receipt,
            manufacturing_order or related_order
        :param journal: the payment journal of a sales receipt
        :param options: for the creator: a related order's ``pin`` and ``note``
        :return: the created records
        """
        self.ensure_one()
        self._lock_pending()
        self._check_can_accept(document_type)
        creators = self._get_document_creators()
        # The salesperson already follows the request: no "You have been assigned"
        # email for each document made from it.
        create = getattr(
            self.with_context(mail_auto_subscribe_no_notify=True),
            creators[document_type][1],
        )
        documents = create(journal=journal, **options)
        documents = documents.with_env(self.env)
        # The request's portal page links the customer's documents: their access
        # tokens exist now, so that page never writes (a read replica may serve it).
        if hasattr(documents, "_portal_ensure_token"):
            for document in documents.sudo():
                document._portal_ensure_token()
        self._write_audit_trail(
            {
                "state": "accepted",
                "decision_date": fields.Datetime.now(),
                "decided_by_id": self.env.user.id,
            }
        )
        self._set_opportunity_won()
        self._log_origin_on(documents)
        body = self.env._(
            "Accepted: %s created.",
            Markup(", ").join(document._get_html_link() for document in documents),
        )
        if items := self._get_item_decisions_html():
            body = Markup("%s%s") % (body, items)
        if left_out := self.line_ids.filtered("left_out"):
            body = Markup("%s<br/>%s") % (
                body,
                self.env._(
                    "Left out (no bill of materials): %s",
                    ", ".join(left_out._get_names_to_make()),
                ),
            )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        self._close_review_activity(self.env._("Accepted"))
        return documents

    def _get_item_decisions_html(self):
        """The items staff declined or replaced, for staff (the Accept dialog, the
        chatter): "Declined: Hinge (Discontinued)", "Replaced: LED Strip by LED
        Strip 2, 3 Units"; empty when every item is accepted."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.decision != "accept")
        if not lines:
            return Markup()
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        items = []
        for line in lines:
            if line.decision == "decline":
                items.append(
                    self.env._(
                        "Declined: %(item)s (%(reason)s)",
                        item=line.product_id.display_name,
                        reason=line._get_decline_text() or self.env._("no reason"),
                    )
                )
            else:
                items.append(
                    self.env._(
                        "Replaced: %(item)s by %(replacement)s, %(quantity)s %(unit)s",
                        item=line.product_id.display_name,
                        replacement=line.replacement_product_id.display_name
                        or self.env._("nothing chosen yet"),
                        quantity=format_quantity(
                            self.env, line.replacement_qty, digits
                        ),
                        unit=line.replacement_uom_id.name or "",
                    )
                )
        return Markup("<ul class='mb-0'>%s</ul>") % Markup().join(
            Markup("<li>%s</li>") % item for item in items
        )

    def _decline_items(self):
        """A request declined or withdrawn as a whole: each item declined (with the
        reason staff gave it, if any), as the items' analysis counts them."""
        self.line_ids.filtered(lambda line: line.decision != "decline").write(
            {"decision": "decline"}
        )

    def _decline(self, reason=None):
        self._lock_pending()
        reason = (reason or "").strip()
        if FORBIDDEN_CHARACTERS_RE.search(reason):
            raise UserError(
                self.env._("The reason contains invisible control characters.")
            )
        self._decline_items()
        self._write_audit_trail(
            {
                "state": "declined",
                "decision_date": fields.Datetime.now(),
                "decided_by_id": self.env.user.id,
                "decline_reason": reason or False,
            }
        )
        self._set_opportunity_lost("sale_reorder.crm_lost_reason_reorder_declined")
        self._close_review_activity(self.env._("Declined"))

    def _can_withdraw(self, user):
        """Whether ``user`` may withdraw the request: the contact who sent it, while
        it is pending. Colleagues of the same customer see it read-only."""
        self.ensure_one()
        return (
            self.state == "pending"
            and not user._is_public()
            and user.partner_id == self.partner_id
        )

    def _withdraw_by_customer(self, user):
        """The customer takes back a pending request (from the portal): Withdrawn,
        decided by the customer's own user, the opportunity lost ("Withdrawn by
        customer"), the to-do closed and the salesperson told by one email.

        :param user: the customer's user (the portal's records are superuser ones)
        """
        self.ensure_one()
        if not self._can_withdraw(user):
            raise AccessError(
                self.env._("Only the contact who sent a request can withdraw it.")
            )
        self._lock_pending()
        self._decline_items()
        self._write_audit_trail(
            {
                "state": "withdrawn",
                "decision_date": fields.Datetime.now(),
                "decided_by_id": user.id,
            }
        )
        company_env = self.with_user(SUPERUSER_ID).with_context(
            mail_notify_force_send=False
        )
        company_env._set_opportunity_lost(
            "sale_reorder.crm_lost_reason_reorder_withdrawn"
        )
        # The to-do's "done" line in the chatter under the customer's name; the
        # salesperson's email from the company.
        self.with_user(user).sudo()._close_review_activity(
            self.env._("Withdrawn by the customer")
        )
        company_env._email_salesperson(
            self.env.ref(
                "sale_reorder.mail_template_reorder_withdrawn",
                raise_if_not_found=False,
            )
        )
