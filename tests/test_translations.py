from pathlib import Path

import polib

from odoo.tests import tagged

from .common import TRACEBACK, ReorderHttpCase

I18N = Path(__file__).resolve().parent.parent / "i18n"


@tagged("post_install", "-at_install")
class TestTranslations(ReorderHttpCase):
    def test_shipped_languages_translate_every_term(self):
        template = {entry.msgid for entry in polib.pofile(I18N / "sale_reorder.pot")}
        for lang in ("fr", "es", "de"):
            with self.subTest(lang=lang):
                catalog = polib.pofile(I18N / f"{lang}.po")
                translated = {
                    entry.msgid
                    for entry in catalog
                    if entry.msgstr and not entry.fuzzy and not entry.obsolete
                }
                self.assertEqual(template - translated, set())

    def _get_translated(self, url):
        """The page as the customer gets it: with the website app, through the
        redirect to its /fr/ (or /de/) URL."""
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertNotRegex(response.text, TRACEBACK)
        return response.text

    def test_portal_in_german_for_a_german_customer(self):
        """Germany, Austria and Switzerland: the portal's steps in German."""
        self._speak(self.portal_user, "de_DE")
        self.authenticate("ann_portal", "ann_portal")
        pages = {
            "/my/reorders": ["Nachbestellanfragen"],
            "/my/reorders/new": [
                "Artikel hinzufügen",
                "Schnellerfassung",
                "Datei hochladen",
            ],
            f"/my/reorders/new?step=2&product_ids={self.bolt.id}": [
                "Nachbestellanfrage absenden",
                "Weitere Artikel hinzufügen",
            ],
        }
        for url, german in pages.items():
            with self.subTest(url=url):
                page = self._get_translated(url)
                for text in german:
                    self.assertIn(text, page)
                for english in ("Add Items", "Submit Order Request", "Quick add"):
                    self.assertNotIn(english, page)
        page = self._get_translated(self._submit().get_portal_url())
        self.assertIn("Ausstehend", page)
        self.assertNotIn(">Pending<", page)

    def test_portal_in_french_for_a_french_customer(self):
        self._speak_french(self.portal_user)
        self.authenticate("ann_portal", "ann_portal")
        pages = {
            "/my/reorders": ["Demandes de renouvellement de commande"],
            "/my/reorders/new": ["Ajouter les articles"],
            f"/my/reorders/new?step=2&product_ids={self.bolt.id}": [
                "Soumettre la demande de commande",
                "Ajouter d'autres articles",
            ],
        }
        for url, french in pages.items():
            with self.subTest(url=url):
                page = self._get_translated(url)
                for text in french:
                    self.assertIn(text, page)
                for english in ("Add Items", "Submit Order Request", "Add more items"):
                    self.assertNotIn(english, page)
        request = self._submit(
            [
                {"product_id": self.bolt.id, "quantity": 12},
                {"product_id": self.nut.id, "quantity": 5},
            ]
        )
        page = self._get_translated(request.get_portal_url())
        self.assertIn("En attente", page)
        self.assertNotIn(">Pending<", page)
        # Each item's outcome, on the page and in the Accepted email, in French.
        request.line_ids[1].write(
            {"decision": "decline", "decline_reason": "discontinued"}
        )
        self._accept(request, "quotation")
        page = self._get_translated(request.get_portal_url())
        for french in (
            "1 sur 2 articles acceptés, 1 refusé(s)",
            "Accepté tel que demandé",
            "Refusé : Plus fabriqué",
        ):
            self.assertIn(french, page)
        email = request.message_ids.filtered(
            lambda m: (
                m.subject
                and request.name in m.subject
                and m.partner_ids == self.contact
            )
        )
        self.assertEqual(len(email), 1)
        self.assertIn("Article par article", str(email.body))
        self.assertIn("Refusé : Plus fabriqué", str(email.body))
