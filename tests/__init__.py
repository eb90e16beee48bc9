from . import test_optional_apps
from . import test_performance
from . import test_portal
from . import test_product_reorder
from . import test_real_day
from . import test_related_order
from . import test_reorder_request
from . import test_tours
