"""Pure domain rules: standard library only, no clock, no I/O.

Citations: "regel N" is a rule of docs/domain.md; a named source (LPW art. N, "Aanpak
thuiszitters", "Definities thuiszitters", ...) is a heading of docs/bronnen.md.
"""
