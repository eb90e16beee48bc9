from . import sale_reorder_accept
from . import sale_reorder_decline
