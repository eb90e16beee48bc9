from contextlib import contextmanager

from odoo.tools import mute_logger


@contextmanager
def retried_on_contention(env):
    """A block whose expected contention Odoo retries, without an ERROR line.

    Odoo's transactions are REPEATABLE READ: a row that a colleague's transaction
    changed and committed since this one began cannot be written or referenced here
    any more (PostgreSQL: "could not serialize access due to concurrent update"), and
    Odoo's service layer retries the whole HTTP or RPC call with a new snapshot,
    logging it at INFO. Odoo's cursor would first log the failed statement as an
    ERROR ("bad query"), which operators are paged for: that line is left out for the
    block, whose writes are flushed inside it. Every error is still raised as before.
    """
    with mute_logger("odoo.sql_db"):
        yield
        env.flush_all()
