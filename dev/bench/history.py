"""`make bench`, step 3 (odoo-bin shell): the model side at this size.

The history query (its SQL alone, and through the ORM with caches cleared) and
"anything to reorder?" (p50 of BENCH_RUNS), the latter also for a small customer (9
lines) as the database grows; a 10-item submission (queries and time, rolled back);
the size of the history index; and, with BENCH_EXPLAIN=1, the EXPLAIN (ANALYZE,
BUFFERS) of the history query.
"""

import os
import statistics
import time

from odoo.tools import SQL

env = env  # noqa: F821, PLW0127 (odoo-bin shell's namespace)
cr = env.cr
runs = int(os.environ.get("BENCH_RUNS", "40"))
label = os.environ.get("BENCH_LABEL", "")
company = env.company
buyer = env["res.users"].search([("login", "=", "bench")]).partner_id
small = env["res.partner"].search([("name", "=", "Bench Small Shop")])


def p50(function, count=runs):
    timings = []
    for _run in range(count):
        env.invalidate_all()
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def sql_only(query):
    def run():
        cr.execute(query)
        cr.fetchall()

    return run


history_sql_ms = p50(sql_only(buyer._get_reorderable_products_query(company)))
has_sql_ms = p50(sql_only(small._get_has_reorderable_query(company)))
history_ms = p50(lambda: buyer._get_reorderable_products(company))
has_ms = p50(lambda: buyer._has_reorderable_products(company))
small_ms = p50(lambda: small._has_reorderable_products(company))
history = buyer._get_reorderable_products(company)
items = [{"product_id": p.id, "quantity": 2} for p in list(history)[:10]]
Request = env["sale.reorder.request"]


def submit():
    with cr.savepoint():
        Request._create_from_portal(buyer, items, "Benchmark")


submit()  # warm
start_count = cr.sql_log_count
submit()
submit_queries = cr.sql_log_count - start_count
submit_ms = p50(submit, max(runs // 4, min(runs, 5)))
cr.execute(
    "SELECT pg_relation_size('account_move_line_sale_reorder_history_index'),"
    " (SELECT count(*) FROM account_move_line), (SELECT count(*) FROM account_move)"
)
index_bytes, all_lines, all_moves = cr.fetchone()
print(
    f"{label:>5} | history SQL {history_sql_ms:5.2f} ms,"
    f" with the ORM {history_ms:5.2f} ms ({len(history)} products)"
    f" | anything to reorder? {has_ms:5.2f} ms,"
    f" small customer {small_ms:5.2f} ms (SQL {has_sql_ms:4.2f} ms)"
    f" | submit 10 items {submit_ms:6.1f} ms, {submit_queries} queries"
    f" | index {index_bytes / 2**20:5.1f} MiB | database {all_lines:,} lines,"
    f" {all_moves:,} moves"
)
if os.environ.get("BENCH_EXPLAIN"):
    cr.execute(
        SQL(
            "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) %s",
            buyer._get_reorderable_products_query(company),
        )
    )
    print("\n".join(f"    {row[0]}" for row in cr.fetchall()))
cr.rollback()
