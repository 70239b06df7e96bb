"""Scanner: no event payload or e-mail produced from the demo data holds personal data (a
pseudonym, a BSN-like number, free text); docs/privacy.md."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from sqlalchemy import select

from app.db.leerlingen import LeerlingRow
from app.db.organisaties import SwvRow
from app.db.session import UnitOfWork
from app.domain import notificaties as regels
from app.services import notificaties, taken
from app.services.demo import DEMO_SWV_CODE, laad_demodata
from app.services.notificaties import Bezorging
from app.services.toegang.versleuteling import Versleuteling

BSN_ACHTIG = re.compile(r"(?<![0-9a-f-])\d{8,9}(?![0-9a-f-])")


async def test_no_personal_data_in_any_event_or_mail_of_the_demo_data(
    uow: UnitOfWork, keys: tuple[str, str]
) -> None:
    await laad_demodata(uow, Versleuteling(keys[1]))
    nu = datetime.now(UTC)
    vandaag = nu.date()
    bezorging = Bezorging()
    await taken.genereer_taken(uow, vandaag)
    await notificaties.dagelijkse_overgangen(uow, vandaag, nu, venster=400)
    tweede_week = vandaag.replace(day=8)
    await notificaties.maandelijkse_herinnering(uow, tweede_week, nu, bezorging)
    async with uow.alle_swvs():
        swv = await uow.session.scalar(select(SwvRow).where(SwvRow.code == DEMO_SWV_CODE))
        assert swv is not None
        pseudoniemen = set(
            await uow.session.scalars(
                select(LeerlingRow.pseudoniem).where(LeerlingRow.swv_id == swv.id)
            )
        )
        events = await uow.notificaties.van_swv(swv.id)
        mails = await uow.notificaties.alle_mails(swv.id)
    assert events, "the demo data produces events"
    assert mails, "the demo data produces e-mail"
    teksten = []
    for e in events:
        assert regels.alleen_kenmerken(e.data), e.soort
        teksten.append(json.dumps(notificaties.cloudevent(e, bezorging)))
    teksten += [f"{m['onderwerp']}\n{m['tekst']}" for m in mails]
    for tekst in teksten:
        assert not BSN_ACHTIG.search(tekst), tekst
        gevonden = [p for p in pseudoniemen if re.search(rf"\b{re.escape(p)}\b", tekst)]
        assert gevonden == [], tekst
