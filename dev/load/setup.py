"""`make load`, step 1 (run by `odoo-bin shell`): the customers and the staff user.

LOAD_CUSTOMERS portal customers ("Load Customer 1".., logins load1.., password =
login), each with a posted invoice of four products available for reorder, and a
sales manager with invoicing rights (load_staff) who accepts their requests. The
company's rate limit is lifted: the load submits faster than a real customer.
"""

import os

from odoo import Command

count = int(os.environ.get("LOAD_CUSTOMERS", "20"))
company = env.company  # noqa: F821 (odoo-bin shell's namespace)
company.write(
    {
        "reorder_request_enabled": True,
        "reorder_from_invoices": True,
        "reorder_rate_limit_count": 0,
    }
)
products = env["product.product"].search(  # noqa: F821
    [("available_for_reorder", "=", True), ("sale_ok", "=", True)], limit=4
)
assert len(products) == 4, "the demo data has products available for reorder"
portal = env.ref("base.group_portal")  # noqa: F821
salesman = env.ref("base.user_demo")  # noqa: F821
for index in range(1, count + 1):
    partner = env["res.partner"].create(  # noqa: F821
        {
            "name": f"Load Customer {index}",
            "email": f"load{index}@example.com",
            "user_id": salesman.id,
        }
    )
    env["res.users"].with_context(no_reset_password=True).create(  # noqa: F821
        {
            "name": partner.name,
            "login": f"load{index}",
            "password": f"load{index}",
            "partner_id": partner.id,
            "groups_id": [Command.set(portal.ids)],
        }
    )
    invoice = env["account.move"].create(  # noqa: F821
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": "2026-10-01",
            "invoice_line_ids": [
                Command.create({"product_id": product.id, "quantity": 5})
                for product in products
            ],
        }
    )
    invoice.action_post()
env["res.users"].with_context(no_reset_password=True).create(  # noqa: F821
    {
        "name": "Load Staff",
        "login": "load_staff",
        "password": "load_staff",
        "email": "load_staff@example.com",
        "groups_id": [
            Command.set(
                [
                    env.ref("sales_team.group_sale_manager").id,  # noqa: F821
                    env.ref("account.group_account_invoice").id,  # noqa: F821
                ]
            )
        ],
    }
)
env.cr.commit()  # noqa: F821
print(f"{count} load customers and load_staff ready")
