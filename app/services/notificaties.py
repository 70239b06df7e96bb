"""Events for systems and people: publish into the outbox (in the caller's transaction), the
change feed, webhook subscriptions, and the worker's fan-out, delivery and e-mail.

Other features announce a change with ONE call, inside their own unit of work:
`await publiceer(uow, swv_id, soort, onderwerp_id, leerling_id=..., data=..., nu=...)`.
"""

from __future__ import annotations

import asyncio
import base64
import secrets
import smtplib
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import httpx

from app.db.notificaties import (
    Abonnement,
    Mailsjabloon,
    NieuweNotificatie,
    Notificatie,
    TeBezorgen,
)
from app.db.session import UnitOfWork
from app.domain import notificaties as regels
from app.domain.notificaties import Soort
from app.domain.taken import Overgang, PeriodeKort, overgangen
from app.domain.toegang import REIKWIJDTE, Actor, Reikwijdte, Rol
from app.services.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from app.services.toegang.versleuteling import Versleuteling

NIET_GEVONDEN = "Dit abonnement bestaat niet."
_GEHEIM_CONTEXT = "abonnement-geheim"
_SWV_ROLLEN = [str(r) for r, w in REIKWIJDTE.items() if w is Reikwijdte.SWV]


PUBLIEKE_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True, slots=True)
class Bezorging:
    """How the worker delivers: retry schedule, timeouts, the public base URL for links."""

    basis_seconden: int = 30
    max_pogingen: int = 10
    timeout_seconden: float = 10.0
    publieke_url: str = PUBLIEKE_URL
    bron: str = "urn:nl:thuiszitters"


@dataclass(frozen=True, slots=True)
class Smtp:
    """The SMTP server for e-mail to people (off when `host` is None)."""

    host: str | None = None
    port: int = 25
    afzender: str = "thuiszitters@localhost"
    gebruiker: str | None = None
    wachtwoord: str | None = None
    starttls: bool = False


# -- publishing (called by every feature, inside its transaction) -----------------------------


def _mail(publieke_url: str) -> Mailsjabloon:
    return Mailsjabloon(
        "Nieuwe thuiszitter in uw gemeente",
        "Er is een nieuwe thuiszitter geregistreerd in uw gemeente.\n"
        f"Bekijk het dossier (na inloggen): {publieke_url}",
        "Nieuwe melding ontvangen",
        f"Er is een nieuwe melding ontvangen.\nBekijk de melding (na inloggen): {publieke_url}",
    )


async def publiceer(
    uow: UnitOfWork,
    swv_id: uuid.UUID,
    soort: str,
    onderwerp_id: uuid.UUID,
    *,
    nu: datetime,
    leerling_id: uuid.UUID | None = None,
    data: dict[str, Any] | None = None,
    sleutel: str | None = None,
    publieke_url: str = PUBLIEKE_URL,
) -> uuid.UUID | None:
    """Write an event in the caller's transaction (a rolled-back change leaves none); ids and
    kinds only (docs/privacy.md). The same `sleutel` is announced once. E-mail to people that
    follows from the event is written in the same statement."""
    inhoud = dict(data or {})
    event = _nieuw(
        swv_id,
        soort,
        onderwerp_id=onderwerp_id,
        leerling_id=leerling_id,
        data=inhoud,
        sleutel=sleutel,
    )
    ids = await uow.notificaties.schrijf([event], _mail(publieke_url), nu)
    return ids[0] if ids else None


def _nieuw(
    swv_id: uuid.UUID,
    soort: str,
    *,
    onderwerp_id: uuid.UUID,
    leerling_id: uuid.UUID | None,
    data: dict[str, Any],
    sleutel: str | None,
) -> NieuweNotificatie:
    if not regels.alleen_kenmerken(data):
        raise ValueError("een notificatie bevat alleen ids, datums en soorten")
    return NieuweNotificatie(uuid.uuid4(), swv_id, soort, onderwerp_id, leerling_id, data, sleutel)


def _sleutel(leerling_id: uuid.UUID, o: Overgang) -> str:
    return f"{o.soort}:{leerling_id}:{o.datum.isoformat()}"


