"""`make bench`, step 5 (odoo-bin shell): the staff side at scale.

BENCH_CUSTOMERS (10,000) customer companies, each with a contact who has a portal
login and an email, and 100 invoice lines (10 posted invoices of 10 products available
for reorder, about monthly): 1,000,000 invoice lines. One customer is made through the
ORM; the others are its clones in SQL (partners, users, invoices: each clone balanced,
posted, numbered BENCH/<id>), their dates moved by -22 to +6 days so that most are due,
a sixth overdue and a few not yet. Then the rhythms are rebuilt, as the
sale-reorder-rhythms command does after an import, and the time it took is printed.
"""

import os
import time
from datetime import date, timedelta

from odoo import Command

env = env  # noqa: F821, PLW0127 (odoo-bin shell's namespace)
cr = env.cr
customers = int(os.environ.get("BENCH_CUSTOMERS", "10000"))
company = env.company
products = env["product.product"].search(
    [("default_code", "like", "BENCH-%"), ("available_for_reorder", "=", True)],
    order="id",
    limit=10,
)
assert len(products) == 10, "setup.py made the bench products"
template = env["res.partner"].create(
    {
        "name": "Due Customer 0",
        "is_company": True,
        "user_id": env.ref("base.user_demo").id,
    }
)
contact = env["res.partner"].create(
    {"name": "Due Buyer 0", "parent_id": template.id, "email": "due0@example.com"}
)
user = (
    env["res.users"]
    .with_context(no_reset_password=True)
    .create(
        {
            "name": contact.name,
            "login": "due0",
            "partner_id": contact.id,
            "groups_id": [Command.set(env.ref("base.group_portal").ids)],
        }
    )
)
today = date.today()
moves = env["account.move"].create(
    [
        {
            "move_type": "out_invoice",
            "partner_id": template.id,
            "invoice_date": today - timedelta(days=30 * k + 28),
            "invoice_line_ids": [
                Command.create(
                    {"product_id": product.id, "quantity": 5 + k % 3, "price_unit": 4.0}
                )
                for product in products
            ],
        }
        for k in range(10)
    ]
)
moves.action_post()
cr.commit()


def columns(table):
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position""",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def clone(table, alias, source, overrides, into_columns=None):
    table_columns = into_columns or columns(table)
    names = ", ".join(f'"{c}"' for c in table_columns)
    values = ", ".join(overrides.get(c, f'{alias}."{c}"') for c in table_columns)
    cr.execute(f"INSERT INTO {table} ({names}) SELECT {values} FROM {source}")


start = time.perf_counter()
cr.execute(
    """CREATE TEMP TABLE due_map AS
       SELECT n, nextval('res_partner_id_seq') AS company_id,
              nextval('res_partner_id_seq') AS contact_id,
              nextval('res_users_id_seq') AS user_id,
              (n %% 29) - 22 AS shift
         FROM generate_series(1, %s) AS g(n)""",
    [customers - 1],
)
partner_columns = columns("res_partner")
clone(
    "res_partner",
    "p",
    f"res_partner p, due_map d WHERE p.id = {template.id}",
    {
        "id": "d.company_id",
        "name": "'Due Customer ' || d.n",
        "complete_name": "'Due Customer ' || d.n",
        "commercial_partner_id": "d.company_id",
    },
    ["id", *partner_columns],
)
clone(
    "res_partner",
    "p",
    f"res_partner p, due_map d WHERE p.id = {contact.id}",
    {
        "id": "d.contact_id",
        "name": "'Due Buyer ' || d.n",
        "complete_name": "'Due Customer ' || d.n || ', Due Buyer ' || d.n",
        "email": "'due' || d.n || '@example.com'",
        "parent_id": "d.company_id",
        "commercial_partner_id": "d.company_id",
    },
    ["id", *partner_columns],
)
clone(
    "res_users",
    "u",
    f"res_users u, due_map d WHERE u.id = {user.id}",
    {"id": "d.user_id", "login": "'due' || d.n", "partner_id": "d.contact_id"},
    ["id", *columns("res_users")],
)
cr.execute(
    f"""INSERT INTO res_groups_users_rel (gid, uid)
        SELECT r.gid, d.user_id FROM res_groups_users_rel r, due_map d
         WHERE r.uid = {user.id}"""
)
cr.execute(
    f"""INSERT INTO res_company_users_rel (cid, user_id)
        SELECT r.cid, d.user_id FROM res_company_users_rel r, due_map d
         WHERE r.user_id = {user.id}"""
)
cr.execute(
    """CREATE TEMP TABLE due_move_map AS
       SELECT m.id AS old_id, d.company_id, d.shift,
              nextval('account_move_id_seq') AS new_id
         FROM account_move m, due_map d WHERE m.id = ANY(%s)""",
    [moves.ids],
)
clone(
    "account_move",
    "m",
    "account_move m JOIN due_move_map mm ON mm.old_id = m.id",
    {
        "id": "mm.new_id",
        "name": "'BENCH/' || mm.new_id",
        "sequence_prefix": "'BENCH/'",
        "sequence_number": "mm.new_id",
        "partner_id": "mm.company_id",
        "commercial_partner_id": "mm.company_id",
        "partner_shipping_id": "mm.company_id",
        "invoice_date": "m.invoice_date + mm.shift",
        "date": "m.date + mm.shift",
        "invoice_date_due": "m.invoice_date_due + mm.shift",
        "access_token": "NULL",
    },
    ["id", *columns("account_move")],
)
clone(
    "account_move_line",
    "l",
    "account_move_line l JOIN due_move_map mm ON mm.old_id = l.move_id",
    {
        "move_id": "mm.new_id",
        "move_name": "'BENCH/' || mm.new_id",
        "partner_id": "mm.company_id",
        "date": "l.date + mm.shift",
        "invoice_date": "l.invoice_date + mm.shift",
        "date_maturity": "l.date_maturity + mm.shift",
        "full_reconcile_id": "NULL",
        "matching_number": "NULL",
    },
)
cr.execute(
    """SELECT count(*) FROM account_move m
        WHERE m.name LIKE 'BENCH/%%'
          AND m.partner_id IN (SELECT company_id FROM due_map)
          AND abs((SELECT sum(balance) FROM account_move_line WHERE move_id = m.id))
              > 0.001"""
)
assert cr.fetchone()[0] == 0, "every clone is balanced"
cr.execute("DROP TABLE due_move_map")
cr.execute("DROP TABLE due_map")
for table in ("res_partner", "res_users", "account_move", "account_move_line"):
    cr.execute(f"ANALYZE {table}")
cr.commit()
cr.execute(
    """SELECT count(*) FROM account_move_line l
         JOIN res_partner p ON p.id = l.partner_id
        WHERE p.name LIKE 'Due Customer %%' AND l.display_type = 'product'"""
)
lines = cr.fetchone()[0]
print(
    f"{customers:,} customers with a portal contact, {lines:,} invoice lines, "
    f"cloned in {time.perf_counter() - start:.0f} s"
)
start = time.perf_counter()
env["sale.reorder.rhythm"]._rebuild()
cr.execute("ANALYZE sale_reorder_rhythm")
cr.commit()
print(
    f"Rhythms rebuilt (sale-reorder-rhythms) in {time.perf_counter() - start:.1f} s: "
    f"{env['sale.reorder.rhythm'].search_count([]):,} rhythms"
)
rows = env["sale.reorder.due.report"]._read_group([], ["status"], ["__count"])
print("Due report rows by status:", dict(sorted(rows)))
