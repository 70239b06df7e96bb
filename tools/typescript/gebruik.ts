// What a TypeScript integrator writes against the types generated from openapi/openapi.json
// (`make typescript-types`: openapi-typescript, then `tsc --strict`). A contract change that
// breaks this code fails `make test`.
import type { components, paths } from "../../build/typescript/api";

type LeerlingInvoer = components["schemas"]["LeerlingInvoer"];
type Leerlingen = paths["/leerlingen"]["get"];
type LeerlingLijst = Leerlingen["responses"][200]["content"]["application/json"];
type LeerlingenQuery = NonNullable<Leerlingen["parameters"]["query"]>;
type Probleem = components["schemas"]["ProblemDetails"];
type Scholen = NonNullable<paths["/scholen"]["get"]["parameters"]["query"]>;

export const nieuw: LeerlingInvoer = {
  pseudoniem: "231801",
  geboortejaar: 2013,
  geboortemaand: 3,
  regio: "midden",
};

export const sinds: LeerlingenQuery = { gewijzigdSinds: "2026-12-07T06:00:00Z" };

export const vestiging: Scholen = { brin: "99AA", vestigingsnummer: "00" };

export function thuiszitters(lijst: LeerlingLijst): string[] {
  return lijst.data.filter((l) => l.thuiszitter).map((l) => `${l.pseudoniem}: ${l.categorie}`);
}

export function fouten(probleem: Probleem): string[] {
  return (probleem.errors ?? []).map((e) => `${e.in} ${e.name}: ${e.reason}`);
}
