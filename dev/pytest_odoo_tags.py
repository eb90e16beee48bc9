"""pytest plugin for `make test`: select tests by their Odoo tags.

``--odoo-test-tags`` takes the specification of Odoo's own ``--test-tags`` (read by
Odoo's own ``TagsSelector``), so that pytest-odoo and Odoo's runner select the same
tests on the same kind of database: for instance ``-sale_reorder_optional_apps`` on
a database without stock and mrp.
"""


def pytest_addoption(parser):
    parser.addoption(
        "--odoo-test-tags",
        default="",
        help="run only the tests Odoo's --test-tags SPEC selects",
    )


def pytest_collection_modifyitems(config, items):
    spec = config.getoption("--odoo-test-tags")
    if not spec:
        return
    # Imported once pytest-odoo put Odoo in test mode (odoo.tests complains otherwise).
    from odoo.tests.tag_selector import TagsSelector

    selector = TagsSelector(spec)
    selected, deselected = [], []
    for item in items:
        cls = getattr(item, "cls", None)
        test = cls(item.name) if cls else None
        (selected if test and selector.check(test) else deselected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
