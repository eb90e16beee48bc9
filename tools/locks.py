from odoo.tools import SQL

# The addon's advisory locks are transaction-level (released at the commit or the
# rollback, so that no failure can leave one on a pooled connection) and named after
# what they guard. Their key is PostgreSQL's pair of integers: the hash of the name
# (hashtext) and the id of the record it is taken for; a lock taken per record of a
# scope (a company, say) puts the scope's id in the name. One key style for every
# lock: two locks never share a key by accident, and pg_locks shows whose each is.
LOCK_PREFIX = "sale_reorder."


def advisory_lock_key(name, *ids):
    """The key pair of the advisory lock ``name`` of the records ``ids`` (the scope's
    ids first, the record's last), as SQL: ``hashtext('sale_reorder.<name>[:<scope
    ids>]'), <record id>``."""
    *scope, record_id = ids
    qualified = ":".join([LOCK_PREFIX + name, *(str(scope_id) for scope_id in scope)])
    return SQL("hashtext(%s), %s", qualified, record_id)


def advisory_xact_lock(cr, name, *ids):
    """Wait for the advisory lock ``name`` of ``ids`` and hold it until the end of
    the transaction (as long as the cursor's ``lock_timeout`` allows)."""
    cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", advisory_lock_key(name, *ids)))


def try_advisory_xact_lock(cr, name, *ids):
    """Take the advisory lock ``name`` of ``ids`` until the end of the transaction
    if no other transaction holds it, without waiting.

    :return: whether it was taken
    """
    cr.execute(
        SQL("SELECT pg_try_advisory_xact_lock(%s)", advisory_lock_key(name, *ids))
    )
    return cr.fetchone()[0]
