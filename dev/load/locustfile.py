"""`make load`, step 2: portal customers reorder while staff accept (locust, headless).

Customers: step 1, step 2 with two to four of their items, submit, the new request's
page, the list. Staff: the oldest pending requests of the load customers, accepted
as quotations (each staff user takes the requests whose id has its parity, so two
never race for one).
"""

import itertools
import json
import os
import random
import re
import uuid
from collections import Counter

from locust import HttpUser, between, events, task

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
PRODUCT_RE = re.compile(r'name="product_ids" value="(\d+)"')
REQUEST_URL_RE = re.compile(r"/my/reorders/(\d+)")
customer_numbers = itertools.count(1)
staff_numbers = itertools.count(0)
STAFF_USERS = 2


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
        with self.client.post(
            "/my/reorders/submit",
            data=data,
            name="submit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            found = REQUEST_URL_RE.search(location)
            if response.status_code != 303 or not found:
                response.failure(f"no new request ({response.status_code})")
                return
            response.success()
        # Where the browser lands: the new request's page, "sent" (a page that reads
        # from the primary database, which has the request even when a replica lags).
        self.client.get(location, name="request page")
        self.client.get("/my/reorders", name="list")


class Staff(HttpUser):
    wait_time = between(1, 2)
    fixed_count = STAFF_USERS

    def on_start(self):
        self.parity = next(staff_numbers) % STAFF_USERS
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
            return body["result"]

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
        for row in pending or []:
            if row["id"] % STAFF_USERS != self.parity:
                continue
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
            json.dump(successes, counts_file)
