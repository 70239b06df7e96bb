"""Access over HTTP: people and roles (`gebruikers`), sessions and tokens (`sessies`)."""
