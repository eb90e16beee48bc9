from markupsafe import Markup
from psycopg2.errors import LockNotAvailable

from odoo import SUPERUSER_ID, Command, api, fields, models, sql_db
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime

from ...tools import FORBIDDEN_CHARACTERS_RE, advisory_xact_lock

# The advisory lock of a user's PIN checks (per user id): one at a time per user.
PIN_LOCK = "related_order_pin"
# Only _create_related_order relates orders (and checks the PIN): a context key no RPC
# client can forge, being this very object.
RELATED_ORDER_KEY = object()


class RelatedOrderPinError(UserError):
    """The security PIN was refused (wrong, or locked out): the wizard says so and
    asks again, with the field empty."""


class SaleOrder(models.Model):
    """Related orders: Create Related Order makes a draft order for the same customer
    from this one (a wrong item kept, extra parts...), linked both ways, behind the
    company's security PIN when it requires one. A feature of its own: nothing here
    depends on reorder requests."""

    _inherit = "sale.order"

    # === FIELDS ===#

    parent_order_id = fields.Many2one(
        "sale.order",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="The order this one was created from with Create Related Order.",
    )
    related_order_ids = fields.One2many(
        "sale.order", "parent_order_id", string="Related Orders", readonly=True
    )
    related_order_count = fields.Integer(compute="_compute_related_order_count")
    customer_service_note = fields.Text(
        string="Customer Service Notes",
        copy=False,
        help="Why this related order was made: a wrong item kept, extra parts, ...",
    )

    # === COMPUTE METHODS ===#

    @api.depends("related_order_ids")
    def _compute_related_order_count(self):
        for order in self:
            order.related_order_count = len(order.related_order_ids)

    # === CONSTRAINT METHODS ===#

    @api.constrains("parent_order_id")
    def _check_parent_order_cycle(self):
        if self._has_cycle("parent_order_id"):
            raise ValidationError(
                self.env._(
                    "An order cannot be related to one of its own related orders."
                )
            )

    # === CRUD METHODS ===#

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("parent_order_id") for vals in vals_list):
            self._check_relating_allowed()
        return super().create(vals_list)

    def write(self, vals):
        if "parent_order_id" in vals:
            self._check_relating_allowed()
        return super().write(vals)

    # === ACTION METHODS ===#

    def action_open_related_order_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Create Related Order"),
            "res_model": "sale.related.order.create",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_view_related_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action.update(
            {
                "name": self.env._("Related Orders"),
                "domain": [("parent_order_id", "=", self.id)],
                "context": {"create": False},
            }
        )
        if self.related_order_count == 1:
            action.update(views=[(False, "form")], res_id=self.related_order_ids.id)
        return action

    def create_related_order(self, note=None, line_ids=None, pin=None):
        """RPC entry point: the same checks as the wizard, PIN included.

        :return: the id of the new order
        """
        if len(self) != 1:
            raise UserError(
                self.env._("Create related orders one parent order at a time.")
            )
        if line_ids in (None, False):
            line_ids = []
        if not isinstance(line_ids, (list, tuple)) or not all(
            isinstance(line_id, int) and not isinstance(line_id, bool)
            for line_id in line_ids
        ):
            raise UserError(self.env._("Give the lines to copy as a list of ids."))
        if note not in (None, False) and not isinstance(note, str):
            raise UserError(self.env._("The customer service notes must be text."))
        if pin not in (None, False) and not isinstance(pin, (str, int)):
            raise UserError(self.env._("The security PIN must be digits."))
        lines = self.env["sale.order.line"].browse(line_ids).exists()
        if len(lines) != len(set(line_ids)):
            raise UserError(self.env._("Only lines of %s can be copied.", self.name))
        return self._create_related_order(note or None, lines, pin).id

    # === BUSINESS METHODS ===#

    def _create_related_order(self, note=None, lines=None, pin=None):
        """Create a draft order related to this one, for the same customer.

        The one entry point for the wizard and RPC clients: the company's security PIN
        is checked here, on the server.

        :param note: the customer service notes (plain text)
        :param lines: sale.order.line records of this order to copy (product,
            description, quantity; prices are today's)
        :param pin: the security PIN, when the company requires one
        :return: the new sale.order
        """
        self.ensure_one()
        self.check_access("write")
        if self.state == "cancel":
            raise UserError(self.env._("A cancelled order cannot have related orders."))
        lines = lines or self.env["sale.order.line"]
        if note and FORBIDDEN_CHARACTERS_RE.search(note):
            raise UserError(
                self.env._(
                    "The customer service notes contain invisible control characters."
                )
            )
        if lines.order_id - self:
            raise UserError(self.env._("Only lines of %s can be copied.", self.name))
        self._check_related_order_pin(pin)
        child = self.with_context(sale_reorder_relating=RELATED_ORDER_KEY).create(
            self._prepare_related_order_values(note, lines)
        )
        child = child.with_env(self.env)
        self._log_related_order(child)
        if note:
            child.message_post(
                body=Markup("<b>%s</b><br/>%s")
                % (self.env._("Customer Service Notes"), note),
                subtype_xmlid="mail.mt_note",
            )
        return child

    def _prepare_related_order_values(self, note, lines):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "partner_invoice_id": self.partner_invoice_id.id,
            "partner_shipping_id": self.partner_shipping_id.id,
            "pricelist_id": self.pricelist_id.id,
            "payment_term_id": self.payment_term_id.id,
            "fiscal_position_id": self.fiscal_position_id.id,
            "user_id": self.user_id.id,
            "team_id": self.team_id.id,
            "company_id": self.company_id.id,
            "origin": self.name,
            "parent_order_id": self.id,
            "customer_service_note": note or False,
            "order_line": [
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "name": line.name,
                        "product_uom_qty": line.product_uom_qty,
                        "product_uom": line.product_uom.id,
                    }
                )
                for line in lines.filtered(lambda l: not l.display_type)
            ],
        }

    def _log_related_order(self, child):
        """Both orders log "Related order S00043 created by alice@example.com on
        11/23/2026 10:15:02 (Europe/Brussels)": the acting user's date format and
        time zone, named, since readers may live in other zones."""
        user = self.env.user
        body = self.env._(
            "Related order %(order)s created by %(user)s on %(when)s",
            order=child.name,
            user=user.email or user.login,
            when=self._format_related_order_date(user),
        )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        child.message_post(body=body, subtype_xmlid="mail.mt_note")
        child.message_post_with_source(
            "mail.message_origin_link",
            render_values={"self": child, "origin": self},
            subtype_xmlid="mail.mt_note",
        )

    @api.model
    def _format_related_order_date(self, user):
        """Now, in the user's time zone (named), with their language's date and time
        format."""
        lang = self.env["res.lang"]._get_data(code=user.lang or "en_US")
        tz = user.tz or "UTC"
        now = fields.Datetime.context_timestamp(
            self.with_context(tz=tz), fields.Datetime.now()
        )
        return f"{now.strftime(f'{lang.date_format} {lang.time_format}')} ({tz})"

    def _check_related_order_pin(self, pin):
        """Refuse unless the PIN is right, when the company requires one."""
        self.ensure_one()
        company = self.company_id
        if not company.related_order_pin_required:
            return
        if not company.related_order_pin_set:
            raise UserError(
                self.env._(
                    "Creating related orders requires a security PIN, but none is set "
                    "yet: a Settings administrator must set it in the Sales settings."
                )
            )
        if pin in (None, False, ""):
            # Not a guess (nothing typed, or the typed PIN already taken by a first
            # try of this call that Odoo retries): asked again, not counted.
            raise RelatedOrderPinError(self.env._("Enter the security PIN."))
        verdict, locked_until = self._verify_pin_outside_transaction(pin)
        if verdict == "locked":
            raise RelatedOrderPinError(
                self.env._(
                    "Too many wrong security PINs. You can try again after %s.",
                    format_datetime(self.env, locked_until, dt_format="short"),
                )
            )
        if verdict == "wrong":
            raise RelatedOrderPinError(self.env._("Wrong security PIN."))

    def _verify_pin_outside_transaction(self, pin):
        """Check the PIN, count a wrong one and apply the lock-out in a transaction
        of its own, committed whatever the verdict: the refusal that follows rolls
        the current one back. Parallel guesses of one user are serialized by a
        transaction-level advisory lock (released with the transaction, so a failure
        cannot leave it on a pooled connection), and each check reads the others'
        failures (READ COMMITTED: every statement sees what was committed before it).

        :return: ("ok" | "wrong" | "locked", locked until or None)
        """
        self.ensure_one()
        user_id, order_id, company_id = self.env.uid, self.id, self.company_id.id
        user = self.env.user
        try:
            with self.env.registry.cursor() as cr:
                if isinstance(cr, sql_db.Cursor):  # not a test's savepoint
                    cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                cr.execute("SET LOCAL lock_timeout = '10s'")
                advisory_xact_lock(cr, PIN_LOCK, user_id)
                env = api.Environment(cr, SUPERUSER_ID, {"lang": user.lang})
                Failure = env["sale.related.order.pin.failure"]
                locked_until = Failure._locked_until(user_id)
                if locked_until:
                    Failure._log_refusal(
                        user_id,
                        order_id,
                        locked_until,
                        env._(
                            "Refused to create a related order for %(user)s: too "
                            "many wrong security PINs, locked until %(until)s.",
                            user=user.name,
                            until=format_datetime(
                                self.env, locked_until, dt_format="short"
                            ),
                        ),
                    )
                    verdict = "locked"
                elif (
                    env["res.company"].browse(company_id)._verify_related_order_pin(pin)
                ):
                    verdict = "ok"
                else:
                    Failure.create({"user_id": user_id, "order_ref": order_id})
                    verdict = "wrong"
        except LockNotAvailable as error:
            raise UserError(
                self.env._("The security PIN could not be checked now: try again.")
            ) from error
        return verdict, locked_until

    # === TOOLING ===#

    def _check_relating_allowed(self):
        """Orders are related by Create Related Order only, which checks the PIN."""
        if self.env.context.get("sale_reorder_relating") is not RELATED_ORDER_KEY:
            raise UserError(
                self.env._("Use Create Related Order to relate an order to another.")
            )
