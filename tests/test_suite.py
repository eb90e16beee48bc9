"""The suite itself: pytest-odoo and Odoo's own runner run the same tests. Odoo's
loader (odoo.tests.loader) takes only the test methods a class defines itself, unless
it says ``allow_inherited_tests_method``; pytest takes the inherited ones too. A class
that gathers tests from mixins (to set its fixture up once) and forgets the flag would
have them run by pytest only: Odoo.sh would never run them."""

import importlib
import unittest

from odoo.tests import BaseCase, TransactionCase, tagged
from odoo.tests.loader import get_module_test_cases

from . import __name__ as TESTS_PACKAGE


@tagged("post_install", "-at_install")
class TestBothRunnersRunEveryTest(TransactionCase):
    def test_odoo_s_loader_takes_what_pytest_takes(self):
        package = importlib.import_module(TESTS_PACKAGE)
        modules = [
            module
            for name, module in vars(package).items()
            if name.startswith("test_") and hasattr(module, "__file__")
        ]
        self.assertIn(
            "test_suite", {module.__name__.rsplit(".", 1)[1] for module in modules}
        )
        names = unittest.TestLoader().getTestCaseNames
        for module in modules:
            # What pytest collects: every test method, inherited too, of each test
            # class the module defines.
            pytest_tests = {
                f"{cls.__name__}.{name}"
                for cls in vars(module).values()
                if isinstance(cls, type)
                and issubclass(cls, BaseCase)
                and cls.__module__ == module.__name__
                for name in names(cls)
            }
            odoo_tests = {
                f"{type(test).__name__}.{test._testMethodName}"
                for test in get_module_test_cases(module)
            }
            with self.subTest(module=module.__name__):
                self.assertEqual(odoo_tests, pytest_tests)
