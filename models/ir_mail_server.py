import re

from odoo import models

# The headers of one-click unsubscribe (RFC 2369, RFC 8058) that mail providers read
# as they come: a URL in angle brackets, and the body their POST sends.
UNFOLDED_HEADERS = ("List-Unsubscribe", "List-Unsubscribe-Post")
# What is written as it is: printable ASCII, words separated by single spaces.
PLAIN_VALUE = re.compile(r"[\x21-\x7e]+(?: [\x21-\x7e]+)*")
# RFC 5322 2.1.1: no line longer than this, CRLF excluded.
MAX_LINE_LENGTH = 998


class UnfoldedHeader(str):
    """A header value that Python's ``email`` writes as it is, on one line. Its
    policies keep a value that has a ``name`` as given (``header_store_parse``) and
    write it with its own ``fold`` (``EmailPolicy._fold``): never folded at 78
    characters, and so never turned into RFC 2047 encoded words, which is what
    becomes of a URL too long for one line, and which mail providers do not decode
    in List-Unsubscribe. Past RFC 5322's 998 characters, a list ``<a>, <b>`` is
    folded between its items only."""

    def __new__(cls, name, value):
        header = super().__new__(cls, value)
        header.name = name
        return header

    def fold(self, *, policy):
        line = f"{self.name}: {self}"
        if len(line) > MAX_LINE_LENGTH:
            items = re.split(r"(?<=>)\s*,\s*", str(self))
            line = f"{self.name}: " + f",{policy.linesep} ".join(items)
        return line + policy.linesep


class IrMailServer(models.Model):
    _inherit = "ir.mail_server"

    def build_email(self, *args, **kwargs):
        """List-Unsubscribe and List-Unsubscribe-Post as they were given, on one
        line each: the reorder reminder's one-click unsubscribe (or any other's)
        is found by the big mail providers whatever the length of the base URL."""
        message = super().build_email(*args, **kwargs)
        for name in UNFOLDED_HEADERS:
            value = message[name]
            if value is not None and PLAIN_VALUE.fullmatch(str(value)):
                message.replace_header(name, UnfoldedHeader(name, str(value)))
        return message