def _overgang(swv_id: uuid.UUID, leerling_id: uuid.UUID, o: Overgang) -> NieuweNotificatie:
    data: dict[str, Any] = {"leerlingId": str(leerling_id), "datum": o.datum.isoformat()}
    if o.categorie is not None:
        data["categorie"] = o.categorie
    if o.vorige is not None:
        data["vorigeCategorie"] = o.vorige
    return _nieuw(
        swv_id,
        o.soort,
        onderwerp_id=leerling_id,
        leerling_id=leerling_id,
        data=data,
        sleutel=_sleutel(leerling_id, o),
    )


async def kondig_tijdlijn_aan(
    uow: UnitOfWork,
    swv_id: uuid.UUID,
    leerling_id: uuid.UUID,
    *,
    voor: Iterable[PeriodeKort],
    na: Iterable[PeriodeKort],
    vandaag: date,
    nu: datetime,
    publieke_url: str = PUBLIEKE_URL,
) -> None:
    """After a child's timeline was re-projected: announce the transitions it gained up to
    today (later ones are announced on their day by `dagelijkse_overgangen`)."""
    oud = set(overgangen(voor))
    nieuw = [
        _overgang(swv_id, leerling_id, o)
        for o in overgangen(na)
        if o not in oud and o.datum <= vandaag
    ]
    await uow.notificaties.schrijf(nieuw, _mail(publieke_url), nu)


async def dagelijkse_overgangen(
    uow: UnitOfWork,
    vandaag: date,
    nu: datetime,
    *,
    venster: int = 7,
    publieke_url: str = PUBLIEKE_URL,
) -> int:
    """Date-driven transitions without a new fact (day 29 → thuiszitter, B2a → B2b, ends):
    announce those dated in the last `venster` days, each once (docs/domain.md regel 4)."""
    async with uow.alle_swvs():
        db = await uow.driver()
        rows = await db.fetch(
            "SELECT swv_id, leerling_id, categorie, start, einde FROM tijdlijn_perioden "
            "WHERE leerling_id IN (SELECT leerling_id FROM tijdlijn_perioden "
            "WHERE (start BETWEEN $1 AND $2) OR (einde + 1 BETWEEN $1 AND $2)) "
            "ORDER BY leerling_id, volgnummer",
            vandaag - timedelta(days=venster),
            vandaag,
        )
        per_kind: dict[tuple[uuid.UUID, uuid.UUID], list[PeriodeKort]] = {}
        for r in rows:
            per_kind.setdefault((r["swv_id"], r["leerling_id"]), []).append(
                PeriodeKort(r["categorie"], r["start"], r["einde"])
            )
        van = vandaag - timedelta(days=venster)
        nieuw = [
            _overgang(swv_id, leerling_id, o)
            for (swv_id, leerling_id), perioden in per_kind.items()
            for o in overgangen(perioden)
            if van <= o.datum <= vandaag
        ]
        geschreven = await uow.notificaties.schrijf(nieuw, _mail(publieke_url), nu)
        await uow.commit()
        return len(geschreven)


async def dagelijkse_termijnen(
    uow: UnitOfWork,
    vandaag: date,
    nu: datetime,
    *,
    venster: int = 7,
    publieke_url: str = PUBLIEKE_URL,
) -> int:
    """The workflows' date-driven events, each once: `tlv.check-vervalt` on the check's due
    day (docs/tlv.md), `escalatie.termijn-verstreken` the day after an agreement's deadline
    passed unmet (docs/escalaties.md regel E3) and `leerling.signaal-gestart` (`melding-te-laat`)
    on day 29 of unexcused absence without a melding (docs/domain.md regel 5); a worker that was
    down catches up `venster` days."""
    van = vandaag - timedelta(days=venster)
    async with uow.alle_swvs():
        nieuw = [
            _nieuw(
                r["swv_id"],
                Soort.TLV_CHECK_VERVALT,
                onderwerp_id=r["id"],
                leerling_id=r["leerling_id"],
                data={
                    "tlvId": str(r["id"]),
                    "leerlingId": str(r["leerling_id"]),
                    "vervaltOp": r["volgende_check"].isoformat(),
                },
                sleutel=f"{Soort.TLV_CHECK_VERVALT}:{r['id']}:{r['volgende_check'].isoformat()}",
            )
            for r in await uow.notificaties.vervallende_checks(van, vandaag)
        ]
        nieuw += [
            _nieuw(
                r["swv_id"],
                Soort.ESCALATIE_TERMIJN_VERSTREKEN,
                onderwerp_id=r["escalatie_id"],
                leerling_id=r["leerling_id"],
                data={
                    "escalatieId": str(r["escalatie_id"]),
                    "leerlingId": str(r["leerling_id"]),
                    "afspraakId": str(r["id"]),
                    "deadline": r["deadline"].isoformat(),
                },
                sleutel=f"{Soort.ESCALATIE_TERMIJN_VERSTREKEN}:{r['id']}",
            )
            for r in await uow.notificaties.verstreken_afspraken(van, vandaag)
        ]
        nieuw += [
            _nieuw(
                r["swv_id"],
                Soort.SIGNAAL_GESTART,
                onderwerp_id=r["leerling_id"],
                leerling_id=r["leerling_id"],
                data={
                    "leerlingId": str(r["leerling_id"]),
                    "signaal": "melding-te-laat",
                    "datum": r["start"].isoformat(),
                },
                sleutel=f"melding-te-laat:{r['leerling_id']}:{r['start'].isoformat()}",
            )
            for r in await uow.notificaties.zonder_melding(van, vandaag)
        ]
        geschreven = await uow.notificaties.schrijf(nieuw, _mail(publieke_url), nu)
        await uow.commit()
        return len(geschreven)


