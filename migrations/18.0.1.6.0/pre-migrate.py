"""18.0.1.6.0: staff decide each item of a request (Accept, Decline with a reason,
Replace). The items of requests decided before this release get the decision their
request had: accepted for an accepted (or pending) request, declined for a declined or
withdrawn one (with no reason of their own: the request's says why). The column is
filled here, before the module loads, so that the request's item counts and the
items' acceptance rate are computed from it."""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "ALTER TABLE sale_reorder_request_line "
        "ADD COLUMN IF NOT EXISTS decision varchar"
    )
    cr.execute(
        """
        UPDATE sale_reorder_request_line line
           SET decision = CASE WHEN request.state IN ('declined', 'withdrawn')
                               THEN 'decline' ELSE 'accept' END
          FROM sale_reorder_request request
         WHERE request.id = line.request_id
           AND line.decision IS NULL
        """
    )
    _logger.info("sale_reorder: %s requested item(s) given their decision", cr.rowcount)
