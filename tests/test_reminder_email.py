"""The reminder as the customer's mailbox receives it: sent through Odoo's own path
(mail.mail → ir.mail_server → smtplib) to a real SMTP server on a local socket, its
bytes parsed by Python's ``email`` module, its links opened on the server."""

import email
import html
import re
import socketserver
import threading
from email import policy
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

from odoo import Command, modules
from odoo.tests import tagged
from odoo.tests.common import Opener
from odoo.tools import SQL, mute_logger

from .common import DueDataMixin, ReorderHttpCase

LONG_BASE_URL = "https://erp.some-long-company-name.example.com"


class SmtpCatcher(socketserver.ThreadingTCPServer):
    """A small SMTP server (RFC 5321's commands, no TLS, no authentication) that
    keeps each message's bytes as received, as a mail provider's MX would."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpSession)
        self.messages = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self):
        return self.server_address[1]

    def stop(self):
        self.shutdown()
        self.server_close()


class SmtpSession(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line + b"\r\n")

    def handle(self):
        self.reply(b"220 catcher ESMTP")
        while line := self.rfile.readline():
            command = line[:4].upper()
            if command == b"EHLO":
                self.reply(b"250-catcher")
                self.reply(b"250-8BITMIME")
                self.reply(b"250 SMTPUTF8")
            elif command == b"DATA":
                self.reply(b"354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (line := self.rfile.readline()) != b".\r\n":
                    # RFC 5321 4.5.2: a leading dot was doubled by the sender
                    lines.append(line[1:] if line.startswith(b"..") else line)
                self.server.messages.append(b"".join(lines))
                self.reply(b"250 OK: queued")
            elif command == b"QUIT":
                self.reply(b"221 Bye")
                return
            else:  # HELO, MAIL FROM, RCPT TO, RSET, NOOP
                self.reply(b"250 OK")


class ReceivedReminderMixin(DueDataMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_due_data()
        cls.catcher = SmtpCatcher()
        cls.addClassCleanup(cls.catcher.stop)
        cls.mail_server = cls.env["ir.mail_server"].create(
            {
                "name": "Test catcher",
                "smtp_host": "127.0.0.1",
                "smtp_port": cls.catcher.port,
                "smtp_encryption": "none",
            }
        )

    def _receive(self, mails):
        """Send ``mails`` as the mail queue does, for real (tests otherwise stop
        short of the SMTP connection), and return each message as received: its
        bytes and its parse by the ``email`` module."""
        self.assertTrue(mails)
        mails.mail_server_id = self.mail_server
        start = len(self.catcher.messages)
        with patch.object(modules.module, "current_test", False):
            mails.send(raise_exception=True)
        raw = self.catcher.messages[start:]
        self.assertEqual(len(raw), len(mails), "one message per email")
        return [
            (data, email.message_from_bytes(data, policy=policy.default))
            for data in raw
        ]

    def _remind(self, contact):
        """The daily job's reminder to ``contact``, as received."""
        mails, _done, _remaining = self._run()
        mail = mails.filtered(lambda mail: mail.recipient_ids == contact)
        self.assertEqual(len(mail), 1, f"a reminder to {contact.name}")
        return self._receive(mail)[0]

    @staticmethod
    def _links(message):
        body = message.get_body(("html",)).get_content()
        return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', body)]

    def _usual_link(self, message):
        """The reminder's "request my usual items" link: the one that leads to
        step 2 (directly or after login or signup)."""
        links = [
            link
            for link in self._links(message)
            if "/my/reorders/usual" in link or "my%2Freorders%2Fusual" in link
        ]
        self.assertEqual(len(set(links)), 1, links)
        return urlsplit(links[0])

    def _can_log_in(self, login, password):
        """Through Odoo's login form, as a person would, from a new session."""
        self.authenticate(None, None)
        response = self._post(
            "/web/login", {"login": login, "password": password, "redirect": "/my"}
        )
        self.authenticate(None, None)
        return response.status_code in (302, 303)