# -- the change feed ---------------------------------------------------------------------------


def _cursor(n: Notificatie) -> str:
    return base64.urlsafe_b64encode(f"{n.transactie}.{n.volgnummer}".encode()).decode()


def lees_cursor(cursor: str | None) -> tuple[int, int] | None:
    """The position a cursor names; invalid input is a 400 (never echoed)."""
    if cursor is None:
        return None
    try:
        transactie, volgnummer = base64.urlsafe_b64decode(cursor.encode()).decode().split(".")
        return int(transactie), int(volgnummer)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(
            [FieldError("vanaf", "ongeldig", "Geen geldige cursor.", "query")]
        ) from None


@dataclass(frozen=True, slots=True)
class Feedpagina:
    items: list[tuple[dict[str, object], str]]
    volgende: str | None


async def feed(
    uow: UnitOfWork, actor: Actor, vanaf: str | None, limiet: int, bezorging: Bezorging
) -> Feedpagina:
    """Events after `vanaf` that the caller may read, in transaction order, as CloudEvents."""
    positie = lees_cursor(vanaf)
    async with uow.voor(actor):
        rijen = await uow.notificaties.feed(actor, positie, limiet)
        uow.getoond.extend(r.leerling_id for r in rijen if r.leerling_id is not None)
        await uow.commit()
    items = [(cloudevent(r, bezorging), _cursor(r)) for r in rijen]
    return Feedpagina(items, items[-1][1] if items else vanaf)


def cloudevent(n: Notificatie, bezorging: Bezorging) -> dict[str, object]:
    """The event as a CloudEvents 1.0 document; `dataref` is where a receiver reads details."""
    dataref = (
        f"{bezorging.publieke_url}/v1/leerlingen/{n.leerling_id}"
        if n.leerling_id is not None
        else None
    )
    return regels.cloudevent(
        id=str(n.id),
        soort=n.soort,
        bron=f"{bezorging.bron}:swv:{n.swv_id}",
        onderwerp=str(n.onderwerp_id),
        tijd=n.aangemaakt_op,
        data=n.data,
        dataref=dataref,
    )


# -- subscriptions ------------------------------------------------------------------------------


def _bestemming_toegestaan(url: str) -> bool:
    """https anywhere; plain http only on loopback (tests, the demo)."""
    try:
        delen = urlsplit(url)
        host = delen.hostname
    except ValueError:
        return False
    if not host or delen.username or delen.password:
        return False
    return delen.scheme == "https" or (delen.scheme == "http" and host in {"127.0.0.1", "::1"})


def _mag_abonneren(actor: Actor) -> None:
    if not actor.is_systeem:
        raise Forbidden("Alleen systemen abonneren zich op notificaties.")


