"""Latency of the purchase history and of a submission at scale (`make bench`).

Run with `odoo-bin shell` on a throwaway database: it builds a customer with a long
history (BENCH_INVOICES posted invoices of BENCH_LINES lines over BENCH_PRODUCTS
products), then times _get_reorderable_products and _create_from_portal. Nothing is
committed. A benchmark, not a test: it prints numbers and asserts nothing.
"""

import os
import statistics
import time

from odoo import Command

INVOICES = int(os.environ.get("BENCH_INVOICES", "300"))
LINES = int(os.environ.get("BENCH_LINES", "20"))
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "60"))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))

env = env  # noqa: F821, PLW0127 (given by odoo-bin shell)
env.company.reorder_request_enabled = True
Request = env["sale.reorder.request"]


def timed(function, runs):
    timings = []
    for _run in range(runs):
        env.invalidate_all()
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), max(timings)


start = time.perf_counter()
products = env["product.product"].create(
    [
        {"name": f"Bench item {i}", "list_price": 1 + i, "available_for_reorder": True}
        for i in range(PRODUCTS)
    ]
)
customer = env["res.partner"].create({"name": "Bench Customer", "is_company": True})
moves = env["account.move"].create(
    [
        {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "invoice_date": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": products[(i * LINES + j) % PRODUCTS].id,
                        "quantity": 1 + j,
                        "price_unit": 2.0,
                    }
                )
                for j in range(LINES)
            ],
        }
        for i in range(INVOICES)
    ]
)
moves.action_post()
env.flush_all()
print(
    f"History: {INVOICES} posted invoices, {INVOICES * LINES} lines, {PRODUCTS} "
    f"products (built in {time.perf_counter() - start:.0f} s)"
)

median, worst = timed(lambda: customer._get_reorderable_products(), RUNS)
print(f"_get_reorderable_products: median {median:.1f} ms, worst {worst:.1f} ms")
median, worst = timed(lambda: customer._has_reorderable_products(), RUNS)
print(f"_has_reorderable_products (the /my check): median {median:.1f} ms")


def submit():
    with env.cr.savepoint():
        Request._create_from_portal(
            customer,
            [{"product_id": product.id, "quantity": 2} for product in products[:5]],
            "Benchmark",
        )


median, worst = timed(submit, max(RUNS // 4, 3))
print(f"_create_from_portal (5 items): median {median:.1f} ms, worst {worst:.1f} ms")
env.cr.rollback()
