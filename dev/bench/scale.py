"""`make bench`, step 2 (odoo-bin shell): grow the history to BENCH_LINES invoice lines.

The posted invoices of the history made by setup.py (2,000 lines at ×0.1) are cloned
in SQL, a copy of all of them at a time, each clone a valid accounting entry: the same
balanced lines, posted, numbered BENCH/<id> in its journal, dated back a week per copy.
"""

import os
import time

env = env  # noqa: F821, PLW0127 (odoo-bin shell's namespace)
cr = env.cr
target = int(os.environ["BENCH_LINES"])
buyer = (
    env["res.partner"].search([("name", "=", "Bench Wholesale")]).commercial_partner_id
)
cr.execute(
    """SELECT m.id FROM account_move m
        WHERE m.commercial_partner_id = %s AND m.move_type = 'out_invoice'
          AND m.state = 'posted' AND m.name NOT LIKE 'BENCH/%%'""",
    [buyer.id],
)
base = [row[0] for row in cr.fetchall()]
cr.execute(
    """SELECT count(*), count(*) FILTER (WHERE m.id = ANY(%s))
         FROM account_move_line l JOIN account_move m ON m.id = l.move_id
        WHERE m.commercial_partner_id = %s AND m.move_type = 'out_invoice'
          AND l.display_type = 'product'""",
    [base, buyer.id],
)
current, per_copy = cr.fetchone()
copies = max(0, round((target - current) / per_copy))
cr.execute("SELECT count(*) FROM account_move WHERE name LIKE 'BENCH/%%'")
done = cr.fetchone()[0] // len(base)


def columns(table):
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position""",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def select_list(table_columns, overrides, alias):
    return ", ".join(overrides.get(c, f'{alias}."{c}"') for c in table_columns)


if copies:
    cr.execute(
        """CREATE TEMP TABLE bench_map AS
           SELECT m.id AS old_id, g.copy, nextval('account_move_id_seq') AS new_id
             FROM account_move m, generate_series(%s, %s) AS g(copy)
            WHERE m.id = ANY(%s)""",
        [done + 1, done + copies, base],
    )
    move_columns = columns("account_move")
    moved = {
        "name": "'BENCH/' || mm.new_id",
        "sequence_prefix": "'BENCH/'",
        "sequence_number": "mm.new_id",
        "invoice_date": "m.invoice_date - mm.copy * 7",
        "date": "m.date - mm.copy * 7",
        "access_token": "NULL",
    }
    cr.execute(
        f"""INSERT INTO account_move (id, {", ".join(f'"{c}"' for c in move_columns)})
            SELECT mm.new_id, {select_list(move_columns, moved, "m")}
              FROM account_move m JOIN bench_map mm ON mm.old_id = m.id"""
    )
    line_columns = columns("account_move_line")
    lines = {
        "move_id": "mm.new_id",
        "move_name": "'BENCH/' || mm.new_id",
        "date": "l.date - mm.copy * 7",
        "invoice_date": "l.invoice_date - mm.copy * 7",
        "full_reconcile_id": "NULL",
        "matching_number": "NULL",
    }
    cr.execute(
        f"""INSERT INTO account_move_line ({", ".join(f'"{c}"' for c in line_columns)})
            SELECT {select_list(line_columns, lines, "l")}
              FROM account_move_line l JOIN bench_map mm ON mm.old_id = l.move_id"""
    )
    cr.execute("DROP TABLE bench_map")
    cr.execute(
        """SELECT count(*) FROM account_move m
            WHERE m.name LIKE 'BENCH/%%' AND m.state = 'posted' AND abs((
                SELECT sum(balance) FROM account_move_line WHERE move_id = m.id
            )) > 0.001"""
    )
    assert cr.fetchone()[0] == 0, "every clone is balanced"
    cr.commit()
cr.execute("ANALYZE account_move")
cr.execute("ANALYZE account_move_line")
cr.commit()
print(f"History of Bench Wholesale: {current + copies * per_copy:,} invoice lines")
# Cloned in SQL, as an import would: the rhythms are rebuilt as the command does.
start = time.perf_counter()
env["sale.reorder.rhythm"]._rebuild()
cr.execute("ANALYZE sale_reorder_rhythm")
cr.commit()
print(
    f"Rhythms rebuilt in {time.perf_counter() - start:.1f} s: "
    f"{env['sale.reorder.rhythm'].search_count([('partner_id', '=', buyer.id)])} "
    "for Bench Wholesale"
)
