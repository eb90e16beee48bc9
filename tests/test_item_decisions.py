"""Staff decide each item of a request: Accept (the default), Decline with a reason the
customer reads, or Replace with another product. Accept & Create makes the accepted
items and the replacements only; every item declined is a declined request; the
customer reads each item's outcome on the request's page and in the one Accepted
email; the items' analysis counts each item of the decided requests."""

from lxml import html

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import ReorderCase, ReorderHttpCase


class ItemDecisionMixin:
    def _mixed_request(self):
        """Bolt (accepted), Nut (declined: discontinued), Washer (added by staff,
        replaced by 4 Gaskets)."""
        request = self._submit(
            [
                {"product_id": self.bolt.id, "quantity": 12},
                {"product_id": self.nut.id, "quantity": 5},
            ]
        )
        request.with_user(self.manager).write(
            {"line_ids": [Command.create({"product_id": self.washer.id})]}
        )
        _bolt, nut, washer = request.line_ids
        self._decide(nut, decision="decline", decline_reason="discontinued")
        self._decide(washer, decision="replace", replacement_product_id=self.unflagged)
        washer.with_user(self.manager).replacement_qty = 4
        return request

    def _decide(self, line, **values):
        """As staff do it: in the request's form, on the item's row."""
        form = Form(line.request_id.with_user(self.manager))
        with form.line_ids.edit(list(line.request_id.line_ids).index(line)) as row:
            for field, value in values.items():
                setattr(row, field, value)
        form.save()


