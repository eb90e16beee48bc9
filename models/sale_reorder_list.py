from psycopg2.errors import UniqueViolation

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.tools import mute_logger
from odoo.tools.sql import create_unique_index, escape_psql

from ..tools import FORBIDDEN_CHARACTERS_RE
from .sale_reorder_request.submission import ReorderInputError

MAX_LIST_NAME_LENGTH = 80
# More than a customer keeps: above it, one more list is refused with a message.
MAX_LISTS_PER_CUSTOMER = 200


class SaleReorderList(models.Model):
    """A list of items and quantities a customer company keeps for its reorders:
    made by one of its portal contacts from step 2 (Save as list), seen, renamed,
    deleted and requested again by every contact of the same company (the record
    rules), read by staff from the customer's form.

    What the portal does with a list is one public method each
    (``create_from_portal``, ``rename_from_portal``, ``unlink_from_portal``), checked
    here as the calling user, then done as the company: a portal user writes no list
    directly."""

    _name = "sale.reorder.list"
    _description = "Reorder List"
    _order = "name, id"

    # === FIELDS ===#

    name = fields.Char(required=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        help="The customer company whose contacts share the list.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="cascade"
    )
    author_id = fields.Many2one(
        "res.partner",
        string="Saved by",
        readonly=True,
        ondelete="set null",
        help="The customer's contact who saved the list.",
    )
    last_used_date = fields.Datetime(string="Last Requested", readonly=True)
    last_used_by_id = fields.Many2one(
        "res.partner", string="Last Requested by", readonly=True, ondelete="set null"
    )
    line_ids = fields.One2many(
        "sale.reorder.list.line", "list_id", string="Items", readonly=True
    )
    item_count = fields.Integer(
        string="Number of Items", compute="_compute_item_count", store=True
    )

    def init(self):
        """One name per list of a customer company (any case): two lists of one
        name could not be told apart, and a form posted twice saves one."""
        res = super().init()
        create_unique_index(
            self.env.cr,
            "sale_reorder_list_name_uniq",
            self._table,
            ["partner_id", "company_id", "LOWER(name)"],
        )
        return res

    # === COMPUTE METHODS ===#

    @api.depends("line_ids")
    def _compute_item_count(self):
        for reorder_list in self:
            reorder_list.item_count = len(reorder_list.line_ids)

    # === ACTION METHODS ===#

    @api.model
    def create_from_portal(self, name, lines):
        """Save a list for the calling portal user's company, in the current
        company: ``lines`` [{"product_id", "quantity"}] as step 2 posts them,
        checked as a request's (items the customer may reorder, quantities in the
        unit of the last purchase), ``name`` its name.

        :raise ReorderInputError: naming each faulty input ("list_name",
            "product_<id>", "quantity_<id>", "lines")
        :return: the new list's id
        """
        return (
            self.sudo()
            ._create_from_portal(
                self.env.user.partner_id, self.env.company, name, lines
            )
            .id
        )

    def rename_from_portal(self, name):
        """Rename a list of the calling user's company (AccessError for any other)."""
        reorder_list = self._check_portal_access()
        reorder_list.ensure_one()
        name = self._check_name(name)
        list_sudo = reorder_list.sudo()
        if (
            list_sudo._find_named(list_sudo.partner_id, list_sudo.company_id, name)
            - list_sudo
        ):
            raise UserError(self._name_taken_message(name))
        list_sudo.write({"name": name})
        return True

    def unlink_from_portal(self):
        """Delete lists of the calling user's company (AccessError for any other)."""
        self._check_portal_access().sudo().unlink()
        return True

    # === BUSINESS METHODS ===#

    @api.model
    def _create_from_portal(self, partner, company, name, lines):
        """The list of ``lines`` for ``partner``'s company (checked against its
        reorderable items in ``company``), as superuser."""
        if not company.reorder_request_enabled:
            raise UserError(self.env._("Reorder requests are not available."))
        errors = {}
        try:
            name = self._check_name(name)
        except UserError as error:
            errors["list_name"] = error.args[0]
        customer = partner.commercial_partner_id
        Request = self.env["sale.reorder.request"]
        reorderable = partner.sudo()._get_reorderable_products(company)
        try:
            quantities, _comment = Request._check_portal_input(reorderable, lines, None)
        except ReorderInputError as error:
            errors.update(error.errors)
        if not errors and (
            self.sudo().search_count(
                [("partner_id", "=", customer.id), ("company_id", "=", company.id)]
            )
            >= MAX_LISTS_PER_CUSTOMER
        ):
            errors["list_name"] = self.env._(
                "Your company already has %(max)s lists: delete one before saving "
                "another.",
                max=MAX_LISTS_PER_CUSTOMER,
            )
        named = not errors and self._find_named(customer, company, name)
        if named:
            if {
                line.product_id: line.quantity for line in named.line_ids
            } == quantities:
                return named  # the same form posted again: saved once
            errors["list_name"] = self._name_taken_message(name)
        if errors:
            raise ReorderInputError(errors)
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                return self._create_list(
                    partner, company, name, quantities, reorderable
                )
        except UniqueViolation:
            # The same name saved at the same instant by a colleague (or a double
            # post): the database's index, behind the check above.
            raise ReorderInputError(
                {"list_name": self._name_taken_message(name)}
            ) from None

    @api.model
    def _find_named(self, customer, company, name):
        """The list of ``customer`` in ``company`` named ``name`` (any case)."""
        return self.sudo().search(
            [
                ("partner_id", "=", customer.id),
                ("company_id", "=", company.id),
                ("name", "=ilike", escape_psql(name)),
            ],
            limit=1,
        )

    @api.model
    def _name_taken_message(self, name):
        return self.env._(
            'Your company already has a list named "%(name)s": choose another name, '
            "or open that list from Reorder Lists.",
            name=name,
        )

    @api.model
    def _create_list(self, partner, company, name, quantities, reorderable):
        customer = partner.commercial_partner_id
        return self.sudo().create(
            {
                "name": name,
                "partner_id": customer.id,
                "company_id": company.id,
                "author_id": partner.id,
                "line_ids": [
                    Command.create(
                        {
                            "sequence": sequence,
                            "product_id": product.id,
                            "quantity": quantity,
                            "uom_id": reorderable[product]["uom"].id,
                        }
                    )
                    for sequence, (product, quantity) in enumerate(quantities.items())
                ],
            }
        )

    @api.model
    def _check_name(self, name):
        """The list's name as typed, stripped; UserError with why it cannot be."""
        if not isinstance(name, str) or not name.strip():
            raise UserError(self.env._("Give the list a name."))
        name = name.strip()
        if len(name) > MAX_LIST_NAME_LENGTH:
            raise UserError(
                self.env._(
                    "The name is too long (at most %(max)s characters).",
                    max=MAX_LIST_NAME_LENGTH,
                )
            )
        if FORBIDDEN_CHARACTERS_RE.search(name):
            raise UserError(
                self.env._("The name contains invisible control characters.")
            )
        return name

    def _check_portal_access(self):
        """These lists, if the calling user may read them all (their company's),
        as the user; AccessError otherwise, MissingError for deleted ones."""
        existing = self.exists()
        if existing != self:
            raise MissingError(self.env._("This list no longer exists."))
        self.check_access("read")
        if not self.env.su and self.env.user._is_internal():
            # Staff do not rename or delete a customer's lists from the portal.
            raise AccessError(self.env._("Only the customer's contacts do this."))
        return self

    def _get_request_items(self, reorderable):
        """What requesting this list asks for now, among ``reorderable`` (the
        customer's reorderable items, in the unit of their last purchase):
        ({product: quantity in that unit}, [names of the items no longer
        reorderable])."""
        self.ensure_one()
        quantities = {}
        unavailable = []
        for line in self.sudo().line_ids:
            item = reorderable.get(line.product_id)
            if not item or (
                line.uom_id and line.uom_id.category_id != item["uom"].category_id
            ):
                unavailable.append(line.product_id.display_name)
                continue
            quantity = (
                line.uom_id._compute_quantity(line.quantity, item["uom"], round=False)
                if line.uom_id
                else line.quantity
            )
            quantities[item["product"]] = quantities.get(item["product"], 0) + quantity
        return quantities, unavailable

    def _mark_used(self, partner):
        """A request was just submitted from this list by ``partner``."""
        self.sudo().write(
            {"last_used_date": fields.Datetime.now(), "last_used_by_id": partner.id}
        )
