# The request, with its fields, in Odoo's section order; then what it does, a file
# for each part of its life (each _inherit = "sale.reorder.request").
from . import sale_reorder_request
from . import submission
from . import quick_entry
from . import decision
from . import documents
from . import follow_up
from . import sale_reorder_request_line
from . import sale_reorder_submission_lock
