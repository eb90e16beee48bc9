"""`make test-race`, step 3 (run by `odoo-bin shell`): what the races left."""

import sys

Request = env["sale.reorder.request"].sudo()  # noqa: F821
race = Request.search([("partner_id.name", "=like", "Race Wholesale%")])
twin = Request.search([("partner_id.name", "=like", "Twin Stores%")])
decided = Request.search([("partner_id.name", "=like", "Decided Corp%")])
checks = [
    ("Race Wholesale has 10 requests, its limit", len(race) == 10, len(race)),
    ("Twin Stores has 1 request", len(twin) == 1, len(twin)),
    (
        "each decided request is accepted with one quotation",
        all(r.state == "accepted" and len(r.sale_order_ids) == 1 for r in decided),
        [(r.state, len(r.sale_order_ids)) for r in decided],
    ),
    (
        "every opportunity won once",
        all(r.opportunity_id.probability == 100 for r in decided),
        "",
    ),
]
for label, ok, detail in checks:
    print(f"{'ok  ' if ok else 'FAIL'} {label}: {detail}")
failed = sum(not ok for _label, ok, _detail in checks)
print(f"race database: {len(checks) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
