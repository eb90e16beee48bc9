"""`make bench`, step 7 (odoo-bin shell): the two daily jobs over every customer of
due_setup.py, as the scheduler runs them: batch after batch, each committed, until none
is left. First the pricing of the expected amounts (every rhythm, as on the day after
they were last priced), then the reminders. Prints the rhythms priced, the contacts
reminded, the emails queued and the times."""

import time

env = env  # noqa: F821, PLW0127 (odoo-bin shell's namespace)
cr = env.cr


def run_as_the_scheduler(job):
    """Call ``job`` (one batch, returning (done, remaining)) and commit, again and
    again until nothing is left: (records done, batches, seconds)."""
    start = time.perf_counter()
    batches = total = 0
    while True:
        done, remaining = job()
        cr.commit()
        batches += 1
        total += done
        if not remaining or not done:
            return total, batches, time.perf_counter() - start


cr.execute("UPDATE sale_reorder_rhythm SET priced_date = priced_date - 1")
cr.commit()
priced, batches, elapsed = run_as_the_scheduler(
    env["sale.reorder.rhythm"]._cron_price_expected_amounts
)
print(f"Pricing job: {priced:,} rhythms in {batches} batches, {elapsed:.1f} s")
env.company.write({"reorder_reminder_enabled": True, "reorder_due_enabled": True})
cr.commit()
Reminder = env["sale.reorder.reminder"]
before = env["mail.mail"].search_count([])
reminded, batches, elapsed = run_as_the_scheduler(Reminder._cron_send_reminders)
queued = env["mail.mail"].search_count([]) - before
assert reminded and queued, "due_setup.py made customers who are due: none was reminded"
print(
    f"Reminder job: {reminded:,} contacts in {batches} batches, {queued:,} emails "
    f"queued, {elapsed:.0f} s ({elapsed / max(reminded, 1) * 1000:.1f} ms per contact)"
)
done, remaining = Reminder._cron_send_reminders()
print(f"Run again the same day: {done} reminded, {remaining} left")
