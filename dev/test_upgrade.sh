#!/usr/bin/env bash
# `make test-upgrade`: install the addon at the previous release (dev/previous_release, a commit
# of this repository checked out with git worktree), fill it with what that release could
# store (a withdrawn request, a PIN, "Work Order" as default document), upgrade to the
# current code (-u) and check that everything was carried over; then the PIN lock-out
# with eight real connections at once (dev/pin_race.py).
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/db.sh"

DB=sale_reorder_upgrade
release=$(tr -d '[:space:]' <"$ADDON_DIR/dev/previous_release")
old_tree=$CACHE_DIR/previous-release
old_addons=$CACHE_DIR/previous-release-addons
old_conf=$CACHE_DIR/previous-release.conf

bash "$ADDON_DIR/dev/prepare.sh"
start_pg_until_exit

git -C "$ADDON_DIR" worktree remove --force "$old_tree" 2>/dev/null || rm -rf "$old_tree"
git -C "$ADDON_DIR" worktree prune
git -C "$ADDON_DIR" worktree add --detach --force "$old_tree" "$release" >/dev/null
trap 'git -C "$ADDON_DIR" worktree remove --force "$old_tree" 2>/dev/null || true; drop_db "$DB"' EXIT
mkdir -p "$old_addons"
ln -sfn "$old_tree" "$old_addons/$ADDON_NAME"
sed "s#^addons_path = .*#addons_path = $ODOO_SRC/odoo/addons,$old_addons#" "$ODOO_CONF" >"$old_conf"

log "Installing $ADDON_NAME at the previous release ($release)"
new_base_db "$DB"
current_odoo_bin=("${ODOO_BIN[@]}")
ODOO_BIN=("$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$old_conf")
odoo_batch -d "$DB" -i "$ADDON_NAME"
ODOO_BIN=("${current_odoo_bin[@]}")
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$old_conf" -d "$DB" --no-http \
    --logfile="$CACHE_DIR/upgrade-fill.log" <<'PY'
requests = env["sale.reorder.request"].search([("state", "=", "pending")], order="id")
assert len(requests) >= 2, "the previous release's demo has two pending requests"
requests[0]._withdraw_by_customer()
requests[1]._accept("quotation")
env.company.reorder_default_document = "work_order"
env.company._set_related_order_pin("2468")
# An administrator stopped the Declined email on purpose: the upgrade must not bring it back.
env.company.reorder_declined_template_id = False
# Screws every 30 days: a buying rhythm the release did not know of.
from datetime import date, timedelta
from odoo import Command
screws = env.ref("sale_reorder.product_screws")
joel = env.ref("base.partner_demo_portal")
for days in (95, 65, 35):
    env["account.move"].create({
        "move_type": "out_invoice",
        "partner_id": joel.id,
        "invoice_date": date.today() - timedelta(days=days),
        "invoice_line_ids": [Command.create({"product_id": screws.id, "quantity": 20, "price_unit": 6.75})],
    }).action_post()
# Invoices credited in full through Odoo's Credit Note wizard, which the release still
# counted: sealant bought on one only, glue on three (the last one credited).
sealant, glue = env["product.product"].create([
    {"name": name, "default_code": code, "available_for_reorder": True, "list_price": 5.0}
    for name, code in (("Sealant", "UPGRADE-SEALANT"), ("Glue", "UPGRADE-GLUE"))
])
invoices = env["account.move"].create([{
    "move_type": "out_invoice",
    "partner_id": joel.id,
    "invoice_date": date.today() - timedelta(days=days),
    "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 4, "price_unit": 5.0})],
} for product, days in ((sealant, 20), (glue, 95), (glue, 65), (glue, 35))])
invoices.action_post()
for invoice in invoices[0] | invoices[3]:
    reversal = env["account.move.reversal"].with_context(
        active_model="account.move", active_ids=invoice.ids
    ).create({"journal_id": invoice.journal_id.id})
    reversal.refund_moves()
    reversal.new_move_ids.action_post()
    assert invoice.payment_state == "reversed", invoice.payment_state
assert sealant in env["sale.reorder.request"]._get_reorderable_products(joel), "the release counted it"
env.cr.commit()
PY

