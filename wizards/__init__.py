from . import base_partner_merge_automatic_wizard
from . import sale_reorder_accept
from . import sale_reorder_decline
from . import sale_related_order_create
from . import sale_reorder_related_order
