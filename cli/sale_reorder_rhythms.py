import logging
import optparse
import sys
from pathlib import Path

import odoo
from odoo.cli import Command

_logger = logging.getLogger(__name__)


class SaleReorderRhythms(Command):
    """Rebuild the customers' buying rhythms of sale_reorder from the documents"""

    name = "sale-reorder-rhythms"

    def run(self, args):
        parser = odoo.tools.config.parser
        parser.prog = f"{Path(sys.argv[0]).name} {self.name}"
        group = optparse.OptionGroup(
            parser,
            "Buying rhythms",
            "Compute every buying rhythm of the database given by -d again.",
        )
        group.add_option(
            "--company",
            dest="rhythm_company_ids",
            default="",
            help="Comma-separated company ids (default: every company)",
        )
        parser.add_option_group(group)
        opt = odoo.tools.config.parse_config(args, setup_logging=True)
        dbname = odoo.tools.config["db_name"]
        if not dbname:
            _logger.error("The %s command needs a database: use -d", self.name)
            sys.exit(1)
        company_ids = [int(i) for i in opt.rhythm_company_ids.split(",") if i.strip()]
        registry = odoo.modules.registry.Registry(dbname)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            if "sale.reorder.rhythm" not in env:
                _logger.error("sale_reorder is not installed in %s", dbname)
                sys.exit(1)
            companies = env["res.company"].browse(company_ids).exists()
            if company_ids and len(companies) != len(company_ids):
                _logger.error("No company with id(s) %s", opt.rhythm_company_ids)
                sys.exit(1)
            env["sale.reorder.rhythm"]._rebuild(companies or None)
