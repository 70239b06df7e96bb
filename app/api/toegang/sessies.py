"""Logging in (password + TOTP), refreshing and logging out; system tokens (OAuth2)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, Literal
from urllib.parse import parse_qs

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app.api.auth import ActorDep
from app.api.deps import UowDep
from app.api.problems import PROBLEM_JSON, ProblemDetails, problem_response, problem_responses
from app.api.schemas import ApiInput, ApiModel
from app.services.errors import FieldError, InvalidInput, ServiceError
from app.services.toegang import sessies as service

router = APIRouter(tags=["Aanmelden"])


class NietBeschikbaar(ServiceError):
    slug = "niet-beschikbaar"
    status = 503


def _beleid(request: Request) -> service.Tokenbeleid:
    beleid: service.Tokenbeleid | None = getattr(request.app.state, "tokenbeleid", None)
    if beleid is None:
        raise NietBeschikbaar("Aanmelden is op deze server niet ingesteld.")
    return beleid


class Aanmelding(ApiInput):
    """A person's credentials: password and the current TOTP code of their authenticator app."""

    gebruikersnaam: str = Field(min_length=1, max_length=100)
    wachtwoord: str = Field(min_length=1, max_length=256)
    totp_code: str = Field(pattern=r"^[0-9]{6}$", description="De zescijferige code (TOTP).")


class EersteAanmelding(ApiInput):
    """First sign-in: the initial password, and the new one that replaces it."""

    gebruikersnaam: str = Field(min_length=1, max_length=100)
    wachtwoord: str = Field(min_length=1, max_length=256, description="Het startwachtwoord.")
    nieuw_wachtwoord: str = Field(
        min_length=1,
        max_length=256,
        description="Minstens 12 tekens, niet veelgebruikt of uitgelekt (NIST SP 800-63B).",
    )


class TweedeFactor(ApiModel):
    totp_uri: str = Field(
        description="Eenmalig en alleen aan de gebruiker zelf getoond: `otpauth://`-URI voor de "
        "authenticator-app."
    )
    totp_geheim: str = Field(description="Hetzelfde geheim, om over te typen (base32).")


class Vernieuwing(ApiInput):
    vernieuwingstoken: str = Field(min_length=10, max_length=200)


class Sessietokens(ApiModel):
    """Tokens of a session: a short-lived access token and a rotating refresh token."""

    toegangstoken: str = Field(description="JWT voor `Authorization: Bearer …`.")
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 (the OAuth2 token type, not a secret)
    geldig_seconden: int = Field(description="Geldigheid van het toegangstoken in seconden.")
    vernieuwingstoken: str = Field(
        description="Eenmalig te gebruiken; elke vernieuwing geeft een nieuw."
    )


def _tokens(tokens: service.Tokens) -> Sessietokens:
    return Sessietokens(
        toegangstoken=tokens.toegangstoken,
        geldig_seconden=tokens.geldig_seconden,
        vernieuwingstoken=tokens.vernieuwingstoken,
    )


@router.post(
    "/sessies",
    status_code=status.HTTP_201_CREATED,
    response_model=Sessietokens,
    summary="Aanmelden met wachtwoord en TOTP-code",
    description="Onbekende gebruiker, verkeerd wachtwoord en verkeerde code krijgen hetzelfde "
    "antwoord. Herhaald mislukken remt af (429).",
    responses=problem_responses(400, 401, 413, 429, 503),
)
async def create_sessie(invoer: Aanmelding, request: Request, uow: UowDep) -> Sessietokens:
    tokens = await service.meld_aan(
        uow,
        _beleid(request),
        request.app.state.versleuteling,
        request.app.state.inlogrem,
        gebruikersnaam=invoer.gebruikersnaam,
        wachtwoord=invoer.wachtwoord,
        totp_code=invoer.totp_code,
        adres=request.client.host if request.client else "onbekend",
    )
    return _tokens(tokens)


@router.post(
    "/tweede-factoren",
    status_code=status.HTTP_201_CREATED,
    response_model=TweedeFactor,
    summary="Eerste aanmelding: richt de tweede factor (TOTP) in en vervang het startwachtwoord",
    description="Alleen voor een account zonder tweede factor; daarna meldt de gebruiker zich aan "
    "met `POST /sessies`. Een onjuist wachtwoord en een al ingericht account krijgen hetzelfde "
    "antwoord (401). Herhaald mislukken remt af (429).",
    responses=problem_responses(400, 401, 413, 429, 503),
)
async def create_tweede_factor(
    invoer: EersteAanmelding, request: Request, uow: UowDep
) -> TweedeFactor:
    _beleid(request)
    nieuw = await service.schrijf_in(
        uow,
        request.app.state.versleuteling,
        request.app.state.inlogrem,
        gebruikersnaam=invoer.gebruikersnaam,
        wachtwoord=invoer.wachtwoord,
        nieuw_wachtwoord=invoer.nieuw_wachtwoord,
        adres=request.client.host if request.client else "onbekend",
    )
    return TweedeFactor(totp_uri=nieuw.totp_uri, totp_geheim=nieuw.geheim)


@router.post(
    "/sessies/vernieuwingen",
    status_code=status.HTTP_201_CREATED,
    response_model=Sessietokens,
    summary="Nieuwe tokens met het vernieuwingstoken (dat daarmee vervalt)",
    description="Een vernieuwingstoken werkt één keer. Wordt een oud token nogmaals gebruikt, "
    "dan wordt de hele sessie beëindigd (diefstaldetectie).",
    responses=problem_responses(400, 401, 413, 503),
)
async def create_vernieuwing(invoer: Vernieuwing, request: Request, uow: UowDep) -> Sessietokens:
    return _tokens(await service.vernieuw(uow, _beleid(request), invoer.vernieuwingstoken))


