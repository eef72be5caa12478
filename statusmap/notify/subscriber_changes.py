"""A subscriber changes their own subscription from their manage link: addresses, channels and
language. The link's token proves who they are (as for unsubscribing), so no new code is asked;
the contacts themselves are not changed here (a new number or e-mail needs a new sign-up)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from statusmap.models import Subscriber
from statusmap.models import Subscription
from statusmap.notify.subscriber_merge import add_addresses
from statusmap.notify.subscriptions import SignupInput
from statusmap.notify.subscriptions import check_addresses
from statusmap.notify.subscriptions import check_choices


def change_subscription(
    session: Session,
    subscriber: Subscriber,
    *,
    address_ids: list[int],
    channels: frozenset[str],
    language: str,
) -> None:
    """Keep exactly these addresses, channels and language; SignupRefused if they cannot be."""
    wanted = SignupInput(channels=channels, language=language, consent=True)
    check_choices(wanted, subscriber.phone, subscriber.email)
    keep = check_addresses(session, subscriber.municipality_id, tuple(address_ids))
    session.execute(
        delete(Subscription)
        .where(Subscription.subscriber_id == subscriber.id, Subscription.address_id.not_in(keep))
        .execution_options(synchronize_session=False)
    )
    session.expire(subscriber, ["subscriptions"])
    add_addresses(session, subscriber, keep)
    subscriber.wants_sms = "sms" in channels
    subscriber.wants_voice = "voice" in channels
    subscriber.wants_email = "email" in channels
    subscriber.language = language
    session.flush()
