from . import portal
from . import portal_new_request
from . import portal_lists