@router.delete(
    "/sessies/huidig",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Afmelden: beëindig de huidige sessie of het systeemtoken",
    description="Voor een persoon eindigt de sessie (toegangs- en vernieuwingstoken); voor een "
    "systeem wordt het gebruikte toegangstoken ingetrokken.",
    responses=problem_responses(401),
)
async def delete_huidige_sessie(actor: ActorDep, uow: UowDep) -> Response:
    await service.meld_af(uow, actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


class ClientTokenAntwoord(BaseModel):
    """RFC 6749 §5.1: the field names the OAuth2 standard prescribes (not camelCase)."""

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 (the OAuth2 token type, not a secret)
    expires_in: int
    scope: str


_FORM_SCHEMA: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["grant_type"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["client_credentials"]},
                        "client_id": {"type": "string"},
                        "client_secret": {"type": "string"},
                        "scope": {"type": "string", "description": "Spatiegescheiden scopes."},
                    },
                }
            }
        },
    }
}


class TokenFout(ProblemDetails):
    """RFC 6749 §5.2 members (`error`, `error_description`) in an RFC 9457 problem."""

    error: Literal[
        "invalid_request", "invalid_client", "unsupported_grant_type", "invalid_scope"
    ] = Field(description="De foutcode van RFC 6749 §5.2.")
    error_description: str = Field(description="Uitleg in het Nederlands; herhaalt geen invoer.")


def _token_fout(request: Request, fout: ServiceError) -> JSONResponse:
    """The OAuth2 error answer (RFC 6749 §5.2) of a refused token request."""
    if isinstance(fout, service.OngeldigeClient):
        code, status_code = "invalid_client", 401
    elif isinstance(fout, service.InvalidScope):
        code, status_code = "invalid_scope", 400
    elif isinstance(fout, InvalidInput) and any(
        e.code == "unsupported_grant_type" for e in fout.errors
    ):
        code, status_code = "unsupported_grant_type", 400
    else:
        code, status_code = "invalid_request", 400
    headers: dict[str, str] = {}  # `Cache-Control: no-store` comes from the middleware
    if status_code == 401:
        headers["WWW-Authenticate"] = 'Basic realm="thuiszitters"'
    beschrijving = fout.detail
    if isinstance(fout, InvalidInput) and fout.errors:
        beschrijving = " ".join(e.reason for e in fout.errors)
    probleem = problem_response(request, status_code, beschrijving, slug=fout.slug)
    body = {**json.loads(bytes(probleem.body)), "error": code, "error_description": beschrijving}
    return JSONResponse(body, status_code=status_code, media_type=PROBLEM_JSON, headers=headers)


_TOKEN_FOUTEN: dict[int | str, dict[str, Any]] = {
    400: {"description": "Geweigerd verzoek (RFC 6749 §5.2)", "model": TokenFout},
    401: {"description": "Onbekende client of verkeerd geheim (RFC 6749 §5.2)", "model": TokenFout},
}


def _client_gegevens(request: Request, form: dict[str, str]) -> tuple[str, str]:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            client_id, _, geheim = base64.b64decode(header[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise service.OngeldigeClient("Onleesbare clientgegevens.") from None
        return client_id, geheim
    return form.get("client_id", ""), form.get("client_secret", "")


@router.post(
    "/tokens",
    response_model=ClientTokenAntwoord,
    summary="Toegangstoken voor een systeem (OAuth2 client credentials, RFC 6749 §4.4)",
    description="Formulier (`application/x-www-form-urlencoded`) met `grant_type="
    "client_credentials`; clientgegevens via HTTP Basic of in het formulier.",
    openapi_extra=_FORM_SCHEMA,
    responses={**problem_responses(413, 415, 429, 503), **_TOKEN_FOUTEN},
)
async def create_token(request: Request, uow: UowDep) -> ClientTokenAntwoord | JSONResponse:
    try:
        return await _client_token(request, uow)
    except (InvalidInput, service.OngeldigeClient, service.InvalidScope) as fout:
        return _token_fout(request, fout)


async def _client_token(request: Request, uow: UowDep) -> ClientTokenAntwoord:
    if request.headers.get("content-type", "").split(";")[0].strip() != (
        "application/x-www-form-urlencoded"
    ):
        raise InvalidInput(
            [FieldError("content-type", "mediatype", "Gebruik een formulier.", location="header")]
        )
    try:
        ruw = parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=10)
    except ValueError:  # more than 10 fields: a 400, never a 500 (found by schemathesis)
        raise InvalidInput(
            [FieldError("body", "te_veel_velden", "Het formulier heeft te veel velden.")]
        ) from None
    form = {k: v[0] for k, v in ruw.items() if v}
    if form.get("grant_type") != "client_credentials":
        raise InvalidInput(
            [FieldError("grant_type", "unsupported_grant_type", "Alleen client_credentials.")]
        )
    client_id, geheim = _client_gegevens(request, form)
    scope = form.get("scope")
    result = await service.client_token(
        uow,
        _beleid(request),
        request.app.state.inlogrem,
        client_id=client_id,
        geheim=geheim,
        gevraagde_scopes=tuple(scope.split()) if scope else None,
        adres=request.client.host if request.client else "onbekend",
    )
    return ClientTokenAntwoord(
        access_token=result.toegangstoken,
        expires_in=result.geldig_seconden,
        scope=" ".join(result.scopes),
    )
