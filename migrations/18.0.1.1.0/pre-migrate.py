"""18.0.1.1.0: Withdrawn is a state of its own; "Work Order" is "Manufacturing Order".

Run before the module's models are loaded, so that no value is lost when the ORM checks
the new selections.
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    # Requests the customer withdrew were stored Declined with this reason.
    cr.execute(
        """
        UPDATE sale_reorder_request
           SET state = 'withdrawn', decline_reason = NULL
         WHERE state = 'declined' AND decline_reason = 'Withdrawn by customer'
        """
    )
    _logger.info("sale_reorder: %s withdrawn request(s) carried over", cr.rowcount)
    cr.execute(
        """
        UPDATE res_company
           SET reorder_default_document = 'manufacturing_order'
         WHERE reorder_default_document = 'work_order'
        """
    )
