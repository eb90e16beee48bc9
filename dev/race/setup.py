"""`make test-race`, step 1 (run by `odoo-bin shell`): the people who race.

- "Race Wholesale", a customer company with 12 portal contacts (race1..race12, password
  = login) and a posted invoice; 9 of its 10 requests allowed in 60 minutes are already
  used.
- "Twin Stores", one portal contact (twin, password twin) who posts one form twice.
- 6 pending requests of a third customer, and two staff users (race_staff1, race_staff2)
  who accept them all at the same instant.
"""

from odoo import Command

company = env.company  # noqa: F821 (odoo-bin shell's namespace)
company.write(
    {
        "reorder_request_enabled": True,
        "reorder_from_invoices": True,
        "reorder_rate_limit_count": 10,
        "reorder_rate_limit_minutes": 60,
    }
)
Users = env["res.users"].with_context(no_reset_password=True)  # noqa: F821
Partner = env["res.partner"]  # noqa: F821
Request = env["sale.reorder.request"].sudo()  # noqa: F821
portal = env.ref("base.group_portal")  # noqa: F821
salesman = env.ref("base.user_demo")  # noqa: F821
products = env["product.product"].search(  # noqa: F821
    [("available_for_reorder", "=", True), ("sale_ok", "=", True)], limit=2
)
assert len(products) == 2, "the demo data has products available for reorder"


def customer(name, logins):
    company_partner = Partner.create(
        {"name": name, "is_company": True, "user_id": salesman.id}
    )
    contacts = Partner
    for login in logins:
        contact = Partner.create(
            {
                "name": f"{name} {login}",
                "parent_id": company_partner.id,
                "email": f"{login}@example.com",
            }
        )
        Users.create(
            {
                "name": contact.name,
                "login": login,
                "password": login,
                "partner_id": contact.id,
                "groups_id": [Command.set(portal.ids)],
            }
        )
        contacts |= contact
    env["account.move"].create(  # noqa: F821
        {
            "move_type": "out_invoice",
            "partner_id": company_partner.id,
            "invoice_date": "2026-10-01",
            "invoice_line_ids": [
                Command.create({"product_id": product.id, "quantity": 5})
                for product in products
            ],
        }
    ).action_post()
    return contacts


racers = customer("Race Wholesale", [f"race{i}" for i in range(1, 13)])
for _i in range(9):
    Request._create_from_portal(
        racers[0], [{"product_id": products[0].id, "quantity": 1}], "used"
    )
customer("Twin Stores", ["twin"])
deciders = customer("Decided Corp", ["decided"])
for _i in range(6):
    Request._create_from_portal(
        deciders, [{"product_id": products[1].id, "quantity": 2}], "to decide"
    )
for index in (1, 2):
    Users.create(
        {
            "name": f"Race Staff {index}",
            "login": f"race_staff{index}",
            "password": f"race_staff{index}",
            "email": f"race_staff{index}@example.com",
            "groups_id": [Command.set([env.ref("sales_team.group_sale_manager").id])],  # noqa: F821
        }
    )
env.cr.commit()  # noqa: F821
print("race: 12 racers (9 requests used), a twin, 6 requests to decide, 2 staff")
