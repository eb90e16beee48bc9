from . import submission
from . import decision
from . import documents
from . import follow_up
from . import sale_reorder_request
from . import sale_reorder_request_line
from . import sale_reorder_submission_lock
