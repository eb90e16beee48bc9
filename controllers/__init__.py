from . import portal
from . import portal_new_request
