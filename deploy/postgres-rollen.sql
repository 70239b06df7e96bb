-- The two roles of thuiszitters, created once by a database administrator (a superuser), e.g.
--   psql -v eigenaar_pw=... -v app_pw=... -f deploy/postgres-rollen.sql
-- thuiszitters      the migration role: owns the database and its tables (`thuiszitters migrate`)
-- thuiszitters_app  the runtime role: reads and writes rows only; the API and the workers use it
-- Neither is a superuser or has BYPASSRLS: row-level security is the second line between SWVs.
\if :{?eigenaar_pw}
\else
  \set eigenaar_pw thuiszitters
\endif
\if :{?app_pw}
\else
  \set app_pw thuiszitters
\endif
CREATE ROLE thuiszitters LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION
    PASSWORD :'eigenaar_pw';
CREATE ROLE thuiszitters_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION
    PASSWORD :'app_pw';
CREATE DATABASE thuiszitters OWNER thuiszitters;
REVOKE CREATE, TEMPORARY ON DATABASE thuiszitters FROM PUBLIC;
-- TEMPORARY: the leerplicht bulk path stages deliveries in a temporary table.
GRANT CONNECT, TEMPORARY ON DATABASE thuiszitters TO thuiszitters_app;
\connect thuiszitters
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
-- The migrations grant the runtime role its rights on every table, sequence and function, and
-- set default privileges so that tables of later migrations are granted too.
