from . import product_template
from . import res_company
from . import res_config_settings
from . import sale_reorder_request
from . import sale_reorder_request_line
from . import crm_lead
from . import sale_order
from . import account_move