class OneClickUnsubscribeTests:
    """RFC 8058's one-click unsubscribe as the big mail providers read it: the
    header holds the plain ``<URL>`` on one line, whatever the length of the base
    URL (never folded, never RFC 2047-encoded), and their POST to it, without a
    session, stops the reminders."""

    def test_the_header_as_received_and_the_post_of_a_mail_provider(self):
        self.env["ir.config_parameter"].set_param("web.base.url", LONG_BASE_URL)
        url = self.contact._get_reorder_reminder_opt_out_url()
        self.assertTrue(url.startswith(f"{LONG_BASE_URL}/reorder/reminders/stop/"))
        self.assertGreater(len(f"List-Unsubscribe: <{url}>"), 78, "past a folded line")
        raw, message = self._remind(self.contact)
        # On the wire: one line each, the URL as it is.
        head = raw.split(b"\r\n\r\n", 1)[0] + b"\r\n"
        self.assertIn(f"\r\nList-Unsubscribe: <{url}>\r\n".encode(), head)
        self.assertIn(
            b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", head
        )
        # As parsers read it, decoding encoded words (policy.default) or not.
        self.assertEqual(message["List-Unsubscribe"], f"<{url}>")
        self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        undecoded = email.message_from_bytes(raw, policy=policy.compat32)
        found = re.fullmatch(r"<(https://[^<>\s]+)>", undecoded["List-Unsubscribe"])
        self.assertTrue(found, undecoded["List-Unsubscribe"])
        self.assertEqual(found[1], url)
        # The provider's POST (RFC 8058 section 3.2): no cookie, no CSRF token.
        provider = Opener(self.cr)
        response = provider.post(
            self.base_url() + urlsplit(found[1]).path,
            data="List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            allow_redirects=False,
            timeout=30,
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("receives no more reminders", response.text)
        self.assertTrue(self.contact.reorder_reminder_opt_out)
        self.assertFalse(self._run()[0], "opted out")

    def test_a_list_longer_than_a_line_folds_between_its_items_only(self):
        """Past RFC 5322's 998 characters a line must fold: between the list's
        items, never inside a URL."""
        urls = [
            f"{LONG_BASE_URL}/stop/{'a' * 500}",
            f"{LONG_BASE_URL}/stop/{'b' * 500}",
        ]
        value = ", ".join(f"<{url}>" for url in urls)
        message = self.env["ir.mail_server"].build_email(
            "shop@example.com",
            ["ann@example.com"],
            "Subject",
            "Body",
            headers={"List-Unsubscribe": value},
        )
        raw = message.as_bytes()
        self.assertTrue(all(len(line) <= 998 for line in raw.split(b"\r\n")))
        self.assertIn(
            f"List-Unsubscribe: <{urls[0]}>,\r\n <{urls[1]}>\r\n".encode(), raw
        )
        parsed = email.message_from_bytes(raw, policy=policy.default)
        self.assertEqual(parsed["List-Unsubscribe"], value)


@tagged("post_install", "-at_install")
class TestReminderLinks(
    OneClickUnsubscribeTests, ReceivedReminderMixin, ReorderHttpCase
):
    """A reminder's link never lets whoever holds the email choose the password of
    an account that has one: Odoo's login page for everyone, the invitation's
    token link only to a contact invited to the portal who has none yet."""

    # Odoo's runner too runs the tests of the mixins (tests/test_suite.py).
    allow_inherited_tests_method = True

    def _invite(self, name, login):
        """A contact of Acme invited to the portal by a salesperson's portal wizard,
        who has not opened the invitation yet."""
        contact = self.env["res.partner"].create(
            {"name": name, "parent_id": self.customer.id, "email": login}
        )
        wizard = (
            self.env["portal.wizard"]
            .with_context(active_ids=contact.ids, active_model="res.partner")
            .create({})
        )
        wizard.user_ids.filtered(lambda user: user.partner_id == contact).with_user(
            self.env.ref("base.user_admin")
        ).action_grant_access()
        user = contact.user_ids
        self.assertTrue(user._is_portal())
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT COALESCE(password, '') FROM res_users WHERE id = %s", user.id)
        )
        self.assertEqual(self.env.cr.fetchone()[0], "", "no password yet")
        self.assertFalse(user.login_date)
        return contact

    def _assert_no_token_and_no_takeover(self, login, password):
        """Whoever holds the reminder to ``login``'s contact posts a new password
        to the signup page with what its link gives: refused, the old password
        still opens the account and the new one does not. The email carries no
        signup token at all, and its link is Odoo's login page."""
        contact = self.env["res.users"].search([("login", "=", login)]).partner_id
        raw, message = self._remind(contact)
        link = self._usual_link(message)
        query = parse_qs(link.query)
        for scope in ("b2b", "b2c"):  # sign-up on invitation only, or open to all
            self.env["ir.config_parameter"].set_param(
                "auth_signup.invitation_scope", scope
            )
            self.authenticate(None, None)
            # Without a token, b2c tries to create a new user with that login: Odoo
            # logs the refused duplicate as a bad query.
            with mute_logger("odoo.sql_db"):
                self._post(
                    "/web/signup",
                    {
                        "token": query.get("token", [""])[0],
                        "login": login,
                        "name": contact.name,
                        "password": f"taken-over-{scope}",
                        "confirm_password": f"taken-over-{scope}",
                        "redirect": "/my/reorders/usual",
                    },
                )
            self.assertFalse(self._can_log_in(login, f"taken-over-{scope}"), scope)
            self.assertTrue(self._can_log_in(login, password))
        for href in self._links(message):
            self.assertNotIn("token", parse_qs(urlsplit(href).query), href)
        self.assertNotIn(b"token=", raw)
        self.assertEqual(link.path, "/web/login")
        self.assertEqual(query["redirect"], ["/my/reorders/usual"])

    def test_an_account_created_with_a_password_never_used(self):
        """Cy's portal user is created with an email and a password (as an import
        or an RPC script does): auth_signup marks an invitation pending all the
        same, and sends it, yet Cy has a password."""
        self.contact.reorder_reminder_opt_out = True  # Cy's reminder only
        cy = self.env["res.partner"].create(
            {
                "name": "Cy Buyer",
                "parent_id": self.customer.id,
                "email": "cy@example.com",
            }
        )
        user = self.env["res.users"].create(
            {
                "name": cy.name,
                "login": "cy_portal",
                "password": "cy-own-password",
                "partner_id": cy.id,
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        self.assertEqual(cy.sudo().signup_type, "signup", "what the attacker used")
        self.assertFalse(user.login_date)
        self._assert_no_token_and_no_takeover("cy_portal", "cy-own-password")

    def test_an_account_that_has_logged_in(self):
        self.assertTrue(self._can_log_in("ann_portal", "ann_portal"))
        self.env.invalidate_all()
        self.assertTrue(self.portal_user.login_date)
        self._assert_no_token_and_no_takeover("ann_portal", "ann_portal")

    def test_a_contact_invited_by_the_portal_wizard_chooses_a_password(self):
        """Bea was invited through the portal wizard and has no password: the link
        lets her choose one, then opens step 2; the next reminder has no token."""
        self.contact.reorder_reminder_opt_out = True  # Bea's reminder only
        bea = self._invite("Bea Buyer", "bea@example.com")
        _raw, message = self._remind(bea)
        link = self._usual_link(message)
        self.assertEqual(link.path, "/web/signup")
        query = parse_qs(link.query)
        self.assertEqual(query["redirect"], ["/my/reorders/usual"])
        self.assertTrue(query["token"])
        self.authenticate(None, None)
        page = self._get(f"{link.path}?{link.query}").text
        self.assertIn('name="password"', page)
        self.assertIn("bea@example.com", page, "her login, filled in")
        response = self._post(
            link.path,
            {
                "token": query["token"][0],
                # as the page fills them in (read-only)
                "login": "bea@example.com",
                "name": "Bea Buyer",
                "password": "bea-chose-this",
                "confirm_password": "bea-chose-this",
                "redirect": "/my/reorders/usual",
            },
        )
        self.assertIn(response.status_code, (302, 303), "signed up and logged in")
        self.assertEqual(
            urlsplit(response.headers["Location"]).path, "/my/reorders/usual"
        )
        self.assertTrue(self._can_log_in("bea@example.com", "bea-chose-this"))
        self.env.invalidate_all()
        url = bea._get_reorder_usual_url()
        self.assertNotIn("token", url, "she has a password now")

    def test_the_login_link_opens_step_2_once_logged_in(self):
        self.authenticate("ann_portal", "ann_portal")
        response = self._get("/web/login?redirect=/my/reorders/usual", status=303)
        self.assertEqual(
            urlsplit(response.headers["Location"]).path, "/my/reorders/usual"
        )
