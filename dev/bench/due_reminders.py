"""`make bench`, step 7 (odoo-bin shell): the daily reminder job over every customer of
due_setup.py, as the scheduler runs it: batch after batch, each committed, until none
is left. Prints the contacts reminded, the emails queued and the time."""

import time

env = env  # noqa: F821, PLW0127 (odoo-bin shell's namespace)
cr = env.cr
env.company.write({"reorder_reminder_enabled": True, "reorder_due_enabled": True})
cr.commit()
Reminder = env["sale.reorder.reminder"]
before = env["mail.mail"].search_count([])
start = time.perf_counter()
batches = reminded = 0
while True:
    done, remaining = Reminder._cron_send_reminders()
    cr.commit()
    batches += 1
    reminded += done
    if not remaining or not done:
        break
elapsed = time.perf_counter() - start
queued = env["mail.mail"].search_count([]) - before
print(
    f"Reminder job: {reminded:,} contacts in {batches} batches, {queued:,} emails "
    f"queued, {elapsed:.0f} s ({elapsed / max(reminded, 1) * 1000:.1f} ms per contact)"
)
done, remaining = Reminder._cron_send_reminders()
print(f"Run again the same day: {done} reminded, {remaining} left")
