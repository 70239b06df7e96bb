"""The floor of the register benchmark: the application's SQL, without the framework.

A raw ASGI function on a plain asyncpg pool (as many connections as the application's pool).
Every request runs, in one transaction, the statements the application issues for it (taken from
`log_statement = 'all'`, in the same order, the same columns): `set_config('app.swv_id')` for
row-level security, the scoped reads, the writes, and the audit row. What it leaves out is the
framework: no FastAPI routing, dependencies or pydantic; no SQLAlchemy (unit of work, pool); no
problem details, security headers or request log; the bench token is compared as a string.

- `GET /v1/leerlingen/{id}/status`: the tenant and the clock (one statement), the child (scoped
  by SWV), its SWV's settings, its facts, the audit row. With `fold=1` it also folds the facts
  into the status with the domain, as the application does; without it, it answers the rows as
  JSON (SQL and JSON only).
- `POST /v1/leerlingen/{id}/feiten`: tenant and clock, lock the child (`FOR UPDATE`), read the
  SWV's settings, the clock, the facts; read the report with the domain, insert the fact, bump
  `versie`, replace the projections (the domain's `bepaal_tijdlijn` and the child's Inspectie
  register rows, as `projectie.projecteer_feiten`: one statement deletes both, the rows are
  inserted only for a child in some register), write the audit row, commit.
- `GET /v1/leerlingen?thuiszitter=true&peildatum=D&pageSize=N`: tenant and clock, the count,
  the page joined with its children's periods on the peildatum, the audit row naming the
  children shown; the application's body and its `Link` and `X-Total-Count` headers.
- Every side: the connection goes back to the pool as is (no reset query), as the
  application's does.
- `GET /ping`: no database (the load generator's ceiling).
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import parse_qs

import asyncpg  # type: ignore[import-untyped]

from app.db.leerlingen import LeerlingenRepository
from app.db.rapportage import REGISTER_KOLOMMEN
from app.domain.beleid import Beleid, Weektelling
from app.domain.classificatie import LANDELIJKE_THUISZITTERS
from app.domain.feiten import Feit, OngeldigFeit, feit_naar_dict, feit_uit_dict
from app.domain.leerling import Geboorte, Leerling
from app.domain.rapportage import STANDAARD_PEILDATA
from app.domain.regio import Regio
from app.domain.status import Status, bepaal_status
from app.domain.tijdlijn import bepaal_tijdlijn
from app.services import registerrijen
from bench.register_app import ENV_POOL, ENV_SWV, ENV_TOKEN, ENV_URL, bench_actor
from bench.register_seed import projectie_tot

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

BEGIN = "SELECT set_config('app.swv_id', $1, true), clock_timestamp()"
KIND = (
    "SELECT id, swv_id, pseudoniem, geboortejaar, geboortemaand, geboortedag, regio, versie "
    "FROM leerlingen WHERE swv_id = $1 AND id = $2"
)
INSTELLINGEN = "SELECT id, beleid, versie FROM samenwerkingsverbanden WHERE id = $1"
LEERLING_KOLOMMEN = (
    "id, swv_id, pseudoniem, geboortejaar, geboortemaand, geboortedag, regio, woongemeente_id, "
    "naam_versleuteld, adres_versleuteld, bsn_versleuteld, bsn_zoekhash, geanonimiseerd_op, "
    "versie, aangemaakt_op"
)
LEERLING = f"SELECT {LEERLING_KOLOMMEN} FROM leerlingen WHERE swv_id = $1 AND id = $2"  # noqa: S608
SWV = (
    "SELECT id, code, naam, privacy_modus, rechtsgrond, beleid, versie, aangemaakt_op "
    "FROM samenwerkingsverbanden WHERE id = $1"
)
KLOK = "SELECT clock_timestamp()"
FEITEN = (
    "SELECT id, volgnummer, leerling_id, swv_id, soort, geldig_vanaf, geregistreerd_op, payload, "
    "bron, bron_referentie, gemeld_door, school_id, namens FROM feiten WHERE leerling_id = $1 "
    "ORDER BY volgnummer"
)
AUDIT = (
    "INSERT INTO audit_log (swv_id, actor_id, actor_rol, handeling, route, leerling_id, "
    "resultaat, request_id) VALUES ($1, $2, $3, $4, $5, $6, 'toegestaan', $7) "
    "RETURNING id, tijdstip"
)
FEIT_INSERT = (
    "INSERT INTO feiten (id, leerling_id, swv_id, soort, geldig_vanaf, geregistreerd_op, payload, "
    "bron, bron_referentie, gemeld_door, school_id, namens) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING volgnummer"
)
# Register projection (decision 0012): the register rows are deleted in the timeline's statement.
PERIODEN_DELETE = (
    "WITH weg_register_rijen AS (DELETE FROM register_rijen WHERE leerling_id = $1) "
    "DELETE FROM tijdlijn_perioden WHERE leerling_id = $1"
)
PERIODE_INSERT = (
    "INSERT INTO tijdlijn_perioden (leerling_id, volgnummer, swv_id, categorie, start, einde, "
    "regel, feit_ids, eindreden) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
)
VERSIE = "UPDATE leerlingen SET versie = $2 WHERE id = $1"
# Register projection (decision 0012): a child's rows in the Inspectie register, one per peildatum.
REGISTER_RIJ_INSERT = (
    f"INSERT INTO register_rijen (leerling_id, swv_id, {', '.join(REGISTER_KOLOMMEN)}) "  # noqa: S608
    f"VALUES ({', '.join(f'${n}' for n in range(1, len(REGISTER_KOLOMMEN) + 3))})"
)
# The list, as `LeerlingenRepository.lijst_op_peildatum` issues it for a regisseur (scope: the
# whole SWV) filtering on the thuiszitter categories, sorted on pseudoniem (decision 0047): from
# the periods on the peildatum, each child looked up by key; the page's periods after the page.
UIT_PERIODEN = (
    "(SELECT DISTINCT getroffen.leerling_id FROM (SELECT tijdlijn_perioden.leerling_id "
    "FROM tijdlijn_perioden WHERE tijdlijn_perioden.swv_id = $1 "
    "AND tijdlijn_perioden.categorie = ANY($3::varchar[]) AND tijdlijn_perioden.start <= $2 "
    "AND (tijdlijn_perioden.einde IS NULL OR tijdlijn_perioden.einde >= $2)) AS getroffen) "
    "AS getroffen CROSS JOIN LATERAL (SELECT {kolommen} FROM leerlingen "
    "WHERE leerlingen.id = getroffen.leerling_id AND leerlingen.swv_id = $1 OFFSET 0) "
    "AS leerlingen"
)
LIJST_TOTAAL = f"SELECT count(*) FROM {UIT_PERIODEN.format(kolommen='leerlingen.id')}"  # noqa: S608
_LEERLING = (
    "leerlingen.id, leerlingen.pseudoniem, leerlingen.geboortejaar, leerlingen.geboortemaand, "
    "leerlingen.regio"
)
LIJST_PAGINA = (
    f"SELECT {_LEERLING}, periode.categorie, periode.start FROM (SELECT {_LEERLING} FROM "  # noqa: S608
    + UIT_PERIODEN.format(kolommen=_LEERLING)
    + " ORDER BY leerlingen.pseudoniem, leerlingen.id LIMIT $4 OFFSET $5) AS leerlingen "
    "LEFT OUTER JOIN tijdlijn_perioden AS periode "
    "ON periode.leerling_id = leerlingen.id AND periode.swv_id = $1 AND periode.start <= $2 "
    "AND (periode.einde IS NULL OR periode.einde >= $2) "
    "ORDER BY leerlingen.pseudoniem, leerlingen.id"
)
# The application's audit row of a list: with the children it showed (`getoonde_leerlingen`).
AUDIT_LIJST = (
    "INSERT INTO audit_log (swv_id, actor_id, actor_rol, handeling, route, leerling_id, "
    "getoonde_leerlingen, resultaat, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
)

_STATUS = re.compile(r"^/v1/leerlingen/([0-9a-f-]{36})/status$")
_FEITEN = re.compile(r"^/v1/leerlingen/([0-9a-f-]{36})/feiten$")
_CAMEL = re.compile(r"([A-Z])")
_KOLOMMEN = {"id", "geldig_vanaf", "geregistreerd_op"}
_THUISZITTERS = sorted(str(c) for c in LANDELIJKE_THUISZITTERS)


async def _geen_reset(_conn: asyncpg.Connection) -> None:
    """Nothing on release, as the application's pool: asyncpg's default sends a reset query
    (`pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`), a round trip per request
    the application does not make (its transaction ends with COMMIT and the connection is
    returned as is). A floor that does more would hide the gap."""


class _Fout(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _beleid(swv: asyncpg.Record) -> Beleid:
    instellingen = json.loads(swv["beleid"]) or {}
    return Beleid(weektelling=Weektelling(instellingen.get("weektelling", "kalenderdagen")))


def _leerling(row: asyncpg.Record) -> Leerling:
    return Leerling(
        str(row["id"]),
        Geboorte(row["geboortejaar"], row["geboortemaand"], row["geboortedag"]),
        Regio(row["regio"]),
    )


def _feit(row: asyncpg.Record) -> Feit:
    data: dict[str, object] = {
        **json.loads(row["payload"]),
        "id": str(row["id"]),
        "geldig_vanaf": row["geldig_vanaf"].isoformat(),
        "geregistreerd_op": row["geregistreerd_op"].isoformat(),
    }
    return feit_uit_dict(row["soort"], data)


def _status_json(leerling_id: str, s: Status) -> dict[str, object]:
    return {
        "leerlingId": leerling_id,
        "peildatum": s.peildatum.isoformat(),
        "bekendOp": None,
        "categorie": str(s.categorie),
        "thuiszitterLandelijk": s.thuiszitter_landelijk,
        "thuiszitterProfiel": s.thuiszitter_profiel,
        "sinds": s.sinds.isoformat() if s.sinds else None,
        "verzuimSinds": s.verzuim_sinds.isoformat() if s.verzuim_sinds else None,
        "duurDagen": s.duur_dagen,
        "duurLesweken": s.duur_lesweken,
        "signalen": [
            {"signaal": str(x.signaal), "reden": x.reden, "feitIds": list(x.feit_ids)}
            for x in s.signalen
        ],
        "verklaring": {"regel": s.verklaring.regel, "feitIds": list(s.verklaring.feit_ids)},
    }


def _rij_json(row: asyncpg.Record) -> dict[str, object]:
    return {
        k: (v.isoformat() if isinstance(v, date | datetime) else str(v) if v is not None else v)
        for k, v in row.items()
        if not isinstance(v, bytes)
    }


class Floor:
    """The floor ASGI application (one pool, one bench token, one SWV)."""

    def __init__(self, url: str, token: str, swv_id: str, pool_size: int) -> None:
        self.url = url
        self.auth = f"Bearer {token}".encode()
        self.swv_id = swv_id
        self.swv_uuid = uuid.UUID(swv_id)
        self.actor = bench_actor(swv_id)
        self.pool_size = pool_size
        self.pool: asyncpg.Pool | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        extra: list[tuple[bytes, bytes]] = []
        try:
            antwoord = await self._handle(scope, receive)
            status, body = antwoord[0], antwoord[1]
            if len(antwoord) == 3:
                extra = antwoord[2]
        except _Fout as fout:
            status, body = fout.status, {"status": fout.status}
        data = json.dumps(body, separators=(",", ":")).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(data)).encode()),
                    *extra,
                ],
            }
        )
        await send({"type": "http.response.body", "body": data})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                # As many connections as the application's pool (a fixed pool_size, kept open).
                self.pool = await asyncpg.create_pool(
                    self.url,
                    min_size=self.pool_size,
                    max_size=self.pool_size,
                    reset=_geen_reset,
                    server_settings={"timezone": "UTC", "application_name": "bench-floor"},
                )
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.pool is not None:
                    await self.pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _handle(
        self, scope: Scope, receive: Receive
    ) -> tuple[int, Any] | tuple[int, Any, list[tuple[bytes, bytes]]]:
        path: str = scope["path"]
        if path == "/ping":
            return 200, {}
        if dict(scope["headers"]).get(b"authorization") != self.auth:
            raise _Fout(401)
        query = parse_qs(scope.get("query_string", b"").decode())
        method: str = scope["method"]
        if method == "GET" and (m := _STATUS.match(path)):
            return 200, await self.status(m.group(1), fold=query.get("fold") == ["1"])
        if method == "POST" and (m := _FEITEN.match(path)):
            body = b""
            for _ in range(1000):  # bounded: the benchmark's bodies are one or two chunks
                message = await receive()
                body += message.get("body", b"")
                if not message.get("more_body"):
                    break
            return 201, await self.meld(m.group(1), json.loads(body))
        if method == "GET" and path == "/v1/leerlingen":
            pagina, headers = await self.lijst(
                date.fromisoformat(query["peildatum"][0]),
                int(query.get("page", ["1"])[-1]),
                int(query.get("pageSize", ["20"])[-1]),
                scope.get("query_string", b"").decode(),
            )
            return 200, pagina, headers
        raise _Fout(404)

    async def _audit(
        self, conn: asyncpg.Connection, handeling: str, route: str, leerling: uuid.UUID | None
    ) -> None:
        await conn.fetchrow(
            AUDIT,
            self.swv_uuid,
            self.actor.id,
            str(self.actor.rol),
            handeling,
            route,
            leerling,
            str(uuid.uuid4()),
        )

    async def status(self, leerling_id: str, *, fold: bool) -> dict[str, object]:
        assert self.pool is not None
        lid = uuid.UUID(leerling_id)
        async with self.pool.acquire() as conn, conn.transaction():
            begin = await conn.fetchrow(BEGIN, self.swv_id)
            nu: datetime = begin[1]
            leerling = await conn.fetchrow(KIND, self.swv_uuid, lid)
            if leerling is None:
                raise _Fout(404)
            swv = await conn.fetchrow(INSTELLINGEN, self.swv_uuid)
            rows = await conn.fetch(FEITEN, lid)
            await self._audit(conn, "leerling:lezen", "GET /leerlingen/{leerlingId}/status", lid)
        if not fold:
            return {"leerling": _rij_json(leerling), "feiten": [_rij_json(r) for r in rows]}
        s = bepaal_status(
            _leerling(leerling), [_feit(r) for r in rows], _beleid(swv), peildatum=nu.date()
        )
        return _status_json(leerling_id, s)

    async def meld(self, leerling_id: str, invoer: dict[str, Any]) -> dict[str, object]:
        assert self.pool is not None
        lid = uuid.UUID(leerling_id)
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.fetchrow(BEGIN, self.swv_id)
            leerling = await conn.fetchrow(KIND + " FOR UPDATE", self.swv_uuid, lid)
            if leerling is None:
                raise _Fout(404)
            swv = await conn.fetchrow(INSTELLINGEN, self.swv_uuid)
            nu: datetime = await conn.fetchval(KLOK)
            rows = await conn.fetch(FEITEN, lid)
            feit_id = uuid.uuid4()
            gegevens = {
                _CAMEL.sub(lambda m: "_" + m.group(1).lower(), k): v
                for k, v in invoer.get("gegevens", {}).items()
            }
            try:
                feit = feit_uit_dict(
                    invoer["soort"],
                    {
                        **gegevens,
                        "id": str(feit_id),
                        "geldig_vanaf": invoer["geldigVanaf"],
                        "geregistreerd_op": nu.isoformat(),
                    },
                )
            except OngeldigFeit:
                raise _Fout(400) from None
            payload = {k: v for k, v in feit_naar_dict(feit).items() if k not in _KOLOMMEN}
            bron = f"swv:{self.swv_id}"
            await conn.fetchval(
                FEIT_INSERT,
                feit_id,
                lid,
                self.swv_uuid,
                str(feit.soort),
                feit.geldig_vanaf,
                nu,
                json.dumps(payload),
                bron,
                None,
                self.actor.id,
                None,
                None,
            )
            await conn.execute(VERSIE, lid, leerling["versie"] + 1)
            beleid = _beleid(swv)
            domein = _leerling(leerling)
            feiten = [*(_feit(r) for r in rows), feit]
            tijdlijn = bepaal_tijdlijn(domein, feiten, beleid, tot=projectie_tot(domein, nu.date()))
            await conn.execute(PERIODEN_DELETE, lid)
            await conn.executemany(
                PERIODE_INSERT,
                [
                    (
                        lid,
                        n,
                        self.swv_uuid,
                        str(p.categorie),
                        p.start,
                        p.einde,
                        p.regel,
                        list(p.feit_ids),
                        str(p.eindreden) if p.eindreden else None,
                    )
                    for n, p in enumerate(tijdlijn.perioden)
                ],
            )
            # Register projection (decision 0012): the rows from the same fold, as the application.
            rijen = registerrijen.rijen(
                leerling["pseudoniem"],
                domein,
                feiten,
                tijdlijn,
                beleid=beleid,
                peildata=STANDAARD_PEILDATA,  # the bench SWV keeps the default peildata
            )
            if rijen:
                await conn.executemany(
                    REGISTER_RIJ_INSERT,
                    [(lid, self.swv_uuid, *(r[k] for k in REGISTER_KOLOMMEN)) for r in rijen],
                )
            await self._audit(conn, "feit:melden", "POST /leerlingen/{leerlingId}/feiten", lid)
        return {
            "id": str(feit_id),
            "soort": str(feit.soort),
            "geldigVanaf": feit.geldig_vanaf.isoformat(),
            "geregistreerdOp": nu.isoformat(),
            "gegevens": invoer.get("gegevens", {}),
            "bron": bron,
            "bronReferentie": None,
            "schoolId": None,
        }

    async def lijst(
        self, peildatum: date, page: int, page_size: int, query: str
    ) -> tuple[dict[str, object], list[tuple[bytes, bytes]]]:
        """The first page of thuiszitters as the application answers it: the same statements,
        the same body (with `identiteit`, `totaalPaginas`, `totalen`) and the pagination
        headers (`Link`, `X-Total-Count`)."""
        assert self.pool is not None
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.fetchrow(BEGIN, self.swv_id)
            totaal: int = await conn.fetchval(LIJST_TOTAAL, self.swv_uuid, peildatum, _THUISZITTERS)
            offset = (page - 1) * page_size
            rows = (
                await conn.fetch(
                    LIJST_PAGINA, self.swv_uuid, peildatum, _THUISZITTERS, page_size, offset
                )
                if totaal > offset  # as the repository: no page query beyond the end
                else []
            )
            await conn.execute(
                AUDIT_LIJST,
                self.swv_uuid,
                self.actor.id,
                str(self.actor.rol),
                "leerling:lezen",
                "GET /leerlingen",
                None,
                [r["id"] for r in rows] or None,
                "toegestaan",
                str(uuid.uuid4()),
            )
        data = []
        for row in rows:
            categorie = row["categorie"] or "geen"
            data.append(
                {
                    "id": str(row["id"]),
                    "pseudoniem": row["pseudoniem"],
                    "geboortejaar": row["geboortejaar"],
                    "geboortemaand": row["geboortemaand"],
                    "regio": row["regio"],
                    "identiteit": None,
                    "categorie": categorie,
                    "thuiszitter": categorie in LANDELIJKE_THUISZITTERS,
                    "categorieSinds": row["start"].isoformat() if row["start"] else None,
                }
            )
        laatste = max(1, -(-totaal // page_size))
        rest = "&".join(
            p for p in query.split("&") if p and p.split("=")[0] not in {"page", "pageSize"}
        )
        basis = f"</v1/leerlingen?{rest}{'&' if rest else ''}"
        links = [f'{basis}page=1&pageSize={page_size}>; rel="first"']
        if page > 1:
            links.append(f'{basis}page={min(page - 1, laatste)}&pageSize={page_size}>; rel="prev"')
        if page < laatste:
            links.append(f'{basis}page={page + 1}&pageSize={page_size}>; rel="next"')
        links.append(f'{basis}page={laatste}&pageSize={page_size}>; rel="last"')
        body: dict[str, object] = {
            "peildatum": peildatum.isoformat(),
            "data": data,
            "paginering": {
                "pagina": page,
                "paginaGrootte": page_size,
                "totaal": totaal,
                "totaalPaginas": laatste,
            },
            "totalen": None,
        }
        headers = [(b"link", ", ".join(links).encode()), (b"x-total-count", str(totaal).encode())]
        return body, headers


def create() -> Floor:
    """The factory uvicorn calls (`factory=True`)."""
    return Floor(
        os.environ[ENV_URL],
        os.environ[ENV_TOKEN],
        os.environ[ENV_SWV],
        int(os.environ.get(ENV_POOL, "10")),
    )


class _Opname:
    """A connection that notes the SQL sent through it (a count of 100, no rows)."""

    def __init__(self) -> None:
        self.sql: list[str] = []

    async def fetchval(self, sql: str, *_args: object) -> int:
        self.sql.append(sql)
        return 100

    async def fetch(self, sql: str, *_args: object) -> list[asyncpg.Record]:
        self.sql.append(sql)
        return []


async def lijst_sql(swv_id: str, peildatum: date) -> list[str]:
    """The statements the repository sends for the floor's list (the count and page 1)."""
    opname = _Opname()

    async def driver() -> _Opname:
        return opname

    await LeerlingenRepository(cast("AsyncSession", None), driver).lijst_op_peildatum(
        bench_actor(swv_id),
        peildatum=peildatum,
        offset=0,
        limit=20,
        categorieen=_THUISZITTERS,
    )
    return opname.sql
