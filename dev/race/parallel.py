"""`make test-race`, step 2: real parallel posts to Odoo in prefork mode.

1. The rate limit: 12 contacts of one customer, 9 of its 10 requests used, post
   /my/reorders/submit at the same instant: exactly one request is accepted, the 11
   others are told to wait.
2. One form posted twice at the same instant (a double click): one request, and both
   posts land on it.
3. Two staff accept the same 6 requests at the same instant (JSON-RPC): each request
   is accepted once, with one quotation; the other click is told why.

Usage: race/parallel.py URL DB; exits non-zero on any failure. The database is checked by
race/check.py afterwards, Odoo's log by checklog-odoo.
"""

import re
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import requests

URL, DB = sys.argv[1], sys.argv[2]
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
TOKEN_RE = re.compile(r'name="submission_token" value="([0-9a-f]{32})"')
PRODUCT_RE = re.compile(r'name="product_ids" value="(\d+)"')
RATE_TEXT = "reorder requests were sent for"
failures = []


def check(label, ok, detail=""):
    print(f"{'ok  ' if ok else 'FAIL'} {label}{f': {detail}' if detail else ''}")
    if not ok:
        failures.append(label)


def portal_session(login):
    session = requests.Session()
    page = session.get(f"{URL}/web/login", timeout=60)
    csrf = CSRF_RE.search(page.text).group(1)
    session.post(
        f"{URL}/web/login",
        data={"login": login, "password": login, "csrf_token": csrf},
        timeout=60,
    )
    return session


def step_2_form(session):
    """The submit form of step 2 with the customer's first item, as a browser
    would post it."""
    step_1 = session.get(f"{URL}/my/reorders/new", timeout=60)
    product = PRODUCT_RE.search(step_1.text).group(1)
    step_2 = session.post(
        f"{URL}/my/reorders/new?step=2", data={"product_ids": product}, timeout=60
    )
    return [
        ("csrf_token", CSRF_RE.search(step_2.text).group(1)),
        ("submission_token", TOKEN_RE.search(step_2.text).group(1)),
        ("product_ids", product),
        (f"quantity_{product}", "3"),
        ("comment", "race"),
    ]


def post_together(posts):
    """Each (session, form) posted to /my/reorders/submit at the same instant."""
    barrier = threading.Barrier(len(posts))

    def post(session, form):
        barrier.wait()
        return session.post(
            f"{URL}/my/reorders/submit", data=form, allow_redirects=False, timeout=120
        )

    with ThreadPoolExecutor(len(posts)) as pool:
        return list(pool.map(lambda args: post(*args), posts))


def sent_to(response):
    location = response.headers.get("Location", "")
    found = re.search(r"/my/reorders/(\d+)\?.*message=sent", location)
    return int(found.group(1)) if response.status_code == 303 and found else None


# 1. The rate limit, 12 parallel posts with 9 requests used.
racers = [portal_session(f"race{i}") for i in range(1, 13)]
responses = post_together([(session, step_2_form(session)) for session in racers])
sent = [r for r in responses if sent_to(r)]
refused = [r for r in responses if r.status_code == 200 and RATE_TEXT in r.text]
check(
    "12 parallel posts at 9 of 10 used: exactly one request", len(sent) == 1, len(sent)
)
check(
    "the 11 others are told to wait, on their form",
    len(refused) == 11,
    f"{len(refused)} ({sorted({r.status_code for r in responses})})",
)

# 2. One form posted twice at the same instant.
twin = portal_session("twin")
form = step_2_form(twin)
first, second = post_together([(twin, form), (twin, form)])
check(
    "one form posted twice at once: both land on one request",
    sent_to(first) and sent_to(first) == sent_to(second),
    f"{first.status_code} {first.headers.get('Location')} / "
    f"{second.status_code} {second.headers.get('Location')}",
)


# 3. Two staff accept the same requests at the same instant.
def staff_session(login):
    session = requests.Session()
    session.post(
        f"{URL}/web/session/authenticate",
        json={"params": {"db": DB, "login": login, "password": login}},
        timeout=60,
    )
    return session


def call(session, model, method, args, kwargs=None):
    body = session.post(
        f"{URL}/web/dataset/call_kw/{model}/{method}",
        json={
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            }
        },
        timeout=120,
    ).json()
    if "error" in body:
        return None, body["error"]["data"]["message"]
    return body["result"], None


staff = [staff_session("race_staff1"), staff_session("race_staff2")]
pending, _error = call(
    staff[0],
    "sale.reorder.request",
    "search",
    [[("state", "=", "pending"), ("partner_id.name", "=like", "Decided Corp%")]],
    {"order": "id"},
)
check("6 requests to decide", len(pending or []) == 6, pending)
outcomes = []
barrier = threading.Barrier(2)


def accept_all(session):
    for request_id in pending:
        context = {"default_request_id": request_id}
        wizard, error = call(
            session,
            "sale.reorder.accept",
            "create",
            [{"document_type": "quotation", "send_email": False}],
            {"context": context},
        )
        barrier.wait()
        if wizard:
            result, error = call(
                session,
                "sale.reorder.accept",
                "action_accept",
                [[wizard]],
                {"context": context},
            )
            if (result or {}).get("tag") == "display_notification":
                error = result["params"]["message"]  # told: another user was first
        outcomes.append((request_id, error))


with ThreadPoolExecutor(2) as pool:
    list(pool.map(accept_all, staff))
accepted = [request_id for request_id, error in outcomes if not error]
told = [error for _request_id, error in outcomes if error]
check(
    "two staff accepting 6 requests at once: each accepted once",
    sorted(accepted) == sorted(pending),
    f"{len(accepted)} accepted",
)
check(
    "the other click is told why",
    len(told) == 6
    and all("deciding on this request" in e or "already accepted" in e for e in told),
    sorted(set(told)),
)
print(f"race: {8 - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
