"""Send hostile input to a running server and count the server errors (there must be 0).

Usage: `make bad-input` (on a server of its own: dev/bad_input.sh), or `make run` in one
terminal and `BAD_INPUT_URL=http://127.0.0.1:8069 make bad-input` (or `python3
dev/bad_input.py [URL] [DB]`) in another. It logs in as the demo portal customer
(portal / portal) and the demo salesperson (demo / demo), posts the portal forms and
calls the RPC entry points with the corpus below. A case passes when the answer is a
page (2xx/3xx/404) or a clear business error (UserError, ValidationError, AccessError),
never a 500 or a traceback.
"""

import re
import sys

import requests

URL = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8069").rstrip("/")
DB = sys.argv[2] if len(sys.argv) > 2 else None
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|Internal Server Error")
CLEAR_ERRORS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
    # A JSON route's 404 (another customer's order, the feature off).
    "werkzeug.exceptions.NotFound",
}
# The addon's own (UserError subclasses), by class name wherever its module lives.
ADDON_CLEAR_ERRORS = {"ReorderInputError", "ReorderAlreadySentError"}


def login(login, password):
    session = requests.Session()
    params = {"login": login, "password": password}
    if DB:
        params["db"] = DB
    response = session.post(
        f"{URL}/web/session/authenticate",
        json={"jsonrpc": "2.0", "method": "call", "params": params},
        timeout=30,
    )
    response.raise_for_status()
    if response.json().get("error") or not response.json()["result"].get("uid"):
        sys.exit(f"Cannot log in as {login} on {URL}: is `make run` serving?")
    return session


def call_kw(session, model, method, args, kwargs=None):
    return session.post(
        f"{URL}/web/dataset/call_kw",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        },
        timeout=60,
    )


def csrf(session, path="/my/reorders/new"):
    page = session.get(f"{URL}{path}", timeout=30).text
    found = re.search(r'csrf_token: "([^"]+)"', page)
    return found.group(1) if found else ""


def verdict(response):
    """None when the answer is fine, else what went wrong."""
    if response.status_code >= 500:
        return f"HTTP {response.status_code}"
    if response.headers.get("Content-Type", "").startswith("application/json"):
        error = response.json().get("error")
        if error:
            name = error.get("data", {}).get("name", "")
            module, _dot, class_name = name.rpartition(".")
            addon_error = (
                module.startswith("odoo.addons.sale_reorder.")
                and class_name in ADDON_CLEAR_ERRORS
            )
            if name not in CLEAR_ERRORS and not addon_error:
                return f"{name}: {error.get('data', {}).get('message', '')[:120]}"
        return None
    if TRACEBACK.search(response.text):
        return "traceback in the page"
    return None


