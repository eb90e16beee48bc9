from odoo import Command, api, models
from odoo.exceptions import UserError


class SaleReorderRequest(models.Model):
    """The documents staff make from the request when they accept it, and how the
    customer and staff find them again. Each kind of document is one creator in
    ``_get_document_creators``: an extending module adds a kind through super()."""

    _inherit = "sale.reorder.request"

    # === BUSINESS METHODS ===#

    @api.model
    def _get_document_creators(self):
        """{kind: (label, method name)} of the documents Accept can make, in the
        order the wizard offers them. ``method(journal=None, **options)`` creates the
        documents of the request and returns them (``options``: what the dialog
        asked, as the related order's PIN and notes). Extend with super() to add a
        kind."""
        creators = {
            "related_order": (self.env._("Related Order"), "_create_related_child"),
            "quotation": (self.env._("Quotation"), "_create_quotation"),
            "sale_order": (self.env._("Sales Order"), "_create_sale_order"),
            "invoice": (self.env._("Invoice"), "_create_invoice"),
            "receipt": (self.env._("Sales Receipt"), "_create_receipt"),
        }
        if "mrp.production" in self.env:
            creators["manufacturing_order"] = (
                self.env._("Manufacturing Order"),
                "_create_manufacturing_order",
            )
        return creators

    @api.model
    def _selection_document_type(self):
        return [
            (kind, label) for kind, (label, _m) in self._get_document_creators().items()
        ]

    def _can_invoice(self):
        return self.env["account.move"].has_access("create")

    def _get_available_document_types(self):
        """[(kind, label)] of the documents this user can make from the request:
        invoices and receipts need invoicing rights, a manufacturing order a bill
        of materials for at least one requested product."""
        self.ensure_one()
        kinds = self._selection_document_type()
        if not self._can_invoice():
            kinds = [kind for kind in kinds if kind[0] not in ("invoice", "receipt")]
        if not self._get_lines_with_bom():
            kinds = [kind for kind in kinds if kind[0] != "manufacturing_order"]
        if not self._can_relate_order():
            kinds = [kind for kind in kinds if kind[0] != "related_order"]
        return kinds

    def _can_relate_order(self):
        """Whether Accept can make a related order: the request was asked from one
        of the customer's orders (still not cancelled) that this user may edit, as
        Create Related Order requires."""
        self.ensure_one()
        order = self.related_order_id
        return (
            bool(order)
            and order.sudo().state != "cancel"
            and order.with_env(self.env).has_access("write")
        )

    def _check_document_type(self, document_type):
        """Refuse a kind of document this user cannot make from the request, with
        the reason (the form only offers the others; an RPC client may ask)."""
        self.ensure_one()
        if document_type in dict(self._get_available_document_types()):
            return
        if document_type in ("invoice", "receipt") and document_type in dict(
            self._selection_document_type()
        ):
            raise UserError(
                self.env._(
                    "Creating invoices and sales receipts needs invoicing rights: "
                    "create a quotation or a sales order instead, or ask an accountant."
                )
            )
        if document_type == "related_order":
            raise UserError(
                self.env._(
                    "A related order is made for a request the customer asked from "
                    "one of their orders (not cancelled), by a user who may edit that "
                    "order: create a quotation or a sales order instead."
                )
            )
        if document_type == "manufacturing_order" and "mrp.bom" in self.env:
            raise UserError(
                self.env._(
                    "None of the requested products has a bill of materials to make "
                    "it: create a quotation or a sales order instead."
                )
            )
        raise UserError(self.env._("This kind of document cannot be created here."))

    def _get_items_to_make(self):
        """[(line, product, quantity, unit)]: what Accept & Create makes, in the
        items' order: the accepted items, and the replacements of the replaced
        ones (a declined item stays on the request, with its reason)."""
        self.ensure_one()
        return [
            (line, *item)
            for line in self.line_ids
            if (item := line._get_item_to_make())
        ]

    def _get_lines_with_bom(self):
        """{line: mrp.bom} of the items to make that can be manufactured (the
        replacement's bill of materials for a replaced item; empty without the
        Manufacturing app)."""
        self.ensure_one()
        if "mrp.bom" not in self.env:
            return {}
        items = self._get_items_to_make()
        products = self.env["product.product"].union(
            *(product for _line, product, _qty, _uom in items)
        )
        boms = (
            self.env["mrp.bom"]
            .sudo()
            ._bom_find(products, company_id=self.company_id.id, bom_type="normal")
        )
        return {
            line: boms[product]
            for line, product, _qty, _uom in items
            if boms.get(product)
        }

    def _get_lines_left_out(self, with_bom):
        """The items to make that a manufacturing order cannot make (no bill of
        materials in ``with_bom``, from _get_lines_with_bom)."""
        self.ensure_one()
        return self.line_ids.browse(
            [line.id for line, *_item in self._get_items_to_make()]
        ).filtered(lambda line: line not in with_bom)

    def _prepare_sale_order_values(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "user_id": self.user_id.id,
            "team_id": self.team_id.id,
            "origin": self.name,
            "opportunity_id": self.opportunity_id.id,
            "reorder_request_id": self.id,
            "order_line": self._prepare_order_line_commands(),
        }

    def _prepare_order_line_commands(self):
        """The order lines of the items to make, at today's prices."""
        self.ensure_one()
        return [
            Command.create(
                {
                    "product_id": product.id,
                    "product_uom_qty": quantity,
                    "product_uom": uom.id,
                }
            )
            for _line, product, quantity, uom in self._get_items_to_make()
        ]

    def _create_quotation(self, journal=None, **options):  # pylint: disable=unused-argument
        """A quotation, marked sent: the customer finds it among their quotations."""
        order = self.env["sale.order"].create(self._prepare_sale_order_values())
        order.action_quotation_sent()
        return order

    def _create_sale_order(self, journal=None, **options):  # pylint: disable=unused-argument
        order = self.env["sale.order"].create(self._prepare_sale_order_values())
        order.message_subscribe(partner_ids=order.partner_id.ids)
        order.action_confirm()
        return order

    def _prepare_move_values(self, move_type):
        self.ensure_one()
        return {
            "move_type": move_type,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "invoice_user_id": self.user_id.id,
            "team_id": self.team_id.id,
            "invoice_origin": self.name,
            "reorder_request_id": self.id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "quantity": quantity,
                        "product_uom_id": uom.id,
                    }
                )
                for _line, product, quantity, uom in self._get_items_to_make()
            ],
        }

    def _create_invoice(self, journal=None, **options):  # pylint: disable=unused-argument
        invoice = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(self._prepare_move_values("out_invoice"))
        )
        invoice.message_subscribe(partner_ids=invoice.partner_id.ids)
        # Posted: the customer sees it in the portal (drafts are not shown there).
        invoice.action_post()
        return invoice

    def _create_receipt(self, journal=None, **options):  # pylint: disable=unused-argument
        if not journal or journal.type not in ("bank", "cash"):
            raise UserError(
                self.env._("Choose the payment journal of the sales receipt.")
            )
        receipt = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(self._prepare_move_values("out_receipt"))
        )
        receipt.message_subscribe(partner_ids=receipt.partner_id.ids)
        receipt.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=receipt.ids
        ).create({"journal_id": journal.id})._create_payments()
        return receipt

    def _create_manufacturing_order(self, journal=None, **options):  # pylint: disable=unused-argument
        if "mrp.production" not in self.env:
            raise UserError(
                self.env._("Manufacturing orders need the Manufacturing app.")
            )
        with_bom = self._get_lines_with_bom()
        values = [
            {
                "product_id": product.id,
                "product_qty": quantity,
                "product_uom_id": uom.id,
                "bom_id": with_bom[line].id,
                "origin": self.name,
                "company_id": self.company_id.id,
            }
            for line, product, quantity, uom in self._get_items_to_make()
            if line in with_bom
        ]
        if not values:
            raise UserError(
                self.env._(
                    "None of the requested products has a bill of materials to make it."
                )
            )
        # The items without one are not made: the customer and staff are told which.
        self._get_lines_left_out(with_bom)._mark_left_out()
        return self.env["mrp.production"].create(values)

    def _create_related_child(self, journal=None, pin=None, note=None, **options):  # pylint: disable=unused-argument
        """A related order of the customer's order, through Create Related Order's
        own path (its PIN check and lock-out, its notes, both orders' chatter), with
        the items to make at today's prices."""
        parent = self.related_order_id
        if note is None:
            note = self._get_related_order_note()
        child = parent._create_related_order(note or None, None, pin)
        child.write(
            {
                "reorder_request_id": self.id,
                "opportunity_id": self.opportunity_id.id,
                "order_line": self._prepare_order_line_commands(),
            }
        )
        return child

    def _get_related_order_note(self):
        """The Customer Service Notes of the related order: why the customer asked,
        and their comment."""
        self.ensure_one()
        return "\n".join(
            part
            for part in (
                self._get_related_reason_label(),
                (self.customer_comment or "").strip(),
            )
            if part
        )

    def _get_related_reason_label(self):
        """Why the customer asked for related items, in the reader's language."""
        self.ensure_one()
        reasons = dict(self._fields["related_reason"]._description_selection(self.env))
        return reasons.get(self.related_reason, "")

    def _get_customer_documents(self):
        """The documents made from the request that its own customer can open (in
        the portal and from the Accepted email): [{"label", "name", "url",
        "record"}]. Only documents of the request's customer are listed.

        Accept gives each document its access token, which the URL carries. The
        request's page only reads (a read replica may serve it): a document without
        a token (made before, or linked otherwise) gets its plain URL, which the
        customer opens with their own rights, rather than a token written here."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        orders = self.sale_order_ids.filtered(
            lambda o: (
                o.state != "cancel" and o.partner_id.commercial_partner_id == customer
            )
        )
        moves = self.invoice_ids.filtered(
            lambda m: (
                m._is_reorder_customer_document()
                and m.partner_id.commercial_partner_id == customer
            )
        )
        return [
            {
                "label": document.type_name,
                "name": document.name,
                "url": (
                    document.get_portal_url()
                    if document.access_token
                    else document.access_url
                ),
                "record": document,
            }
            for document in [*orders, *moves]
        ]

    def _log_origin_on(self, documents):
        """Each document made from the request links back to it in its chatter."""
        for document in documents:
            document.message_post_with_source(
                "mail.message_origin_link",
                render_values={"self": document, "origin": self},
                subtype_xmlid="mail.mt_note",
            )

    def _get_productions(self):
        """Manufacturing orders made from these requests, or None when Manufacturing
        is not installed (the addon does not depend on it). Counted as superuser: a
        salesperson without Manufacturing rights still sees the request."""
        if "mrp.production" not in self.env:
            return None
        return (
            self.env["mrp.production"]
            .sudo()
            .search(
                [
                    ("origin", "in", self.mapped("name")),
                    ("company_id", "in", self.company_id.ids),
                ]
            )
        )
