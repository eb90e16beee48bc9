"""Quantities as customers type them, in their language: one parser for the
submission, step 2 and the estimate of step 2."""

from odoo.tests import tagged

from .common import ReorderCase, ReorderHttpCase

NUMBER = "Enter the quantity as a number."
AMBIGUOUS = "ambiguous"
NOT_POSITIVE = "The quantity must be more than zero."
TOO_LARGE = "The quantity cannot be more than %(max)s; contact us for larger orders."

# typed: (in en_US, in fr_FR, in es_ES): the quantity read, or the refusal.
QUANTITIES = {
    "1000": (1000, 1000, 1000),
    # Groups of three digits with any kind of space: a thousand in every language.
    "1 000": (1000, 1000, 1000),
    "1\N{NO-BREAK SPACE}000": (1000, 1000, 1000),
    "1\N{NARROW NO-BREAK SPACE}000": (1000, 1000, 1000),
    "1\N{THIN SPACE}000": (1000, 1000, 1000),
    "12 500": (12500, 12500, 12500),
    "1 000,5": (1000.5, 1000.5, 1000.5),
    "1 000.5": (1000.5, 1000.5, 1000.5),
    # Not groups of three: no number.
    "1 00": (NUMBER, NUMBER, NUMBER),
    "10 0000": (NUMBER, NUMBER, NUMBER),
    "1  000": (NUMBER, NUMBER, NUMBER),
    # The comma: thousands in English, the decimal point in French and Spanish.
    "1,000": (1000, 1, 1),
    "1,000.5": (1000.5, NUMBER, NUMBER),
    "2,5": (2.5, 2.5, 2.5),
    # A dot and three digits: a decimal in English, never guessed where the decimal
    # point is a comma (Spanish writes a thousand "1.000", French "1,000" is one).
    "1.000": (1, AMBIGUOUS, AMBIGUOUS),
    "12.500": (12.5, AMBIGUOUS, AMBIGUOUS),
    "1.000,5": (NUMBER, AMBIGUOUS, AMBIGUOUS),
    "1.000.000": (NUMBER, AMBIGUOUS, AMBIGUOUS),
    "1 000.500": (1000.5, AMBIGUOUS, AMBIGUOUS),
    # Other dots are decimal points everywhere.
    "1.5": (1.5, 1.5, 1.5),
    "1.25": (1.25, 1.25, 1.25),
    "0.5": (0.5, 0.5, 0.5),
    # Neither numbers nor orders.
    "-1 000": (NOT_POSITIVE, NOT_POSITIVE, NOT_POSITIVE),
    "0": (NOT_POSITIVE, NOT_POSITIVE, NOT_POSITIVE),
    "ten": (NUMBER, NUMBER, NUMBER),
    "1_000": (NUMBER, NUMBER, NUMBER),
    "nan": (NUMBER, NUMBER, NUMBER),
    "Infinity": (NUMBER, NUMBER, NUMBER),
    "١٢": (NUMBER, NUMBER, NUMBER),  # Arabic-Indic digits
    "1e6": (TOO_LARGE, TOO_LARGE, TOO_LARGE),
    "9" * 40: (TOO_LARGE, TOO_LARGE, TOO_LARGE),
    "-" + "9" * 40: (NOT_POSITIVE, NOT_POSITIVE, NOT_POSITIVE),
}
LANGUAGES = ("en_US", "fr_FR", "es_ES")