async def abonneer(
    uow: UnitOfWork,
    actor: Actor,
    versleuteling: Versleuteling,
    *,
    url: str,
    soorten: list[str],
    bron_referentie: str | None,
) -> tuple[Abonnement, str | None, bool]:
    """A webhook subscription of the calling system (with its scope); the secret is returned
    once. The same `bronReferentie` is the same subscription (no secret again)."""
    _mag_abonneren(actor)
    fouten = [
        FieldError(f"soorten[{i}]", "onbekend", "Onbekende soort notificatie.")
        for i, s in enumerate(soorten)
        if s not in set(Soort)
    ]
    if not _bestemming_toegestaan(url):
        fouten.append(FieldError("url", "ongeldig", "Gebruik https (of loopback om te testen)."))
    if fouten:
        raise InvalidInput(fouten)
    async with uow.voor(actor):
        if bron_referentie is not None:
            bestaand = await uow.notificaties.abonnement_op_bron(actor, bron_referentie)
            if bestaand is not None:
                if bestaand.url != url:
                    raise Conflict("Deze bronReferentie is al gebruikt voor een ander abonnement.")
                await uow.commit()
                return bestaand, None, False
        geheim = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
        abonnement = await uow.notificaties.abonneer(
            actor,
            url=url,
            geheim_versleuteld=versleuteling.versleutel(geheim, _GEHEIM_CONTEXT),
            soorten=soorten,
            bron_referentie=bron_referentie,
        )
        await uow.commit()
        return abonnement, geheim, True


async def abonnementen(uow: UnitOfWork, actor: Actor) -> list[Abonnement]:
    _mag_abonneren(actor)
    async with uow.voor(actor):
        return await uow.notificaties.abonnementen(actor)


async def abonnement(uow: UnitOfWork, actor: Actor, abonnement_id: uuid.UUID) -> Abonnement:
    _mag_abonneren(actor)
    async with uow.voor(actor):
        gevonden = await uow.notificaties.abonnement(actor, abonnement_id)
        if gevonden is None:
            raise NotFound(NIET_GEVONDEN)
        return gevonden


async def zet_actief(
    uow: UnitOfWork, actor: Actor, abonnement_id: uuid.UUID, actief: bool, versie: int | None
) -> Abonnement:
    """Pause or resume a subscription (`If-Match` on its version)."""
    _mag_abonneren(actor)
    async with uow.voor(actor):
        gevonden = await uow.notificaties.abonnement(actor, abonnement_id, lock=True)
        if gevonden is None:
            raise NotFound(NIET_GEVONDEN)
        if versie is None:
            raise PreconditionRequired("Stuur If-Match met de ETag van het abonnement.")
        if versie != gevonden.versie:
            raise PreconditionFailed("Het abonnement is intussen gewijzigd.")
        await uow.notificaties.zet_actief(abonnement_id, actief)
        await uow.commit()
    return Abonnement(
        **{
            **{k: getattr(gevonden, k) for k in Abonnement.__slots__},
            "actief": actief,
            "versie": gevonden.versie + 1,
        }
    )


# -- the worker: fan-out, webhooks, e-mail --------------------------------------------------------


async def verdeel(uow: UnitOfWork, nu: datetime) -> None:
    """A delivery per subscription that may read each new event (scope of the subscriber)."""
    async with uow.alle_swvs():
        await uow.notificaties.verdeel(nu, _SWV_ROLLEN)
        await uow.commit()


async def _post(
    client: httpx.AsyncClient, b: TeBezorgen, geheim: str, bezorging: Bezorging
) -> int | None:
    body = regels.lichaam(cloudevent(b.notificatie, bezorging))
    bericht_id = str(b.notificatie.id)
    tijdstempel = int(time.time())
    try:
        antwoord = await client.post(
            b.url,
            content=body,
            headers={
                "content-type": "application/cloudevents+json",
                "webhook-id": bericht_id,
                "webhook-timestamp": str(tijdstempel),
                "webhook-signature": regels.onderteken(geheim, bericht_id, tijdstempel, body),
            },
            timeout=bezorging.timeout_seconden,
        )
    except httpx.HTTPError:
        return None
    return antwoord.status_code


