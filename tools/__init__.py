from .contention import retried_on_contention
from .mail_queue import trigger_mail_queue
from .text import FORBIDDEN_CHARACTERS_RE
from .locks import advisory_xact_lock, try_advisory_xact_lock
