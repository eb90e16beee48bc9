"""`make bench`, step 6: CRM > Reporting > Due for Reorder at scale, over HTTP.

python due_report.py URL DB SAMPLES: logs in as admin and opens the report as the web
client does (the list's first page: web_search_read with the action's default filter
and order, 80 rows and the count; then the pivot's read_group by salesperson and
status), SAMPLES times each, and prints the p50.
"""

import statistics
import sys
import time

import requests

base, db, samples = sys.argv[1], sys.argv[2], int(sys.argv[3])
session = requests.Session()
session.post(
    f"{base}/web/session/authenticate",
    json={"params": {"db": db, "login": "admin", "password": "admin"}},
).raise_for_status()
model = "sale.reorder.due.report"
due = [["status", "in", ["due", "overdue"]]]
calls = {
    "report list, first page": (
        "web_search_read",
        [],
        {
            "domain": due,
            "specification": {
                name: {"fields": {"display_name": {}}} if many2one else {}
                for name, many2one in (
                    ("partner_id", True),
                    ("product_id", True),
                    ("last_date", False),
                    ("interval_days", False),
                    ("usual_quantity", False),
                    ("uom_id", True),
                    ("next_date", False),
                    ("days_overdue", False),
                    ("status", False),
                    ("expected_amount", False),
                    ("currency_id", True),
                    ("user_id", True),
                )
            },
            "limit": 80,
            "count_limit": 10001,
        },
    ),
    "report pivot": (
        "read_group",
        [],
        {
            "domain": due,
            "fields": ["expected_amount:sum"],
            "groupby": ["user_id", "status"],
            "lazy": False,
        },
    ),
}


def call(method, args, kwargs):
    response = session.post(
        f"{base}/web/dataset/call_kw/{model}/{method}",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": kwargs,
            },
        },
    )
    response.raise_for_status()
    result = response.json()
    if "error" in result:
        raise SystemExit(result["error"]["data"]["message"])
    return result["result"]


timings = {name: [] for name in calls}
first = call(*calls["report list, first page"])
if not first["length"]:
    sys.exit(
        "Due report: no row due or overdue (due_setup.py makes most customers due)"
    )
for _sample in range(samples):
    for name, arguments in calls.items():
        start = time.perf_counter()
        call(*arguments)
        timings[name].append((time.perf_counter() - start) * 1000)
print(f"Due report: {first['length']:,} rows due or overdue")
for name, values in timings.items():
    print(f"{name:<24} | p50 {statistics.median(values):7.1f} ms")