async def bezorg(
    uow: UnitOfWork,
    nu: datetime,
    versleuteling: Versleuteling,
    client: httpx.AsyncClient,
    bezorging: Bezorging,
    *,
    maximaal: int = 1000,
) -> int:
    """Deliver what is due at `nu`, one delivery per transaction (claimed with SKIP LOCKED, so
    workers never share one; a worker that dies before its commit leaves it due): 2xx is
    delivered, anything else is tried again later with a doubled wait, or dead at the end."""
    aantal = 0
    while aantal < maximaal:
        async with uow.alle_swvs():
            geclaimd = await uow.notificaties.claim(nu, 1)
            if not geclaimd:
                return aantal
            b = geclaimd[0]
            geheim = versleuteling.ontsleutel(b.geheim_versleuteld, _GEHEIM_CONTEXT)
            status = await _post(client, b, geheim, bezorging)
            if status is not None and 200 <= status < 300:
                await uow.notificaties.afgeleverd(b.aflevering_id, status, nu)
            else:
                volgende = regels.volgende_poging(
                    b.pogingen + 1,
                    nu,
                    basis=bezorging.basis_seconden,
                    maximum=bezorging.max_pogingen,
                )
                await uow.notificaties.mislukt(b.aflevering_id, status, volgende)
            await uow.commit()
            aantal += 1
    return aantal


def _verstuur(smtp: Smtp, aan: str, onderwerp: str, tekst: str) -> None:
    assert smtp.host is not None  # noqa: S101
    bericht = EmailMessage()
    bericht["From"] = smtp.afzender
    bericht["To"] = aan
    bericht["Subject"] = onderwerp
    bericht.set_content(tekst)
    with smtplib.SMTP(smtp.host, smtp.port, timeout=10) as server:
        if smtp.starttls:
            server.starttls()
        if smtp.gebruiker and smtp.wachtwoord:
            server.login(smtp.gebruiker, smtp.wachtwoord)
        server.send_message(bericht)


async def verstuur_mails(
    uow: UnitOfWork, nu: datetime, smtp: Smtp, bezorging: Bezorging, *, maximaal: int = 1000
) -> int:
    """Send the waiting e-mails through SMTP (off: they wait), one per transaction."""
    if smtp.host is None:
        return 0
    aantal = 0
    while aantal < maximaal:
        async with uow.alle_swvs():
            mails = await uow.notificaties.claim_mails(nu, 1)
            if not mails:
                return aantal
            m = mails[0]
            try:
                await asyncio.to_thread(_verstuur, smtp, m["aan"], m["onderwerp"], m["tekst"])
            except (OSError, smtplib.SMTPException):
                volgende = regels.volgende_poging(
                    m["pogingen"] + 1,
                    nu,
                    basis=bezorging.basis_seconden,
                    maximum=bezorging.max_pogingen,
                )
                await uow.notificaties.mail_klaar(m["id"], None, volgende)
            else:
                await uow.notificaties.mail_klaar(m["id"], nu, None)
            await uow.commit()
            aantal += 1
    return aantal


async def maandelijkse_herinnering(
    uow: UnitOfWork, vandaag: date, nu: datetime, bezorging: Bezorging
) -> int:
    """In the second week of each month every zorgcoördinator (schoolmedewerker) gets a
    reminder to report (dreigende) thuiszitters: once per month and address."""
    if not 8 <= vandaag.day <= 14:
        return 0
    async with uow.alle_swvs():
        db = await uow.driver()
        swvs = [r["id"] for r in await db.fetch("SELECT id FROM samenwerkingsverbanden")]
        aantal = 0
        for swv_id in swvs:
            rollen = [str(Rol.SCHOOLMEDEWERKER)]
            for adres in await uow.notificaties.ontvangers(swv_id, rollen):
                if await uow.notificaties.zet_mail(
                    swv_id,
                    f"herinnering:{vandaag:%Y-%m}:{adres}",
                    aan=adres,
                    onderwerp="Herinnering: meld (dreigende) thuiszitters",
                    tekst="Meld uw (dreigende) thuiszitters bij het samenwerkingsverband.\n"
                    f"Melden kan hier (na inloggen): {bezorging.publieke_url}/v1/docs\n",
                    nu=nu,
                ):
                    aantal += 1
        await uow.commit()
        return aantal


async def laatste_hartslag(uow: UnitOfWork) -> datetime | None:
    async with uow.alle_swvs():
        return await uow.notificaties.laatste_hartslag()


async def hartslag(uow: UnitOfWork, worker: str, nu: datetime) -> None:
    async with uow.alle_swvs():
        await uow.notificaties.hartslag(worker, nu)
        await uow.commit()
