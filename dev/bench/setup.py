"""`make bench`, step 1 (odoo-bin shell): the ×0.1 history, through the ORM.

A B2B customer, "Bench Wholesale", whose buyer logs in as bench / bench, with 300
products (150 available for reorder) bought on 100 posted invoices of 20 lines (2,000
lines), 10 paid sales receipts and 20 confirmed sales orders. A small customer with 9
lines is the probe of "anything to reorder?" as the database grows.

BENCH_LINES (2000), the first size of the run, sets the invoices (one per 20 lines), the
receipts, the orders and the products bought in proportion: `make test-tools` starts
from 200 lines (×0.01: 10 invoices over 30 products), made in a tenth of the time.
"""

import os

from odoo import Command

env = env  # noqa: F821, PLW0127 (odoo-bin shell's namespace)
invoice_count = max(int(os.environ.get("BENCH_LINES", "2000")) // 20, 1)
receipt_count = max(invoice_count // 10, 1)
order_count = max(invoice_count // 5, 1)
# The products the invoices cycle through: each on about 7 invoices, at every size.
bought = min(invoice_count * 3, 300)
company = env.company
company.write(
    {
        "reorder_request_enabled": True,
        "reorder_from_invoices": True,
        "reorder_from_receipts": True,
        "reorder_rate_limit_count": 0,
    }
)
products = env["product.product"].create(
    [
        {
            "name": f"Bench item {i:03d}",
            "default_code": f"BENCH-{i:03d}",
            "list_price": 1 + i % 50,
            "available_for_reorder": i % 2 == 0,
        }
        for i in range(300)
    ]
)
customer = env["res.partner"].create(
    {
        "name": "Bench Wholesale",
        "is_company": True,
        "user_id": env.ref("base.user_demo").id,
    }
)
buyer = env["res.partner"].create(
    {"name": "Bea Buyer", "parent_id": customer.id, "email": "bea@example.com"}
)
env["res.users"].with_context(no_reset_password=True).create(
    {
        "name": buyer.name,
        "login": "bench",
        "password": "bench",
        "partner_id": buyer.id,
        "groups_id": [Command.set(env.ref("base.group_portal").ids)],
    }
)
small = env["res.partner"].create({"name": "Bench Small Shop"})


def move_values(partner, move_type, index, lines):
    return {
        "move_type": move_type,
        "partner_id": partner.id,
        "invoice_date": f"{2025 + index % 2}-{1 + index % 12:02d}-{1 + index % 28:02d}",
        "invoice_line_ids": [
            Command.create(
                {"product_id": product.id, "quantity": 1 + j % 9, "price_unit": 2.0}
            )
            for j, product in enumerate(lines)
        ],
    }


invoices = env["account.move"].create(
    [
        move_values(
            buyer,
            "out_invoice",
            i,
            [products[(i * 20 + j) % bought] for j in range(20)],
        )
        for i in range(invoice_count)
    ]
    + [move_values(small, "out_invoice", i, products[:3]) for i in range(3)]
)
invoices.action_post()
receipts = env["account.move"].create(
    [
        move_values(
            customer, "out_receipt", i, [products[(i * 5 + j) * 2] for j in range(5)]
        )
        for i in range(receipt_count)
    ]
)
receipts.action_post()
env["account.payment.register"].with_context(
    active_model="account.move", active_ids=receipts.ids
).create({"group_payment": False})._create_payments()
orders = env["sale.order"].create(
    [
        {
            "partner_id": buyer.id,
            "order_line": [
                Command.create({"product_id": products[(i * 10 + j) % 300].id})
                for j in range(10)
            ],
        }
        for i in range(order_count)
    ]
)
orders.action_confirm()
# The lists the customer company shares: more than a page of /my/reorders/lists.
reorderable = list(buyer._get_reorderable_products(env.company))
for i in range(200):
    env["sale.reorder.list"]._create_from_portal(
        buyer,
        env.company,
        f"Bench list {i:03d}",
        [
            {"product_id": product.id, "quantity": 1 + j}
            for j, product in enumerate(reorderable[i % 10 : i % 10 + 10])
        ],
    )
env.cr.commit()
print(
    f"Bench Wholesale: {invoice_count * 20:,} invoice lines, {receipt_count} paid "
    f"receipts, {order_count} orders"
)
