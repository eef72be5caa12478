"""The e-mail channel against a real SMTP server (aiosmtpd): what arrives, and what each fault
means for the message (sent, try later, never, or perhaps)."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from email.headerregistry import Address
from pathlib import Path

import pytest

from statusmap.notify.channel_settings import ChannelConfigError
from statusmap.notify.channels.base import Outgoing
from statusmap.notify.channels.base import PermanentError
from statusmap.notify.channels.base import TransientError
from statusmap.notify.channels.base import UncertainError
from statusmap.notify.channels.smtp import SmtpChannel
from statusmap.notify.channels.smtp import from_config
from tests.fakes.smtp_server import HOST
from tests.fakes.smtp_server import Behaviour
from tests.fakes.smtp_server import free_port
from tests.fakes.smtp_server import smtp_server

UNSUBSCRIBE = "https://vann.kristiansand.kommune.no/kristiansand/varsel/av/tok3n-Abc"
BODY = (
    "Kokepåbud i Møllegata fra i dag kl. 14.00. Kok vannet før du drikker det.\n"
    "Les mer: https://vann.kristiansand.kommune.no/h/12\n"
    f"Vil du ikke ha flere varsler? {UNSUBSCRIBE}.\n"
)
SENDER = Address("Varsel", "varsel", "kristiansand.kommune.no")


def outgoing(
    recipient: str = "kari@example.no", key: str = "5b1c7a52-0000-4000-8000-000000000001"
) -> Outgoing:
    return Outgoing(
        message_id=1,
        channel="email",
        recipient=recipient,
        language="nb",
        subject="Kokepåbud i Møllegata – kok vannet",
        body=BODY,
        html="<p>Kokepåbud i <strong>Møllegata</strong>: kok vannet før bruk.</p>",
        idempotency_key=key,
        sender="Vann og avløp, Kristiansand kommune",
    )


OPENED: list[SmtpChannel] = []


@pytest.fixture(autouse=True)
def _close_channels() -> Iterator[None]:
    yield
    while OPENED:
        OPENED.pop().close()


def channel(port: int, **options: object) -> SmtpChannel:
    """A channel to the test server, closed after the test."""
    settings: dict[str, object] = {"security": "none", "sender": SENDER, "timeout_s": 2.0}
    made = SmtpChannel(host=HOST, port=port, **{**settings, **options})  # type: ignore[arg-type]
    OPENED.append(made)
    return made


def test_a_plain_server_receives_the_message_with_its_letters_and_headers() -> None:
    with smtp_server() as server:
        mail = channel(server.port)
        accepted = mail.send(outgoing())
        mail.close()
    [received] = server.received
    assert received.recipients == ["kari@example.no"]
    assert received.sender == "varsel@kristiansand.kommune.no"
    message = received.message
    assert message["Subject"] == "Kokepåbud i Møllegata – kok vannet"
    assert message["From"].addresses[0].display_name == "Vann og avløp, Kristiansand kommune"
    assert message["From"].addresses[0].addr_spec == "varsel@kristiansand.kommune.no"
    assert message["Message-ID"] == "<5b1c7a52-0000-4000-8000-000000000001@kristiansand.kommune.no>"
    assert accepted.provider_ref == "5b1c7a52-0000-4000-8000-000000000001@kristiansand.kommune.no"
    assert message["List-Unsubscribe"].strip() == f"<{UNSUBSCRIBE}>"  # perhaps folded
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content_charset() == "utf-8"
    assert plain.get_content().replace("\r\n", "\n") == BODY
    assert "<strong>Møllegata</strong>" in html.get_content()


def test_a_message_without_html_or_link_is_plain_text_without_unsubscribe_headers() -> None:
    plain = Outgoing(**{**outgoing().__dict__, "html": None, "body": "Bekreftelseskode: 123456"})
    with smtp_server() as server:
        channel(server.port).send(plain)
    message = server.received[0].message
    assert message.get_content_type() == "text/plain"
    assert message["List-Unsubscribe"] is None


def test_starttls_with_login(tmp_path: Path) -> None:
    users = {"varsel": "hemmelig-42"}
    with smtp_server(mode="starttls", users=users, tmp=tmp_path) as server:
        context = server.tls_client_context()
        secure = channel(
            server.port,
            security="starttls",
            username="varsel",
            password="hemmelig-42",
            tls_context=context,
        )
        secure.send(outgoing())
        secure.close()
        wrong = channel(
            server.port, security="starttls", username="varsel", password="x", tls_context=context
        )
        with pytest.raises(TransientError):  # our credentials: nothing went out
            wrong.send(outgoing())
    assert [r.login for r in server.received] == ["varsel"]


def test_implicit_tls(tmp_path: Path) -> None:
    with smtp_server(mode="tls", tmp=tmp_path) as server:
        channel(server.port, security="tls", tls_context=server.tls_client_context()).send(
            outgoing()
        )
    assert len(server.received) == 1


# asyncio's TLS server leaves the socket of a refused handshake for the garbage collector:
# collected here, so its warning is not blamed on a later test.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_untrusted_certificate_is_no_connection(tmp_path: Path) -> None:
    with smtp_server(mode="tls", tmp=tmp_path) as server:
        with pytest.raises(TransientError, match="could not connect"):
            channel(server.port, security="tls").send(outgoing())
        time.sleep(0.1)
    gc.collect()
    assert server.received == []


def test_one_connection_serves_many_messages_and_survives_a_refused_recipient() -> None:
    behaviour = Behaviour(refuse={"ukjent@example.no"})
    with smtp_server(behaviour=behaviour) as server:
        mail = channel(server.port)
        mail.send(outgoing("a@example.no", key="k1"))
        with pytest.raises(PermanentError) as refused:
            mail.send(outgoing("ukjent@example.no", key="k2"))
        mail.send(outgoing("b@example.no", key="k3"))
        mail.close()
    assert [r.recipients for r in server.received] == [["a@example.no"], ["b@example.no"]]
    assert server.handler.connections == 1
    assert "550 5.1.1" in str(refused.value) and "ukjent" not in str(refused.value)


def test_try_later_answers_are_transient() -> None:
    with (
        smtp_server(behaviour=Behaviour(defer={"full@example.no"})) as server,
        pytest.raises(TransientError, match="451 4.3.0"),
    ):
        channel(server.port).send(outgoing("full@example.no"))
    assert server.received == []


def test_a_refused_connection_is_transient() -> None:
    with pytest.raises(TransientError, match="could not connect"):
        channel(free_port()).send(outgoing())


def test_a_drop_after_data_is_uncertain_because_the_server_has_the_message() -> None:
    with (
        smtp_server(behaviour=Behaviour(drop_after_data=True)) as server,
        pytest.raises(UncertainError),
    ):
        channel(server.port).send(outgoing())
    assert len(server.received) == 1


def test_a_timeout_after_data_is_uncertain() -> None:
    with (
        smtp_server(behaviour=Behaviour(hang_after_data_s=2.0)) as server,
        pytest.raises(UncertainError),
    ):
        channel(server.port, timeout_s=0.5).send(outgoing())
    assert len(server.received) == 1


def test_a_connection_the_server_closed_while_idle_is_opened_again() -> None:
    with smtp_server(behaviour=Behaviour(hang_up_after_reply=True)) as server:
        mail = channel(server.port)
        mail.send(outgoing("a@example.no", key="k1"))
        time.sleep(0.3)  # the server hangs up the idle connection
        mail.send(outgoing("b@example.no", key="k2"))
    assert [r.recipients for r in server.received] == [["a@example.no"], ["b@example.no"]]
    assert server.handler.connections == 2


def test_from_config_reads_the_settings() -> None:
    config = {
        "SMTP_HOST": "smtp.example.no",
        "SMTP_SECURITY": "tls",
        "SMTP_PORT": 0,
        "SMTP_USERNAME": "varsel",
        "SMTP_PASSWORD": 1234,  # the environment decodes digits as a number
        "MAIL_FROM": "Vann og avløp <varsel@kommune.no>",
    }
    mail = from_config(config)
    assert (mail.host, mail.port, mail.security, mail.password) == (
        "smtp.example.no",
        465,
        "tls",
        "1234",
    )
    assert mail.sender.addr_spec == "varsel@kommune.no"
    with pytest.raises(ChannelConfigError, match="STATUSMAP_MAIL_FROM"):
        from_config({**config, "MAIL_FROM": ""})


def test_threads_share_the_channel_each_on_its_own_connection() -> None:
    with smtp_server() as server:
        mail = channel(server.port)

        def send_five(thread: int) -> None:
            for n in range(5):
                mail.send(outgoing(f"t{thread}-{n}@example.no", key=f"key-{thread}-{n}"))

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(send_five, range(4)))
        mail.close()
    assert sorted(r.recipients[0] for r in server.received) == sorted(
        f"t{t}-{n}@example.no" for t in range(4) for n in range(5)
    )
    assert server.handler.connections <= 4


def test_a_message_that_cannot_be_an_email_fails_for_good() -> None:
    with smtp_server() as server, pytest.raises(PermanentError):
        channel(server.port).send(outgoing("kari@example.no\r\nBcc: alle@example.no"))
    assert server.received == []
