#!/usr/bin/env bash
# `make test-mail`: a portal submission reaches the mail catcher through real SMTP. On a copy
# of the installed database, Joel Willis (the demo portal customer) submits a request; the
# mail queue is sent as its scheduled action does, through Odoo's SMTP client to maildump;
# the catcher's REST API must then hold exactly one email for it, to the salesperson, from
# the company, with the request in its subject. Then the daily job reminds Joel of his due
# items, with a long base URL: the email as the catcher received it carries the exact
# one-click unsubscribe URL in List-Unsubscribe, on one line, as mail providers read it.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/db.sh"
MAIL_SMTP_PORT=${TEST_MAIL_SMTP_PORT:-1125} MAIL_HTTP_PORT=${TEST_MAIL_HTTP_PORT:-1180}
source "$(dirname "$0")/mail.sh"

DB=sale_reorder_mail
bash "$ADDON_DIR/dev/prepare.sh"
start_pg_until_exit
copy_db "$(ensure_installed_db)" "$DB"
start_mail_catcher
pg_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT$//")
trap "stop_mail_catcher; drop_db $DB; ${pg_trap:-:}" EXIT

log "A portal submission, then the mail queue through SMTP to the catcher"
name=$(MAIL_SMTP_PORT=$MAIL_SMTP_PORT "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell \
    -c "$ODOO_CONF" -d "$DB" --no-http --logfile="$CACHE_DIR/test-mail.log" <<'PY'
import os

from odoo.tools import config

# What `make run` passes as --smtp / --smtp-port (odoo-bin shell has no such options).
config["smtp_server"], config["smtp_port"] = "127.0.0.1", int(os.environ["MAIL_SMTP_PORT"])
portal = env.ref("base.demo_user0")
product = next(iter(portal.partner_id._get_reorderable_products()))
Request = env["sale.reorder.request"]
request = Request.browse(
    Request.with_user(portal).create_from_portal(
        [{"product_id": product.id, "quantity": 2}], "Checked by make test-mail"
    )
)
env["mail.mail"].process_email_queue()
# The reminder, with a base URL longer than a folded header line.
env["ir.config_parameter"].set_param(
    "web.base.url", "https://erp.some-long-company-name.example.com"
)
portal.company_id.reorder_reminder_enabled = True
env["res.users"].search([("share", "=", True)]).partner_id.filtered(
    lambda partner: partner != portal.partner_id
).reorder_reminder_opt_out = True
env["sale.reorder.reminder"]._cron_send_reminders()
env["mail.mail"].process_email_queue()
env.cr.commit()
print(request.name, portal.partner_id._get_reorder_reminder_opt_out_url())
PY
)
"$VENV/bin/python" - "$MAIL_HTTP_PORT" "$name" <<'PY'
import email
import json
import sys
import urllib.request
from email import policy

port, (name, opt_out_url) = sys.argv[1], sys.argv[2].split()[-2:]
inbox = urllib.request.urlopen(f"http://127.0.0.1:{port}/messages/")
messages = json.load(inbox)["messages"]
about = [m for m in messages if name in m["subject"]]
new_request = [m for m in about if m["subject"].startswith("New reorder request")]
checks = [
    (f"one email for {name}, the new request", len(new_request) == 1 == len(about))
]
if new_request:
    sent = new_request[0]
    checks += [
        ("sent by the company", "info@yourcompany.com" in sent["sender"]),
        ("to the salesperson only", sent["recipients"]["to"] == ["mark.brown23@example.com"]
         and not sent["recipients"]["cc"]),
        ("not in the customer's name", "joel" not in sent["sender"].lower()),
    ]
reminders = [m for m in messages if "time to reorder" in m["subject"]]
checks.append(("one reminder, to Joel", len(reminders) == 1))
if reminders:
    raw = urllib.request.urlopen(
        f"http://127.0.0.1:{port}/messages/{reminders[0]['id']}.eml"
    ).read()
    head = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0] + b"\n"
    parsed = email.message_from_bytes(raw, policy=policy.default)
    checks += [
        ("List-Unsubscribe on one line, the URL as it is",
         f"\nList-Unsubscribe: <{opt_out_url}>\n".encode() in head),
        ("List-Unsubscribe as parsed", parsed["List-Unsubscribe"] == f"<{opt_out_url}>"),
        ("List-Unsubscribe-Post",
         parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"),
    ]
for name, ok in checks:
    print(f"{'ok  ' if ok else 'FAIL'} {name}")
failed = sum(not ok for _name, ok in checks)
print(f"mail: {len(checks) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
