"""`make load`, step 3 (run by `odoo-bin shell`): what the load left in the database.

Reads the successes counted by the locustfile (LOAD_COUNTS, JSON) and checks:
exactly one request per successful submit, one quotation per accepted request (and
one accepted request per successful accept), no request without its opportunity; and
that the load did submit and accept requests. Exits non-zero on any mismatch.
"""

import json
import os
import sys

with open(os.environ["LOAD_COUNTS"]) as counts_file:
    counts = json.load(counts_file)


def successes(name):
    return counts.get(name, 0)


requests = env["sale.reorder.request"].search(  # noqa: F821
    [("partner_id.name", "=like", "Load Customer%")]
)
accepted = requests.filtered(lambda r: r.state == "accepted")
checks = {
    "the load ran: requests submitted, some accepted": (
        bool(requests) and bool(accepted),
        True,
    ),
    "one request per form submitted (a double post makes one)": (
        len(requests),
        successes("submitted requests"),
    ),
    "one accepted request per successful accept": (
        len(accepted),
        successes("staff: accept"),
    ),
    "one quotation per accepted request": (
        sum(len(r.sale_order_ids) for r in accepted),
        len(accepted),
    ),
    "no request without its opportunity": (
        len(requests.filtered(lambda r: not r.opportunity_id)),
        0,
    ),
}
failed = False
for label, (found, expected) in checks.items():
    ok = found == expected
    failed |= not ok
    print(f"  {'ok  ' if ok else 'FAIL'} {label}: {found} (expected {expected})")
print(f"  requests: {len(requests)}, accepted: {len(accepted)}")
sys.exit(1 if failed else 0)