log "Upgrading to the current code"
odoo_batch -d "$DB" -u "$ADDON_NAME"
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$ODOO_CONF" -d "$DB" --no-http \
    --logfile="$CACHE_DIR/upgrade-check.log" <<'PY'
import sys
from datetime import date, timedelta

checks = []
Request = env["sale.reorder.request"]
withdrawn = Request.search([("state", "=", "withdrawn")])
accepted = Request.search([("state", "=", "accepted")])
lost = withdrawn.opportunity_id.with_context(active_test=False).lost_reason_id
checks += [
    ("the withdrawn request is Withdrawn", len(withdrawn) == 1 and not withdrawn.decline_reason),
    ("its opportunity is lost as withdrawn", lost == env.ref("sale_reorder.crm_lost_reason_reorder_withdrawn")),
    ("the accepted request keeps its quotation", len(accepted.sale_order_ids) == 1),
    ("requests and lines are all there", Request.search_count([]) >= 2 and all(Request.search([]).mapped("line_ids"))),
    ("no open review to-do on decided requests", not env["mail.activity"].search_count([("res_model", "=", Request._name), ("res_id", "in", (withdrawn | accepted).ids)])),
    ("the default document is Manufacturing Order", env.company.reorder_default_document == "manufacturing_order"),
    ("the PIN's hash still verifies", env.company._verify_related_order_pin("2468")),
    ("related orders are still related", bool(env["sale.order"].search_count([("parent_order_id", "!=", False)]))),
    ("the shipped Accepted template lists documents", "_get_customer_documents" in env.ref("sale_reorder.mail_template_reorder_accepted").body_html),
]
env.cr.execute("SELECT 1 FROM information_schema.columns WHERE table_name = 'sale_related_order_create' AND column_name = 'pin'")
checks.append(("no typed-PIN ORM column is left", not env.cr.fetchall()))
env.cr.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'account_move_line_sale_reorder_history_index'")
checks.append(("the history index exists (18.0.1.2.0)", bool(env.cr.fetchall())))
customer = withdrawn.partner_id.commercial_partner_id
checks.append(("the upgraded history still lists the customer's products", bool(customer._get_reorderable_products(env.company))))
screws = env.ref("sale_reorder.product_screws")
joel = env.ref("base.partner_demo_portal")
rhythm = env["sale.reorder.rhythm"].search([("partner_id", "=", joel.id), ("product_id", "=", screws.id)])
checks += [
    ("the rhythms of the documents posted before are computed (18.0.1.3.0)", rhythm.interval_days == 30 and rhythm.usual_quantity == 20),
    ("they are priced (their expected amount)", rhythm.expected_amount > 0),
    ("the due report lists them", bool(env["sale.reorder.due.report"].search_count([("partner_id", "=", joel.id), ("product_id", "=", screws.id)]))),
    ("a template cleared on purpose stays cleared", not env.company.reorder_declined_template_id),
    ("every company has the Reorder Reminder template", all(env["res.company"].search([]).mapped("reorder_reminder_template_id"))),
    ("reminders stay off until switched on", not any(env["res.company"].search([]).mapped("reorder_reminder_enabled"))),
    ("the daily reminder job is scheduled", env.ref("sale_reorder.ir_cron_sale_reorder_reminder").active),
    ("the daily pricing job is scheduled", env.ref("sale_reorder.ir_cron_sale_reorder_rhythm_pricing").active),
    # 18.0.1.4.0
    ("the unedited New Request email is the new one (1 item / 2 items)", "line_count == 1" in env.ref("sale_reorder.mail_template_reorder_notification").body_html),
    ("the Accepted email names the items left out", "left_out" in env.ref("sale_reorder.mail_template_reorder_accepted").body_html),
    ("both stay the administrator's (noupdate)", all(env["ir.model.data"].search([("module", "=", "sale_reorder"), ("name", "in", ("mail_template_reorder_notification", "mail_template_reorder_accepted"))]).mapped("noupdate"))),
    ("the Withdrawn email exists", bool(env.ref("sale_reorder.mail_template_reorder_withdrawn", raise_if_not_found=False))),
    ("every request has its access token", not Request.search_count([("access_token", "=", False)])),
    ("no item is left out of an older request", not env["sale.reorder.request.line"].search_count([("left_out", "=", True)])),
    ("the submission locks table exists", env["sale.reorder.submission.lock"].search_count([]) >= 0),
    ("the withdrawn request is still Withdrawn, its opportunity lost", withdrawn.state == "withdrawn" and not withdrawn.opportunity_id.active),
    ("the accepted request's items are accepted (18.0.1.6.0)", set(accepted.line_ids.mapped("decision")) == {"accept"} and accepted.accepted_item_count == len(accepted.line_ids)),
    ("the withdrawn request's items are declined, with no reason of their own", set(withdrawn.line_ids.mapped("decision")) == {"decline"} and not any(withdrawn.line_ids.mapped("decline_reason"))),
    ("the pending requests' items are to accept", set(Request.search([("state", "=", "pending")]).line_ids.mapped("decision")) <= {"accept"}),
    ("no item is without a decision", not env["sale.reorder.request.line"].search_count([("decision", "=", False)])),
    ("the items' acceptance rate is computed", accepted.line_ids[:1].item_acceptance_rate == 100 and withdrawn.line_ids[:1].item_acceptance_rate == 0),
    ("the Accepted email tells each item's outcome", "_get_customer_outcome" in env.ref("sale_reorder.mail_template_reorder_accepted").body_html),
    # 18.0.1.7.0
    ("a customer's items can be saved as a list", bool(env["sale.reorder.list"]._create_from_portal(joel, env.company, "After the upgrade", [{"product_id": screws.id, "quantity": 2}]).line_ids)),
    ("quick add finds an item by its code", bool(joel._search_reorderable_products(env.company, screws.default_code or screws.name))),
    ("every company keeps Reorder these items on its orders", all(env["res.company"].search([]).mapped("reorder_order_page_button"))),
]
# 18.0.1.5.0
sealant = env["product.product"].search([("default_code", "=", "UPGRADE-SEALANT")])
glue = env["product.product"].search([("default_code", "=", "UPGRADE-GLUE")])
history = joel._get_reorderable_products(env.company)
checks += [
    ("an invoice credited in full no longer counts (18.0.1.5.0)", sealant and sealant not in history),
    ("nor in a rhythm: two purchases left, the last 65 days ago", glue in history and history[glue]["last_date"] == date.today() - timedelta(days=65) and not env["sale.reorder.rhythm"].search_count([("product_id", "=", glue.id)])),
]
for index in ("sale_order_line_sale_reorder_open_index", "account_move_line_sale_reorder_draft_index"):
    env.cr.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [index])
    checks.append((f"the index {index} exists (18.0.1.4.0)", bool(env.cr.fetchall())))
