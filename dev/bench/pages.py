"""`make bench`, step 4: portal pages side by side, over HTTP, as the bench customer.

python pages.py URL LOGFILE LABEL SAMPLES DB: logs in as bench / bench, warms each page,
then opens step 1, step 1 with "Due for reorder" switched off (the step 1 of 18.0.1.2.0,
without rhythms; the switch is flipped in SQL around it), step 2 (10 items),
/my/orders, /my/invoices, the page of one of the customer's orders, quick add's
suggestions, an upload of 1,000 rows, the lists page (200 lists) and a list in turn
SAMPLES times (interleaved, so that the machine's
state weighs on all alike) and prints the p50 of each, with the queries the server
logged for it (Odoo's werkzeug log line). Exits non-zero when a page fails or its
queries cannot be read from the log.
"""

import re
import statistics
import sys
import time

import psycopg2
import requests

base, logfile, label, samples = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
db = psycopg2.connect(dbname=sys.argv[5])
db.autocommit = True


def due_for_reorder(enabled):
    with db.cursor() as cr:
        cr.execute("UPDATE res_company SET reorder_due_enabled = %s", [enabled])


session = requests.Session()
login_page = session.get(f"{base}/web/login")
csrf = re.search(r'name="csrf_token" value="([^"]+)"', login_page.text).group(1)
session.post(
    f"{base}/web/login",
    data={"login": "bench", "password": "bench", "csrf_token": csrf},
)
step_1 = session.get(f"{base}/my/reorders/new")
products = re.findall(r'name="product_ids" value="(\d+)"', step_1.text)[:10]
if len(products) < 10:
    sys.exit(f"step 1 lists {len(products)} items, not the bench customer's history")
orders_page = session.get(f"{base}/my/orders")
order = re.search(r'href="(/my/orders/\d+)[?"]', orders_page.text)
if not order:
    sys.exit("/my/orders lists no order of the bench customer")
# A 1,000-row upload of the customer's own items, from "Download my items".
items = session.get(f"{base}/my/reorders/items.csv")
items.raise_for_status()
codes = [
    row.split(",")[0] for row in items.content.decode("utf-8-sig").splitlines()[1:]
]
upload = "code,quantity\n" + "".join(
    f"{codes[i % len(codes)]},1\n" for i in range(1000)
)
lists_page = session.get(f"{base}/my/reorders/lists")
reorder_list = re.search(r'href="(/my/reorders/lists/\d+)"', lists_page.text)
if not reorder_list:
    sys.exit("/my/reorders/lists lists no list of the bench customer")
pages = {
    "step 1": "/my/reorders/new",
    "step 1, no rhythms": "/my/reorders/new?rhythms=off",
    "step 2, 10 items": "/my/reorders/new?step=2&"
    + "&".join(f"product_ids={product}" for product in products),
    "/my/orders": "/my/orders",
    "/my/invoices": "/my/invoices",
    # Odoo's page of a confirmed order with the addon's buttons (Reorder these
    # items, Request related items) and related orders.
    "an order": order.group(1),
    # Quick add's suggestions for a code, as typed (a JSON POST).
    "quick add suggest": ("POST", "/my/reorders/suggest", "BENCH"),
    # Upload a file of 1,000 rows: step 2 with its items.
    "upload 1000 rows": ("POST", "/my/reorders/upload", upload),
    "my lists (200)": "/my/reorders/lists",
    "a list": reorder_list.group(1),
}
timings = {name: [] for name in pages}


def get(url):
    """The page and the milliseconds it took (the switch flipped outside them)."""
    if isinstance(url, tuple):
        return post(*url)
    off = "rhythms=off" in url
    if off:
        due_for_reorder(False)
    start = time.perf_counter()
    response = session.get(base + url)
    elapsed = (time.perf_counter() - start) * 1000
    if off:
        due_for_reorder(True)
    return response, elapsed


def post(_method, url, payload):
    """A JSON call (the suggestions) or a form with a file (the upload)."""
    start = time.perf_counter()
    if url.endswith("/suggest"):
        response = session.post(base + url, json={"params": {"term": payload}})
        if len(response.json()["result"]["items"]) != 10:
            sys.exit(f"{url}: not 10 suggestions for {payload}")
    else:
        response = session.post(
            base + url,
            data={"csrf_token": form_csrf},
            files={"item_file": ("items.csv", payload.encode())},
        )
        if "2. Set the quantities" not in response.text:
            sys.exit(f"{url}: the upload did not open step 2")
    return response, (time.perf_counter() - start) * 1000


# The session's form token (as step 1's form carries it), read once.
form_csrf = re.search(r'name="csrf_token" value="([^"]+)"', step_1.text).group(1)


for _warm in range(min(3, samples)):
    for url in pages.values():
        get(url)[0].raise_for_status()
with open(logfile) as log:
    log.seek(0, 2)
    log_start = log.tell()
for _sample in range(samples):
    for name, url in pages.items():
        response, elapsed = get(url)
        timings[name].append(elapsed)
        response.raise_for_status()
time.sleep(0.5)
with open(logfile) as log:
    log.seek(log_start)
    logged = log.read()
for name, url in pages.items():
    method, path = ("POST", url[1]) if isinstance(url, tuple) else ("GET", url)
    counts = [
        int(c)
        for c in re.findall(
            rf'"{method} {re.escape(path)} HTTP[^"]*" 200 - (\d+) ', logged
        )
    ]
    if not counts:
        sys.exit(f"{name}: no line of Odoo's log gives its queries ({url})")
    queries = statistics.median(counts)
    print(
        f"{label:>5} | {name:<18} | p50 {statistics.median(timings[name]):6.1f} ms"
        f" | {queries:g} queries"
    )
