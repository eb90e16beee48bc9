def trigger_mail_queue(env):
    """Have the mail queue's scheduled action run as soon as a cron worker is free
    (ir.cron._trigger, kept in the database for any worker), rather than at its next
    hourly run: the emails the addon queues instead of sending them inside the
    customer's or the salesperson's request go out within moments."""
    cron = env.ref("mail.ir_cron_mail_scheduler_action", raise_if_not_found=False)
    if cron:
        cron.sudo()._trigger()
