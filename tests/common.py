import hashlib
import json
import re
from datetime import timedelta

from odoo import Command
from odoo.http import Request
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user
from odoo.tools import mute_logger

# Users made without the invitation email Odoo sends a new user (auth_signup): a mail
# rendered for each staff user of each test class, which no test reads.
NO_INVITATION = {"no_reset_password": True}
TRACEBACK = re.compile(r"Traceback|odoo\.exceptions|Internal Server Error")


def item_names(page):
    """The items of step 1, in their order."""
    return re.findall(r'o_sale_reorder_item_name">\s*([^<]+?)\s*<', page)


class ReorderDataMixin:
    """A company with reorder requests on, a salesperson, and a customer (a company
    with two contacts) who bought on posted invoices and a paid receipt."""

    @classmethod
    def _setup_reorder_data(cls):
        cls.company = cls.env.company
        cls.company.write(
            {
                "reorder_request_enabled": True,
                "reorder_from_invoices": True,
                "reorder_from_receipts": True,
                "reorder_backup_user_id": False,
            }
        )
        cls.salesman = new_test_user(
            cls.env,
            login="reorder_salesman",
            context=NO_INVITATION,
            name="Sam Seller",
            email="sam@example.com",
            groups="sales_team.group_sale_salesman",
        )
        cls.other_salesman = new_test_user(
            cls.env,
            login="reorder_other_salesman",
            context=NO_INVITATION,
            name="Olga Other",
            email="olga@example.com",
            groups="sales_team.group_sale_salesman",
        )
        cls.manager = new_test_user(
            cls.env,
            login="reorder_manager",
            context=NO_INVITATION,
            name="Mia Manager",
            email="mia@example.com",
            groups="sales_team.group_sale_manager,account.group_account_invoice",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Acme Stores", "is_company": True, "user_id": cls.salesman.id}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Ann Buyer",
                "parent_id": cls.customer.id,
                "email": "ann@example.com",
            }
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "Rival Corp"})
        Product = cls.env["product.product"]
        cls.bolt, cls.nut, cls.washer, cls.unflagged = Product.create(
            [
                {
                    "name": name,
                    "list_price": price,
                    "available_for_reorder": flagged,
                    "type": "consu",
                }
                for name, price, flagged in [
                    ("Bolt M8", 2.0, True),
                    ("Nut M8", 1.0, True),
                    ("Washer M8", 0.5, True),
                    ("Gasket", 3.0, False),
                ]
            ]
        )
        cls.invoice = cls._post_move(
            cls.contact,
            [(cls.bolt, 10, 1.8), (cls.unflagged, 5, 3.0)],
            date="2026-01-10",
        )
        cls.invoice_later = cls._post_move(
            cls.customer, [(cls.bolt, 4, 2.0)], date="2026-03-01"
        )
        cls.receipt = cls._post_move(
            cls.customer,
            [(cls.nut, 7, 1.0)],
            move_type="out_receipt",
            date="2026-04-01",
            pay=True,
        )
        cls.Request = cls.env["sale.reorder.request"]

    @classmethod
    def _switch_due_on(cls, **values):
        """Due for Reorder and its reminders on (7 lead days), on the company's day
        (UTC): ``cls.today``, the job's, the report's and the customer's."""
        cls.company.partner_id.tz = "UTC"
        cls.today = cls.company._get_reorder_today()
        cls.company.write(
            {
                "reorder_due_enabled": True,
                "reorder_due_lead_days": 7,
                "reorder_reminder_enabled": True,
                **values,
            }
        )

    @classmethod
    def _post_move(
        cls,
        partner,
        lines,
        move_type="out_invoice",
        date=None,
        pay=False,
        post=True,
        company=None,
    ):
        move = (
            cls.env["account.move"]
            .with_company(company or cls.env.company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": date or "2026-02-01",
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "quantity": qty,
                                "price_unit": price,
                            }
                        )
                        for product, qty, price in lines
                    ],
                }
            )
        )
        if post:
            move.action_post()
        if pay:
            cls.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids
            ).create({})._create_payments()
        return move

    @classmethod
    def _credit(cls, invoice, quantity=None):
        """Credit ``invoice`` as staff do, through Odoo's Credit Note wizard
        (account.move.reversal), and post the credit note: in full, or ``quantity``
        of its first line (a partial credit note).

        :return: the credit note
        """
        reversal = (
            cls.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Returned"})
        )
        reversal.refund_moves()
        credit = reversal.new_move_ids
        if quantity is not None:
            credit.invoice_line_ids[:1].quantity = quantity
        credit.action_post()
        return credit

    @classmethod
    def _make_other_company(cls, name="Other Company"):
        """A second company with Odoo's generic chart of accounts (its invoices can
        be posted), taking reorder requests, of the current user."""
        company = cls.env["res.company"].create(
            {"name": name, "reorder_request_enabled": True}
        )
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=company, install_demo=False
        )
        cls.env.user.company_ids |= company
        return company

    # Every kind of customer document, and whether it is a purchase (the one rule:
    # account.move._get_reorder_purchase_sql): an invoice counts once posted unless
    # credited in full, a receipt once paid, and only in its own company.
    DOCUMENT_KINDS = {
        "posted invoice": True,
        "draft invoice": False,
        "cancelled invoice": False,
        "partly credited invoice": True,
        "fully credited invoice": False,
        "paid receipt": True,
        "unpaid receipt": False,
        "invoice of another company": False,
    }

    @classmethod
    def _make_document(cls, kind, partner, lines, date, other_company=None):
        """One customer document of ``kind`` (a key of ``DOCUMENT_KINDS``), made
        through Odoo's own flows (posting, the payment wizard, the credit note
        wizard); "invoice of another company" is posted in ``other_company``.

        :return: the document (the invoice, not its credit note)
        """
        if kind == "invoice of another company":
            return cls._post_move(partner, lines, date=date, company=other_company)
        receipt = kind in ("paid receipt", "unpaid receipt")
        move = cls._post_move(
            partner,
            lines,
            move_type="out_receipt" if receipt else "out_invoice",
            date=date,
            pay=kind == "paid receipt",
            post=kind != "draft invoice",
        )
        if kind == "cancelled invoice":
            move.button_draft()
            move.button_cancel()
        elif kind == "partly credited invoice":
            cls._credit(move, quantity=1)
        elif kind == "fully credited invoice":
            cls._credit(move)
        return move

    @classmethod
    def _make_portal_user(cls, partner, login):
        return cls.env["res.users"].create(
            {
                "name": partner.name,
                "login": login,
                "password": login,
                "partner_id": partner.id,
                "groups_id": [Command.set(cls.env.ref("base.group_portal").ids)],
            }
        )

    @classmethod
    def _speak_french(cls, user):
        cls._speak(user, "fr_FR")

    @classmethod
    def _speak(cls, user, lang):
        """The portal in ``lang`` for ``user``, set up as a shop of that language
        has it: the language active with the addon's terms, the user's language,
        and, where the website app serves the portal, one of the website's
        languages (its pages then answer on their /fr/ or /de/ URLs, and posts and
        JSON calls in the user's language)."""
        cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(["sale_reorder"], [lang])
        user.lang = lang
        if "website" in cls.env:
            language = cls.env["res.lang"]._lang_get(lang)
            cls.env["website"].search([]).language_ids = [Command.link(language.id)]

    @staticmethod
    def _token(label):
        """A submission token as the form gives (32 hex digits), named by a label."""
        return hashlib.md5(label.encode()).hexdigest()

    def _submit(self, lines=None, comment="Same as last time, please.", partner=None):
        if lines is None:
            lines = [{"product_id": self.bolt.id, "quantity": 12}]
        return self.Request._create_from_portal(partner or self.contact, lines, comment)

    # Staff deciding (as the manager, through the wizard)

    def _accept(self, request, document_type, **values):
        wizard = Form(
            self.env["sale.reorder.accept"]
            .with_user(self.manager)
            .with_context(default_request_id=request.id)
        )
        wizard.document_type = document_type
        for field, value in values.items():
            setattr(wizard, field, value)
        return wizard.save().action_accept()

    def _check_accepted(self, request):
        self.assertEqual(request.state, "accepted")
        self.assertEqual(request.decided_by_id, self.manager)
        self.assertTrue(request.decision_date)
        self.assertEqual(request.opportunity_id.probability, 100)
        self.assertTrue(request.opportunity_id.active)

    def _offered(self, request, user):
        """The kinds of document the Accept wizard offers ``user`` for ``request``:
        those its form shows (Odoo's filterable_selection widget keeps the kinds of
        ``available_document_types``), in the selection's order."""
        wizard = Form(
            self.env["sale.reorder.accept"]
            .with_user(user)
            .with_context(default_request_id=request.id)
        )
        available = wizard.available_document_types
        selection = wizard._view["fields"]["document_type"]["selection"]
        return [kind for kind, _label in selection if kind in available]


