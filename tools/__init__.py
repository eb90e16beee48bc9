from .contention import retried_on_contention
from .locks import advisory_xact_lock, try_advisory_xact_lock
from .mail_queue import trigger_mail_queue
from .mail_template import fingerprint, reset_unedited_templates
from .quantity import format_form_quantity, format_number, format_quantity
from .text import FORBIDDEN_CHARACTERS_RE