def main():
    portal = login("portal", "portal")
    staff = login("demo", "demo")
    token = csrf(portal)
    bolt = call_kw(
        staff,
        "product.product",
        "search",
        [[("available_for_reorder", "=", True)]],
        {"limit": 1},
    ).json()["result"][0]
    nul = "a\x00b"
    cases = {
        # Portal pages and forms
        "list, NUL search": lambda: portal.get(
            f"{URL}/my/reorders", params={"search": nul}
        ),
        "step 1, NUL search": lambda: portal.get(
            f"{URL}/my/reorders/new", params={"search": nul}
        ),
        "step 2, superscript id": lambda: portal.get(
            f"{URL}/my/reorders/new", params={"step": "2", "product_ids": "²"}
        ),
        "step 2, 6 KB token in the URL": lambda: portal.get(
            f"{URL}/my/reorders/new",
            params={"step": "2", "product_ids": bolt, "submission_token": "a" * 6000},
        ),
        "page number ²": lambda: portal.get(f"{URL}/my/reorders/new?page=²"),
    }
    for name, data in {
        "quantity 1e307": {f"quantity_{bolt}": "1e307"},
        "quantity 1e308": {f"quantity_{bolt}": "1e308"},
        "quantity NaN": {f"quantity_{bolt}": "nan"},
        "NUL comment": {f"quantity_{bolt}": "1", "comment": nul},
        "6 KB token": {f"quantity_{bolt}": "1", "submission_token": "a" * 6000},
        "superscript product": {"product_ids": "²", "quantity_²": "1"},
    }.items():
        form = {"product_ids": str(bolt), "csrf_token": token, **data}
        cases[f"submit, {name}"] = lambda form=form: portal.post(
            f"{URL}/my/reorders/submit", data=form, allow_redirects=False
        )
    # Step 2's estimate, as its page asks it while the customer types (JSON-RPC)
    for name, body in {
        "quantities a list": '{"params": {"quantities": [1, 2]}}',
        "quantity NaN": f'{{"params": {{"quantities": {{"{bolt}": NaN}}}}}}',
        "quantity Infinity": f'{{"params": {{"quantities": {{"{bolt}": Infinity}}}}}}',
        "quantity 1e400": f'{{"params": {{"quantities": {{"{bolt}": 1e400}}}}}}',
        "quantity 10**40": f'{{"params": {{"quantities": {{"{bolt}": {10**40}}}}}}}',
        "quantity a list": f'{{"params": {{"quantities": {{"{bolt}": [1]}}}}}}',
        "product ²": '{"params": {"quantities": {"²": "1"}}}',
        "2,000 lines": '{"params": {"quantities": {'
        + ", ".join(f'"{i}": "1"' for i in range(1, 2001))
        + "}}}",
        "not JSON": "{quantities",
    }.items():
        cases[f"estimate, {name}"] = lambda body=body: portal.post(
            f"{URL}/my/reorders/estimate",
            data=body,
            headers={"Content-Type": "application/json"},
        )
    # Quick add, upload, download and the lists (step 1's and step 2's forms)
    for name, data in {
        "NUL line": {"quick_add": nul},
        "10,000 lines": {"quick_add": "SR-HNG-01 1\n" * 10000},
        "a 300 KB line": {"quick_add": "x" * 300000},
        "superscript suggestion": {"quick_product": "²"},
        "another customer's id": {"quick_product": "999999999"},
    }.items():
        form = {"quick": "1", **data}
        cases[f"quick add, {name}"] = lambda form=form: portal.post(
            f"{URL}/my/reorders/new", data=form, allow_redirects=False
        )
    for name, body in {
        "term a list": '{"params": {"term": ["x"]}}',
        "NUL term": '{"params": {"term": "a\\u0000b"}}',
        "6 KB term": '{"params": {"term": "' + "a" * 6000 + '"}}',
        "related order ²": '{"params": {"term": "SR", "related_order": "²"}}',
        "related order of another customer": '{"params": {"term": "SR", '
        '"related_order": 999999999}}',
    }.items():
        cases[f"suggest, {name}"] = lambda body=body: portal.post(
            f"{URL}/my/reorders/suggest",
            data=body,
            headers={"Content-Type": "application/json"},
        )
    zip_header = b"PK\x03\x04" + b"\x00" * 200
    for name, content in {
        "empty": b"",
        "binary": bytes(range(256)) * 10,
        "NUL bytes": b"SR-HNG-01,1\x00\n",
        "BOM and semicolons": "\ufeffcode;quantity\nSR-HNG-01;2,5\n".encode(),
        "10,000 rows": b"SR-HNG-01,1\n" * 10000,
        "2 MB": b"x" * (2 * 1024 * 1024),
        "a broken XLSX": zip_header,
        "UTF-16 without BOM": "code,quantity\n".encode("utf-16-le"),
    }.items():
        cases[f"upload, {name}"] = lambda content=content: portal.post(
            f"{URL}/my/reorders/upload",
            data={"csrf_token": token},
            files={"item_file": ("items.csv", content)},
            allow_redirects=False,
        )
    cases["upload, no file"] = lambda: portal.post(
        f"{URL}/my/reorders/upload", data={"csrf_token": token}
    )
    for file_format in ("csv", "xlsx"):
        cases[f"download, {file_format}"] = lambda file_format=file_format: portal.get(
            f"{URL}/my/reorders/items.{file_format}"
        )
    for name, data in {
        "NUL name": {"list_name": nul},
        "300 KB name": {"list_name": "x" * 300000},
        "superscript item": {"list_name": "x", "product_ids": "²"},
    }.items():
        form = {"product_ids": str(bolt), f"quantity_{bolt}": "1", "csrf_token": token}
        form.update(data)
        cases[f"save as list, {name}"] = lambda form=form: portal.post(
            f"{URL}/my/reorders/lists/save", data=form, allow_redirects=False
        )
    for path in ("999999999", "999999999/request", "²", "-1"):
        cases[f"list page {path}"] = lambda path=path: portal.get(
            f"{URL}/my/reorders/lists/{path}", allow_redirects=False
        )
    cases["lists page ²"] = lambda: portal.get(f"{URL}/my/reorders/lists/page/²")
    cases["rename another company's list"] = lambda: portal.post(
        f"{URL}/my/reorders/lists/999999999/rename",
        data={"name": "x", "csrf_token": token},
    )
    for name, args in {
        "name a list": [["x"], [{"product_id": bolt, "quantity": 1}]],
        "lines a string": ["x", "abc"],
        "NUL name": [nul, [{"product_id": bolt, "quantity": 1}]],
    }.items():
        cases[f"RPC lists create_from_portal, {name}"] = lambda args=args: call_kw(
            portal, "sale.reorder.list", "create_from_portal", args
        )
    cases["RPC lists rename_from_portal, no such list"] = lambda: call_kw(
        portal, "sale.reorder.list", "rename_from_portal", [[999999999], "x"]
    )
    cases["RPC lists unlink_from_portal, no such list"] = lambda: call_kw(
        portal, "sale.reorder.list", "unlink_from_portal", [[999999999]]
    )
    # RPC entry points, as a portal customer and as a salesperson
    for name, args in {
        "lines not a list": [42],
        "lines a string": ["abc"],
        "items not dicts": [[[bolt, 1]]],
        "comment not text": [[{"product_id": bolt, "quantity": 1}], 42],
        "NUL comment": [[{"product_id": bolt, "quantity": 1}], nul],
        "quantity 1e308": [[{"product_id": bolt, "quantity": 1e308}]],
        "6 KB token": [[{"product_id": bolt, "quantity": 1}], None, "a" * 6000],
    }.items():
        cases[f"RPC create_from_portal, {name}"] = lambda args=args: call_kw(
            portal, "sale.reorder.request", "create_from_portal", args
        )
    cases["RPC create_from_portal, other company"] = lambda: portal.post(
        f"{URL}/web/dataset/call_kw",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": "sale.reorder.request",
                "method": "create_from_portal",
                "args": [[{"product_id": bolt, "quantity": 1}]],
                "kwargs": {"context": {"allowed_company_ids": [999]}},
            },
        },
    )
    orders = call_kw(staff, "sale.order", "search", [[]], {"limit": 2}).json()["result"]
    cases["RPC create_related_order, line_ids='abc'"] = lambda: call_kw(
        staff, "sale.order", "create_related_order", [orders[:1]], {"line_ids": "abc"}
    )
    cases["RPC create_related_order, two orders"] = lambda: call_kw(
        staff, "sale.order", "create_related_order", [orders]
    )
    requests_ = call_kw(
        staff, "sale.reorder.request", "search", [[]], {"limit": 1}
    ).json()["result"]
    cases["RPC write state"] = lambda: call_kw(
        staff, "sale.reorder.request", "write", [requests_, {"state": "pending"}]
    )
    failed = 0
    for name, send in cases.items():
        problem = verdict(send())
        print(
            f"{'FAIL' if problem else 'ok  '} {name}{': ' + problem if problem else ''}"
        )
        failed += bool(problem)
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