class DueDataMixin:
    """Ann (portal) buys washers for Acme every 30 days: due today."""

    @classmethod
    def _setup_due_data(cls):
        cls._switch_due_on(reorder_reminder_interval_days=14, email="shop@example.com")
        cls._buy_on(cls.customer, cls.washer, [90, 60, 30], 5)
        # The demo's portal customers (with items due too) stay out of these tests.
        cls.env["res.users"].search([("share", "=", True)]).partner_id.filtered(
            lambda partner: partner != cls.contact
        ).reorder_reminder_opt_out = True

    @classmethod
    def _buy_on(cls, partner, product, days_ago, quantity):
        for days in days_ago:
            cls._post_move(
                partner,
                [(product, quantity, 0.5)],
                date=cls.today - timedelta(days=days),
            )
        cls.env["sale.reorder.rhythm"]._refresh_pending()

    def _run(self, **kwargs):
        """One run of the daily job, and the reminders it queued."""
        before = self.env["mail.mail"].search([]).ids
        done, remaining = self.env["sale.reorder.reminder"]._cron_send_reminders(
            **kwargs
        )
        mails = self.env["mail.mail"].search([("id", "not in", before)])
        return mails, done, remaining


class ReorderCase(ReorderDataMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_reorder_data()


class ReorderHttpCase(ReorderDataMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_reorder_data()
        cls.portal_user = cls._make_portal_user(cls.contact, "ann_portal")

    def url_open(self, url, data=None, files=None, timeout=60, **kwargs):
        """Odoo's, with more time before giving up: the first page in a language
        compiles its templates (with eCommerce, the website's layout too), which takes
        seconds on a busy machine running both test runners at once."""
        return super().url_open(url, data=data, files=files, timeout=timeout, **kwargs)

    def _get(self, url, status=200):
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, status, url)
        self.assertNotRegex(response.text, TRACEBACK)
        return response

    def _post(self, url, data, csrf=True, status=None):
        data = list(data.items()) if isinstance(data, dict) else list(data)
        if csrf:
            data.append(("csrf_token", Request.csrf_token(self)))
        response = self.url_open(url, data=data, allow_redirects=False)
        if status:
            self.assertEqual(response.status_code, status, url)
        self.assertNotRegex(response.text, TRACEBACK)
        return response

    def _submit_form(self, quantities, comment="", token="form-1", **extra):
        data = [("product_ids", str(product_id)) for product_id in quantities]
        data += [(f"quantity_{pid}", str(qty)) for pid, qty in quantities.items()]
        data += [("comment", comment), ("submission_token", self._token(token))]
        data += list(extra.items())
        data.append(("csrf_token", Request.csrf_token(self)))
        response = self.url_open(
            "/my/reorders/submit", data=data, allow_redirects=False
        )
        self.assertNotRegex(response.text, TRACEBACK)
        return response

    def _rpc(self, model, method, *args, route="/web/dataset/call_kw", **kwargs):
        """Call ``method`` of ``model`` over JSON-RPC as the authenticated user (as
        the web client or an external script does; ``route`` /web/dataset/call_button
        for a button), ``context`` among ``kwargs``.

        :return: the JSON-RPC response: {"result": ...} or {"error": {"data":
            {"name", "message"}}}
        """
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": kwargs,
            },
        }
        response = self.url_open(
            route,
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200, route)
        return response.json()

    def _rpc_error(self, *args, **kwargs):
        """The message of the error the call ends in (it must end in one). Odoo logs
        each error returned over RPC as a warning: the refusal is the point here."""
        with mute_logger("odoo.http"):
            response = self._rpc(*args, **kwargs)
        self.assertIn("error", response, "refused")
        return response["error"]["data"]["message"]
