"""Notifications (servicevarsling): subscriptions, the outbox, its worker and the channels.

- subscriptions: residents' addresses, phone and e-mail, double opt-in, unsubscribe, import.
- events / expand / compose: which incident changes are announced, to whom, with what text.
- outbox / worker: claiming messages safely with several workers, retries, exactly-once.
- channels/: e-mail (SMTP), SMS and voice gateways, signed webhook, log; one interface (base).

No Flask here: views and the CLI call these functions and commit.
"""
