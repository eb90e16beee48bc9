"""Eight wrong PINs guessed at once over eight real connections (odoo-bin shell stdin):
exactly five are checked ("wrong"), the others refused ("locked"), and no advisory
lock is left on the pooled connections. The suite runs the PIN check in test mode,
where the side transaction is a savepoint: this is the real thing."""

import sys
import threading

from odoo import api

company = env.company  # noqa: F821 (odoo-bin shell)
company.related_order_pin_required = True
company._set_related_order_pin("2468")
env["sale.related.order.pin.failure"].search([]).unlink()  # noqa: F821
order = env["sale.order"].search([], limit=1)  # noqa: F821
user = env.ref("base.user_demo")  # noqa: F821
env.cr.commit()  # noqa: F821
verdicts = []


def guess():
    with env.registry.cursor() as cr:  # noqa: F821
        orders = api.Environment(cr, user.id, {})["sale.order"]
        verdicts.append(orders.browse(order.id)._verify_pin_outside_transaction("0")[0])


threads = [threading.Thread(target=guess) for _attempt in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
env.cr.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")  # noqa: F821
locks = env.cr.fetchone()[0]  # noqa: F821
ok = sorted(verdicts) == ["locked"] * 3 + ["wrong"] * 5 and not locks
status = "ok  " if ok else "FAIL"
print(f"{status} 8 parallel wrong PINs: {sorted(verdicts)}, {locks} lock(s) left")
print(f"pin race: {int(ok)} passed, {int(not ok)} failed")
sys.exit(0 if ok else 1)
