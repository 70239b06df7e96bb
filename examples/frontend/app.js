// A minimal front-end on the Thuiszitters API: sign in (password + TOTP), list today's
// thuiszitters, show one child's timeline. Plain JavaScript that the browser loads as is; the
// types come from the committed contract (openapi-typescript, `make example-types`) and are
// checked by `tsc --checkJs` (`make example-check`).
// @ts-check

/** @typedef {import("./api").components["schemas"]} Schemas */
/** @typedef {Schemas["Sessietokens"]} Sessietokens */
/** @typedef {Schemas["LeerlingLijst"]} LeerlingLijst */
/** @typedef {Schemas["LeerlingOpPeildatum"]} LeerlingOpPeildatum */
/** @typedef {Schemas["LeerlingTijdlijn"]} LeerlingTijdlijn */
/** @typedef {Schemas["ProblemDetails"]} ProblemDetails */

const API = (new URLSearchParams(location.search).get("api") ?? "http://127.0.0.1:8000") + "/v1";

/** @type {string | null} */
let toegangstoken = null;

/** @param {string} id */
function el(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} ontbreekt`);
  return element;
}

/** @param {string} tekst @param {boolean} [fout] */
function meld(tekst, fout = false) {
  const status = el("status");
  status.textContent = tekst;
  status.className = fout ? "fout" : "";
}

/**
 * Call the API; a problem (RFC 9457) becomes an Error with its title and detail.
 * @template T
 * @param {string} pad
 * @param {RequestInit} [init]
 * @returns {Promise<T>}
 */
async function api(pad, init = {}) {
  const headers = new Headers(init.headers);
  headers.set("Accept", "application/json");
  if (toegangstoken) headers.set("Authorization", `Bearer ${toegangstoken}`);
  const antwoord = await fetch(API + pad, { ...init, headers, credentials: "omit" });
  if (!antwoord.ok) {
    /** @type {Partial<ProblemDetails>} */
    const probleem = await antwoord.json().catch(() => ({}));
    throw new Error(`${antwoord.status} ${probleem.title ?? ""}: ${probleem.detail ?? ""}`);
  }
  return /** @type {Promise<T>} */ (antwoord.json());
}

/** @param {string} gebruikersnaam @param {string} wachtwoord @param {string} totpCode */
async function aanmelden(gebruikersnaam, wachtwoord, totpCode) {
  /** @type {Sessietokens} */
  const tokens = await api("/sessies", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ gebruikersnaam, wachtwoord, totpCode }),
  });
  toegangstoken = tokens.toegangstoken;
}

async function toonThuiszitters() {
  /** @type {LeerlingLijst} */
  const lijst = await api("/leerlingen?thuiszitter=true&sorteer=-categorieSinds&totalen=true&pageSize=50");
  el("peildatum").textContent = lijst.peildatum;
  el("aantal").textContent = String(lijst.paginering.totaal);
  const tbody = el("leerlingen");
  tbody.replaceChildren(...lijst.data.map(rij));
  el("lijst").hidden = false;
  return lijst.data;
}

/** @param {LeerlingOpPeildatum} leerling */
function rij(leerling) {
  const tr = document.createElement("tr");
  tr.dataset.leerlingId = leerling.id;
  for (const tekst of [leerling.pseudoniem, leerling.categorie, leerling.categorieSinds ?? ""]) {
    const td = document.createElement("td");
    td.textContent = tekst;
    tr.append(td);
  }
  const knop = document.createElement("button");
  knop.textContent = "Tijdlijn";
  knop.addEventListener("click", () => toonTijdlijn(leerling).catch((e) => meld(String(e), true)));
  const td = document.createElement("td");
  td.append(knop);
  tr.append(td);
  return tr;
}

/** @param {LeerlingOpPeildatum} leerling */
async function toonTijdlijn(leerling) {
  /** @type {LeerlingTijdlijn} */
  const tijdlijn = await api(`/leerlingen/${encodeURIComponent(leerling.id)}/tijdlijn`);
  el("tijdlijn-van").textContent = leerling.pseudoniem;
  el("perioden").replaceChildren(
    ...tijdlijn.perioden.map((p) => {
      const li = document.createElement("li");
      li.textContent = `${p.start} – ${p.totEnMet ?? "nu"}: ${p.categorie} (${p.regel})`;
      return li;
    }),
  );
  el("tijdlijn").hidden = false;
}

el("aanmelden").addEventListener("submit", async (event) => {
  event.preventDefault();
  const waarde = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (el(id)).value;
  try {
    meld("Bezig met aanmelden…");
    await aanmelden(waarde("gebruikersnaam"), waarde("wachtwoord"), waarde("totpCode"));
    const leerlingen = await toonThuiszitters();
    if (leerlingen.length > 0) await toonTijdlijn(leerlingen[0]);
    meld(`Aangemeld; ${leerlingen.length} thuiszitters getoond.`);
  } catch (fout) {
    meld(String(fout), true);
  }
});