@tagged("post_install", "-at_install")
class TestQuantityTyping(ReorderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in LANGUAGES:
            cls.env["res.lang"]._activate_lang(lang)
        cls.kilogram = cls.env.ref("uom.product_uom_kgm")
        cls.gram = cls.env.ref("uom.product_uom_gram")
        cls.gram.rounding = 0.001

    def _in(self, lang, message):
        """``message`` as the customer reads it (the module's translations)."""
        translated = self.env(context={"lang": lang})._(message)  # pylint: disable=translation-required
        return translated.replace("%(max)s", "100000")

    def test_quantities_in_each_language(self):
        for typed, expectations in QUANTITIES.items():
            for lang, expected in zip(LANGUAGES, expectations, strict=True):
                Request = self.Request.with_context(lang=lang)
                with self.subTest(typed=typed, lang=lang):
                    message, quantity = Request._check_quantity(typed, self.kilogram)
                    if expected == AMBIGUOUS:
                        self.assertEqual(quantity, 0)
                        # Says how to type it (in the customer's language): never
                        # read as 1, nor as 1000.
                        self.assertIn(typed, message)
                        self.assertIn("1000", message)
                        self.assertIn("1,5", message)
                    elif isinstance(expected, str):
                        expected = self._in(lang, expected)
                        self.assertEqual((message, quantity), (expected, 0))
                    else:
                        self.assertEqual((message, quantity), (None, expected))

    def test_numbers_over_rpc(self):
        """JSON carries numbers, NaN and Infinity as well as text."""
        unit = self.env.ref("uom.product_uom_unit")
        Request = self.Request.with_context(lang="fr_FR")
        for value, expected in (
            (12, (None, 12)),
            (1.5, ("%(uom)s are counted in whole numbers.", 0)),
            (1.125, (None, 1.125)),  # a number, not text: nothing ambiguous
            (10**400, (TOO_LARGE, 0)),
            (-(10**400), (NOT_POSITIVE, 0)),
            (1e308, (TOO_LARGE, 0)),
            (float("nan"), (NUMBER, 0)),
            (float("inf"), (NUMBER, 0)),
            (float("-inf"), (NUMBER, 0)),
            (True, (NUMBER, 0)),
            (None, (NUMBER, 0)),
            ([1], (NUMBER, 0)),
            ({"quantity": 1}, (NUMBER, 0)),
        ):
            with self.subTest(value=value):
                uom = self.gram if value == 1.125 else unit
                message, quantity = expected
                if message:
                    name = uom.with_context(lang="fr_FR").name
                    message = self._in("fr_FR", message).replace("%(uom)s", name)
                self.assertEqual(
                    Request._check_quantity(value, uom), (message, quantity)
                )

    def test_a_request_of_a_french_customer(self):
        french = self.Request.with_context(lang="fr_FR")
        request = french._create_from_portal(
            self.contact, [{"product_id": self.bolt.id, "quantity": "1 000"}]
        )
        self.assertEqual(request.line_ids.product_uom_qty, 1000)


@tagged("post_install", "-at_install")
class TestQuantityTypingOnThePortal(ReorderHttpCase):
    """A French customer types "1 000" with the space bar: a thousand, never one."""

    def setUp(self):
        super().setUp()
        self._speak_french(self.portal_user)
        self.authenticate("ann_portal", "ann_portal")

    def _requests(self):
        return self.Request.search([("partner_id", "=", self.contact.id)])

    def test_a_thousand_typed_with_a_space(self):
        response = self._submit_form({self.bolt.id: "1 000"}, token="french")
        self.assertEqual(response.status_code, 303, "sent")
        self.assertEqual(self._requests().line_ids.product_uom_qty, 1000)

    def test_the_quantity_step_2_prefills_submits_as_it_is(self):
        """An eighth of a kilogram bought last time: step 2 writes it "0,125" in
        French, which submits as it is (in Python's notation, "0.125" would be asked
        again: an eighth, or a hundred and twenty-five?)."""
        self.env.ref("product.decimal_product_uom").digits = 3
        kilogram = self.env.ref("uom.product_uom_kgm")
        kilogram.rounding = 0.001
        saffron = self.env["product.product"].create(
            {
                "name": "Saffron",
                "type": "consu",
                "uom_id": kilogram.id,
                "uom_po_id": kilogram.id,
                "available_for_reorder": True,
                "list_price": 40.0,
            }
        )
        self._post_move(self.contact, [(saffron, 0.125, 40.0)])
        # With the website app, through the redirect to its /fr/ URL.
        page = self.url_open(f"/my/reorders/new?step=2&product_ids={saffron.id}")
        self.assertEqual(page.status_code, 200)
        self.assertRegex(page.text, rf'name="quantity_{saffron.id}"\s+value="0,125"')
        response = self._submit_form({saffron.id: "0,125"}, token="eighth")
        self.assertEqual(response.status_code, 303, "sent")
        self.assertEqual(self._requests().line_ids.product_uom_qty, 0.125)

    def test_a_thousand_typed_with_a_dot_is_asked_again(self):
        response = self._submit_form({self.bolt.id: "1.000"}, token="french-dot")
        self.assertEqual(response.status_code, 200)
        # In French: "Saisissez 1000 (ou 1 000) pour mille, ou 1,5 pour un et demi".
        self.assertIn("Saisissez 1000 (ou 1 000) pour mille", response.text)
        self.assertRegex(
            response.text, rf'name="quantity_{self.bolt.id}"\s+value="1.000"'
        )
        self.assertFalse(self._requests())
        # Step 2 says the same before submitting, and counts nothing for the line.
        step_2 = self._post(
            "/my/reorders/new?step=2",
            [("product_ids", self.bolt.id), (f"quantity_{self.bolt.id}", "1.000")],
            csrf=False,
            status=200,
        ).text
        self.assertIn("Saisissez 1000 (ou 1 000) pour mille", step_2)
        self.assertRegex(step_2, r"o_sale_reorder_total_amount\">\$\xa00,00<")