@tagged("post_install", "-at_install")
class TestItemDecisions(ItemDecisionMixin, ReorderCase):
    def test_accept_makes_the_accepted_items_and_the_replacements(self):
        request = self._mixed_request()
        bolt, nut, washer = request.line_ids
        self.assertEqual(washer.replacement_uom_id, self.unflagged.uom_id)
        self._accept(request, "quotation")
        order = request.sale_order_ids
        self.assertEqual(
            [(line.product_id, line.product_uom_qty) for line in order.order_line],
            [(self.bolt, 12), (self.unflagged, 4)],
        )
        self._check_accepted(request)
        self.assertEqual(
            (
                request.accepted_item_count,
                request.replaced_item_count,
                request.declined_item_count,
            ),
            (1, 1, 1),
        )
        self.assertEqual(
            request.decision_summary, "1 of 3 items accepted, 1 replaced, 1 declined"
        )
        # The declined item stays on the request, with its reason.
        self.assertEqual(nut.decision, "decline")
        self.assertEqual(nut._get_customer_outcome()["label"], "Declined: Discontinued")
        self.assertEqual(
            washer._get_customer_outcome()["label"], "Replaced by Gasket, 4 Units"
        )
        self.assertEqual(bolt._get_customer_outcome()["label"], "Accepted as requested")
        # Staff read it in the chatter.
        note = request.message_ids.filtered(lambda m: "Accepted:" in (m.body or ""))
        self.assertIn("Declined: Nut M8 (Discontinued)", note.body)
        self.assertIn("Replaced: Washer M8 by Gasket, 4 Units", note.body)
        # One Accepted email, to the customer, telling each item's outcome.
        accepted = request.message_ids.filtered(
            lambda m: m.subject and "was accepted" in m.subject
        )
        self.assertEqual(len(accepted), 1)
        self.assertEqual(accepted.notified_partner_ids, self.contact)
        body = str(accepted.body)
        self.assertIn("1 of 3 items accepted, 1 replaced, 1 declined", body)
        self.assertRegex(body, r"Nut M8:\s*Declined: Discontinued")
        self.assertRegex(body, r"Washer M8:\s*Replaced by Gasket, 4 Units")
        self.assertRegex(body, r"Bolt M8:\s*Accepted as requested")

    def test_an_invoice_leaves_the_declined_items_out(self):
        request = self._mixed_request()
        self._accept(request, "invoice")
        self.assertEqual(
            request.invoice_ids.invoice_line_ids.mapped("product_id"),
            self.bolt | self.unflagged,
        )

    def test_a_request_all_accepted_says_nothing_more(self):
        request = self._submit()
        self._accept(request, "quotation")
        self.assertFalse(request.decision_summary)
        self.assertEqual(request.accepted_item_count, 1)

    def test_the_accept_dialog_shows_what_differs(self):
        request = self._mixed_request()
        wizard = Form(
            self.env["sale.reorder.accept"]
            .with_user(self.manager)
            .with_context(default_request_id=request.id)
        )
        self.assertIn("Declined: Nut M8 (Discontinued)", str(wizard.items_note))
        self.assertIn("Replaced: Washer M8 by Gasket", str(wizard.items_note))

    def test_an_incomplete_decision_is_refused_with_its_reason(self):
        request = self._submit(
            [
                {"product_id": self.bolt.id, "quantity": 12},
                {"product_id": self.nut.id, "quantity": 5},
            ]
        )
        _bolt, nut = request.line_ids.with_user(self.manager)
        cases = [
            ({"decision": "decline"}, "Nut M8: choose a decline reason."),
            (
                {"decision": "decline", "decline_reason": "other"},
                r"Nut M8: say why in the note \(reason Other\).",
            ),
            (
                {
                    "decision": "decline",
                    "decline_reason": "other",
                    "decision_note": "\x07",
                },
                "invisible control characters",
            ),
            ({"decision": "replace"}, "Nut M8: choose the replacement."),
            (
                {"decision": "replace", "replacement_product_id": self.nut.id},
                "a replacement is another product",
            ),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                nut.write({"decision": "accept", **values})
                with self.assertRaisesRegex(UserError, message):
                    request.with_user(self.manager)._accept("quotation")
                self.assertEqual(request.state, "pending")
                self.assertFalse(request.sale_order_ids)
        nut.write({"decision": "replace", "replacement_product_id": self.washer.id})
        nut.replacement_qty = 0
        with self.assertRaisesRegex(UserError, "quantity must be more than zero"):
            request.with_user(self.manager)._accept("quotation")
        self.washer.sale_ok = False
        nut.replacement_qty = 2
        with self.assertRaisesRegex(UserError, "Washer M8 cannot be sold"):
            request.with_user(self.manager)._accept("quotation")
        self.assertEqual(request.state, "pending")

    def test_changing_the_decision_clears_what_no_longer_applies(self):
        request = self._mixed_request()
        nut, washer = request.line_ids[1:]
        self._decide(nut, decision="accept")
        self._decide(washer, decision="decline", decline_reason="out_of_stock")
        self.assertFalse(nut.decline_reason)
        self.assertFalse(washer.replacement_product_id)
        self.assertEqual(washer.replacement_qty, 0)

    def test_every_item_declined_is_a_declined_request(self):
        request = self._submit()
        self._decide(
            request.line_ids,
            decision="decline",
            decline_reason="other",
            decision_note="Sold out for the season",
        )
        action = request.with_user(self.manager).action_open_accept_wizard()
        self.assertEqual(action["res_model"], "sale.reorder.decline")
        self.assertEqual(
            action["context"]["default_reason"],
            "Bolt M8: Other: Sold out for the season",
        )
        with self.assertRaisesRegex(UserError, "Every item of .* is declined"):
            request.with_user(self.manager)._accept("quotation")
        wizard = Form(
            self.env["sale.reorder.decline"]
            .with_user(self.manager)
            .with_context(**action["context"])
        ).save()
        wizard.action_decline()
        self.assertEqual(request.state, "declined")
        self.assertEqual(
            request.decline_reason, "Bolt M8: Other: Sold out for the season"
        )
        self.assertEqual(
            request.line_ids._get_customer_outcome()["label"],
            "Declined: Other: Sold out for the season",
        )

    def test_a_request_declined_or_withdrawn_declines_every_item(self):
        declined = self._submit()
        declined.with_user(self.manager)._decline("No longer available.")
        self.assertEqual(declined.line_ids.decision, "decline")
        # No reason of its own: the request's says why.
        self.assertIsNone(declined.line_ids._get_customer_outcome())
        withdrawn = self._submit()
        withdrawn.sudo()._withdraw_by_customer(
            self._make_portal_user(self.contact, "ann_withdraws")
        )
        self.assertEqual(withdrawn.line_ids.decision, "decline")
        self.assertEqual(withdrawn.declined_item_count, 1)

    def test_decisions_are_kept_once_decided(self):
        request = self._mixed_request()
        self._accept(request, "quotation")
        for values in (
            {"decision": "accept"},
            {"decline_reason": "other"},
            {"replacement_product_id": self.bolt.id},
        ):
            with self.assertRaisesRegex(UserError, "pending request"):
                request.line_ids[1].with_user(self.manager).write(values)

    def test_a_salesperson_decides_only_the_requests_they_may_edit(self):
        request = self._submit()
        self.assertEqual(request.user_id, self.salesman)
        with self.assertRaises(AccessError):
            request.line_ids.with_user(self.other_salesman).write(
                {"decision": "decline", "decline_reason": "discontinued"}
            )
        request.line_ids.with_user(self.salesman).write(
            {"decision": "decline", "decline_reason": "discontinued"}
        )
        self.assertEqual(request.line_ids.decision, "decline")

    def test_the_items_analysis_counts_the_items_of_decided_requests(self):
        accepted = self._mixed_request()
        self._accept(accepted, "quotation")
        declined = self._submit()
        declined._decline("No.")
        self._submit()  # its item is not decided yet
        Line = self.env["sale.reorder.request.line"].with_user(self.manager)
        domain = [("request_id.partner_id", "=", self.contact.id)]
        [[rate]] = Line._read_group(domain, aggregates=["item_acceptance_rate:avg"])
        # Bolt and Washer made, Nut and the declined request's Bolt not.
        self.assertEqual(rate, 50.0)
        by_reason = dict(Line._read_group(domain, ["decline_reason"], ["__count"]))
        self.assertEqual(by_reason["discontinued"], 1)


@tagged("post_install", "-at_install")
class TestItemDecisionsInThePortal(ItemDecisionMixin, ReorderHttpCase):
    def setUp(self):
        super().setUp()
        self.authenticate("ann_portal", "ann_portal")

    def test_the_customer_reads_each_items_outcome(self):
        request = self._mixed_request()
        page = self._get(f"/my/reorders/{request.id}").text
        self.assertNotIn("o_sale_reorder_outcome", page, "pending: nothing decided")
        self._accept(request, "quotation")
        page = self._get(f"/my/reorders/{request.id}").text
        self.assertIn("1 of 3 items accepted, 1 replaced, 1 declined", page)
        outcomes = [
            (
                div.get("class").rsplit("_", 1)[1],
                " ".join(div.text_content().split()),
            )
            for div in html.fromstring(page).xpath(
                "//div[contains(@class, 'o_sale_reorder_outcome ')]"
            )
        ]
        self.assertEqual(
            outcomes,
            [
                ("accept", "Accepted as requested"),
                ("decline", "Declined: Discontinued"),
                ("replace", "Replaced by Gasket, 4 Units"),
            ],
        )
        listing = self._get("/my/reorders").text
        self.assertIn("1 of 3 items accepted, 1 replaced, 1 declined", listing)

    def test_a_replacement_says_why(self):
        request = self._mixed_request()
        washer = request.line_ids[2]
        self._decide(washer, decision_note="The new model fits the same holes")
        self._accept(request, "quotation")
        page = self._get(f"/my/reorders/{request.id}").text
        self.assertIn(
            "Replaced by Gasket, 4 Units: The new model fits the same holes", page
        )

    def test_a_portal_user_cannot_read_pending_decisions_over_rpc(self):
        request = self._mixed_request()
        message = self._rpc_error(
            "sale.reorder.request.line",
            "read",
            request.line_ids.ids,
            ["decision", "decline_reason", "decision_note", "replacement_product_id"],
        )
        self.assertIn("do not have enough rights", message)
        for model, ids, fields in (
            (
                "sale.reorder.request.line",
                request.line_ids.ids,
                ["item_acceptance_rate"],
            ),
            ("sale.reorder.request", request.ids, ["declined_item_count"]),
        ):
            with self.subTest(model=model, fields=fields):
                message = self._rpc_error(model, "read", ids, fields)
                self.assertIn("do not have enough rights", message)
        # What the customer reads of it: nothing while it is pending.
        [values] = self._rpc(
            "sale.reorder.request", "read", request.ids, ["decision_summary"]
        )["result"]
        self.assertFalse(values["decision_summary"])

    def test_a_portal_user_cannot_decide_over_rpc(self):
        request = self._submit()
        line = request.line_ids
        for values in (
            {"decision": "decline"},
            {"decline_reason": "discontinued"},
            {"replacement_product_id": self.nut.id},
        ):
            with self.subTest(values=values):
                message = self._rpc_error(
                    "sale.reorder.request.line", "write", line.ids, values
                )
                self.assertIn("not allowed to modify", message)
        self.assertEqual(line.decision, "accept")
        self.assertFalse(line.decline_reason or line.replacement_product_id)
