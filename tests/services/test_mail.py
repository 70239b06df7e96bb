"""E-mail to people through the outbox and SMTP, against a real local SMTP server (aiosmtpd on
loopback): a link, never personal data of a child."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.session import UnitOfWork
from app.domain.toegang import Rol
from app.services import notificaties
from app.services.notificaties import Bezorging, Smtp
from tests.builders import Swv
from tests.services.test_notificaties import _nu, dag_29, kind_met_verzuim


class Postbus:
    def __init__(self) -> None:
        self.berichten: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.berichten.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Smtp, Postbus]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        poort = s.getsockname()[1]
    postbus = Postbus()
    controller = Controller(postbus, hostname="127.0.0.1", port=poort)
    controller.start()
    try:
        yield Smtp(host="127.0.0.1", port=poort), postbus
    finally:
        controller.stop()


async def mailadres(
    connection: AsyncConnection, swv: Swv, rol: str, adres: str, *, gemeente: int | None = None
) -> None:
    """A user with a work address (synthetic)."""
    await connection.execute(text("SELECT set_config('app.swv_id', '*', true)"))
    gebruiker_id = uuid.uuid4()
    await connection.execute(
        text(
            "INSERT INTO gebruikers (id, swv_id, gebruikersnaam, wachtwoord_hash, totp_geheim, "
            "rol, vestiging_ids, gemeente_ids, actief) VALUES (:id, :swv, :naam, 'x', '\\x00', "
            ":rol, '{}', :gemeenten, true)"
        ),
        {
            "id": gebruiker_id,
            "swv": swv.id,
            "naam": f"test-{gebruiker_id.hex[:10]}",
            "rol": rol,
            "gemeenten": [swv.gemeenten[gemeente]] if gemeente is not None else [],
        },
    )
    await connection.execute(
        text("INSERT INTO mailadressen (gebruiker_id, swv_id, adres) VALUES (:g, :s, :a)"),
        {"g": gebruiker_id, "s": swv.id, "a": adres},
    )


async def test_new_thuiszitter_mails_leerplicht_of_the_gemeente_a_link_only(
    uow: UnitOfWork,
    swv_a: Swv,
    connection: AsyncConnection,
    smtp: tuple[Smtp, Postbus],
) -> None:
    """A new thuiszitter: leerplicht of the child's gemeente gets an e-mail with a link; the
    other gemeente's does not; no pseudonym or other personal data in the mail."""
    server, postbus = smtp
    await mailadres(connection, swv_a, "leerplichtambtenaar", "lpa-0@gemeente.test", gemeente=0)
    await mailadres(connection, swv_a, "leerplichtambtenaar", "lpa-1@gemeente.test", gemeente=1)
    leerling_id = await kind_met_verzuim(uow, swv_a)
    dag = await dag_29(connection, leerling_id)
    await notificaties.dagelijkse_overgangen(uow, dag, _nu(dag))
    verzonden = await notificaties.verstuur_mails(uow, _nu(dag), server, Bezorging())
    assert verzonden >= 1
    ontvangers = [a for aan, _ in postbus.berichten for a in aan]
    assert "lpa-0@gemeente.test" in ontvangers
    assert "lpa-1@gemeente.test" not in ontvangers
    pseudoniem = await connection.scalar(
        text("SELECT pseudoniem FROM leerlingen WHERE id = :id"), {"id": leerling_id}
    )
    for _, inhoud in postbus.berichten:
        bericht = message_from_bytes(inhoud)
        tekst = bericht.get_payload(decode=True)
        assert isinstance(tekst, bytes)
        assert f"/v1/leerlingen/{leerling_id}" in tekst.decode()
        assert str(pseudoniem) not in inhoud.decode()


async def test_monthly_reminder_in_the_second_week_once(
    uow: UnitOfWork,
    swv_a: Swv,
    connection: AsyncConnection,
    smtp: tuple[Smtp, Postbus],
) -> None:
    """The monthly reminder to every zorgcoördinator, in the second week, once a month."""
    server, postbus = smtp
    await mailadres(connection, swv_a, "schoolmedewerker", "zoco@school.test")
    bezorging = Bezorging()
    assert (
        await notificaties.maandelijkse_herinnering(
            uow, date(2026, 12, 7), _nu(date(2026, 12, 7)), bezorging
        )
        == 0
    )
    dag = date(2026, 12, 8)
    assert await notificaties.maandelijkse_herinnering(uow, dag, _nu(dag), bezorging) >= 1
    volgende = dag + timedelta(days=1)
    assert await notificaties.maandelijkse_herinnering(uow, volgende, _nu(volgende), bezorging) == 0
    await notificaties.verstuur_mails(uow, _nu(dag), server, bezorging)
    assert [aan for aan, _ in postbus.berichten].count(["zoco@school.test"]) == 1


async def test_smtp_off_leaves_mails_waiting(uow: UnitOfWork) -> None:
    assert await notificaties.verstuur_mails(uow, _nu(date(2026, 12, 8)), Smtp(), Bezorging()) == 0


async def test_a_new_melding_mails_the_regisseurs_a_link(
    uow: UnitOfWork,
    swv_a: Swv,
    connection: AsyncConnection,
    smtp: tuple[Smtp, Postbus],
) -> None:
    """`melding.ontvangen` (published by the meldingen workflow): the regisseurs get a link."""
    server, postbus = smtp
    await mailadres(connection, swv_a, "regisseur-thuiszitters", "regie@swv.test")
    melding_id = uuid.uuid4()
    nu = _nu(date(2026, 12, 8))
    async with uow.voor(swv_a.actor(Rol.REGISSEUR)):
        await notificaties.publiceer(uow, swv_a.id, "melding.ontvangen", melding_id, nu=nu)
        await uow.commit()
    await notificaties.verstuur_mails(uow, nu, server, Bezorging())
    berichten = [inhoud for aan, inhoud in postbus.berichten if aan == ["regie@swv.test"]]
    assert len(berichten) == 1
    tekst = message_from_bytes(berichten[0]).get_payload(decode=True)
    assert isinstance(tekst, bytes)
    assert f"/v1/meldingen/{melding_id}" in tekst.decode()
