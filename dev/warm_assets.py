"""Generate the asset bundles the tests use, once, in a cached database.

Run with `odoo-bin shell`: a test run then starts its browser tours with the bundles
already built, instead of building them again in every test's transaction.
"""

BUNDLES = [
    "web.assets_web",
    "web.assets_frontend",
    "web.assets_frontend_minimal",
    "web.assets_frontend_lazy",
    "web.assets_tests",
    "web.__assets_tests_call__",
]

for bundle_name in BUNDLES:
    bundle = env["ir.qweb"]._get_asset_bundle(bundle_name)  # noqa: F821
    bundle.js()
    bundle.css()
env.cr.commit()  # noqa: F821
