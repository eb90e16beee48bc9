"""`make load`, step 2: portal customers reorder while staff accept (locust, headless).

Customers: step 1, step 2 with two to four of their items, submit (one time in five
the same form twice at the same instant, as a double click does), the new request's
page, the list. Staff: the two staff users accept the same oldest pending requests of
the load customers as quotations, racing each other: each request is accepted once,
the other click is told so (counted apart, not as an error).
"""

import itertools
import json
import os
import random
import re
import uuid
from collections import Counter

import gevent
from locust import HttpUser, between, events, task

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
PRODUCT_RE = re.compile(r'name="product_ids" value="(\d+)"')
REQUEST_URL_RE = re.compile(r"/my/reorders/(\d+)")
customer_numbers = itertools.count(1)
STAFF_USERS = 2
# The requests the customers' submits landed on (a double post lands on one).
submitted_requests = set()


class PortalCustomer(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.login = f"load{next(customer_numbers)}"
        page = self.client.get("/web/login", name="login form")
        csrf = CSRF_RE.search(page.text).group(1)
        self.client.post(
            "/web/login",
            data={"login": self.login, "password": self.login, "csrf_token": csrf},
            name="login",
        )

    @task
    def reorder(self):
        with self.client.get(
            "/my/reorders/new", name="step 1", catch_response=True
        ) as step_1:
            products = sorted(set(PRODUCT_RE.findall(step_1.text)))
            if not products:
                step_1.failure("no item to reorder")
                return
        chosen = random.sample(products, k=min(len(products), random.randint(2, 4)))
        step_2 = self.client.post(
            "/my/reorders/new?step=2",
            data=[("product_ids", pid) for pid in chosen],
            name="step 2",
        )
        csrf = CSRF_RE.search(step_2.text)
        data = [("product_ids", pid) for pid in chosen]
        data += [(f"quantity_{pid}", str(random.randint(1, 20))) for pid in chosen]
        data += [
            ("comment", f"Load test from {self.login}"),
            ("submission_token", uuid.uuid4().hex),
            ("csrf_token", csrf.group(1) if csrf else ""),
        ]
        posts = [gevent.spawn(self.submit, data)]
        if random.random() < 0.2:  # a double click: the same form twice at once
            posts.append(gevent.spawn(self.submit, data, name="submit (again)"))
        gevent.joinall(posts)
        locations = {post.value for post in posts}
        if None in locations:
            return
        if len(locations) != 1:
            events.request.fire(
                request_type="CHECK",
                name="double post: one request",
                response_time=0,
                response_length=0,
                exception=AssertionError(f"two requests: {sorted(locations)}"),
            )
            return
        location = locations.pop()
        submitted_requests.add(REQUEST_URL_RE.search(location).group(1))
        # Where the browser lands: the new request's page, "sent" (a page that reads
        # from the primary database, which has the request even when a replica lags).
        self.client.get(location, name="request page")
        self.client.get("/my/reorders", name="list")

    def submit(self, data, name="submit"):
        """Post the form; the new request's URL, or None."""
        with self.client.post(
            "/my/reorders/submit",
            data=data,
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 303 or not REQUEST_URL_RE.search(location):
                response.failure(f"no new request ({response.status_code})")
                return None
            response.success()
            return location


class Staff(HttpUser):
    wait_time = between(1, 2)
    fixed_count = STAFF_USERS

    def on_start(self):
        self.client.post(
            "/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "params": {
                    "db": self.environment.parsed_options.odoo_db,
                    "login": "load_staff",
                    "password": "load_staff",
                },
            },
            name="staff login",
        )

    def call(self, model, method, args, kwargs=None, name=None):
        """The result of the RPC call, or None on an error. A notification (the
        other staff user decided the request first) is counted under its own
        name."""
        with self.client.post(
            f"/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            },
            name=name or f"{model}.{method}",
            catch_response=True,
        ) as response:
            body = response.json()
            if "error" in body:
                response.failure(body["error"]["data"]["message"][:200])
                return None
            result = body["result"]
            if isinstance(result, dict) and result.get("tag") == "display_notification":
                # Told, not failed: the other staff user decided the request first.
                name = response.request_meta["name"]
                response.request_meta["name"] = f"{name} (the other was first)"
            return result

    @task
    def accept_pending(self):
        pending = self.call(
            "sale.reorder.request",
            "search_read",
            [
                [
                    ("state", "=", "pending"),
                    ("partner_id.name", "=like", "Load Customer%"),
                ]
            ],
            {"fields": ["id"], "order": "id", "limit": 10},
            name="staff: pending requests",
        )
        # Both staff users take the same oldest request: they race for it.
        for row in pending or []:
            context = {"default_request_id": row["id"]}
            wizard = self.call(
                "sale.reorder.accept",
                "create",
                [{"document_type": "quotation", "send_email": False}],
                {"context": context},
                name="staff: accept wizard",
            )
            if wizard:
                self.call(
                    "sale.reorder.accept",
                    "action_accept",
                    [[wizard]],
                    {"context": context},
                    name="staff: accept",
                )
            return


@events.init_command_line_parser.add_listener
def _options(parser):
    parser.add_argument("--odoo-db", default="sale_reorder_load")


# The successes of each step, counted when each response ends (locust's CSV is written
# before the last users finish), for the database checks of dev/load/check.py.
successes = Counter()


@events.request.add_listener
def _count(name, exception, **_kwargs):
    if exception is None:
        successes[name] += 1


@events.quitting.add_listener
def _write_counts(**_kwargs):
    path = os.environ.get("LOAD_COUNTS")
    if path:
        with open(path, "w") as counts_file:
            json.dump(
                {**successes, "submitted requests": len(submitted_requests)},
                counts_file,
            )