print("rhythms:", env["sale.reorder.rhythm"].search_count([]))
for name, ok in checks:
    print(f"{'ok  ' if ok else 'FAIL'} {name}")
failed = sum(not ok for _name, ok in checks)
print(f"upgrade: {len(checks) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY

log "The sale-reorder-rhythms command rebuilds the rhythms"
psql -q -d "$DB" -c "DELETE FROM sale_reorder_rhythm"
addons_path=$(sed -n 's/^addons_path = //p' "$ODOO_CONF")
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" --addons-path="$addons_path" sale-reorder-rhythms \
    -c "$ODOO_CONF" -d "$DB" --logfile="$CACHE_DIR/upgrade-rhythms.log"
"${CHECKLOG[@]}" --no-err-if-empty "$CACHE_DIR/upgrade-rhythms.log" | head -n 40 >&2 ||
    die "the sale-reorder-rhythms command logged errors; see $CACHE_DIR/upgrade-rhythms.log"
rhythms=$(psql -tA -d "$DB" -c "SELECT COUNT(*) FROM sale_reorder_rhythm")
[[ $rhythms -gt 0 ]] || die "the sale-reorder-rhythms command rebuilt no rhythm"
log "ok   the sale-reorder-rhythms command rebuilt $rhythms rhythms"

log "The PIN lock-out over real parallel connections, on the upgraded database"
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$ODOO_CONF" -d "$DB" --no-http \
    --logfile="$CACHE_DIR/pin-race.log" <"$ADDON_DIR/dev/pin_race.py"
