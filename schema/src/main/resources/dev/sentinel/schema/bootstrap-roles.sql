-- Sentinel role bootstrap. Roles are cluster-wide, so they are created here and not in the
-- versioned migrations. Run it as a superuser on every cluster that hosts Sentinel, before the first
-- migration; it is idempotent and re-asserts the attributes each time, so running it again repairs
-- a role that someone widened by hand. It sets no password: give each role one with \password.
--
-- Render it with your role names (defaults sentinel_owner, sentinel_app, sentinel_system):
--   java -cp sentinel-schema.jar dev.sentinel.schema.DatabaseBootstrap [owner] [app] [system] | psql -U postgres
DO $bootstrap$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${sentinel_owner_role}') THEN
        CREATE ROLE ${sentinel_owner_role} LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${sentinel_app_role}') THEN
        CREATE ROLE ${sentinel_app_role} LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${sentinel_system_role}') THEN
        CREATE ROLE ${sentinel_system_role} LOGIN;
    END IF;
END
$bootstrap$;

-- The owner owns the objects and runs migrations; FORCE ROW LEVEL SECURITY applies to it too, so
-- owner-run data migrations must enter the system scope explicitly.
ALTER ROLE ${sentinel_owner_role} LOGIN NOSUPERUSER NOBYPASSRLS NOREPLICATION NOCREATEROLE;

-- The application role: superusers and BYPASSRLS roles skip row-level security even with FORCE,
-- and a member of the owner role could act as the owner, so none of these may hold.
ALTER ROLE ${sentinel_app_role} LOGIN NOSUPERUSER NOBYPASSRLS NOREPLICATION NOCREATEROLE NOCREATEDB;
REVOKE ${sentinel_owner_role} FROM ${sentinel_app_role};

-- The system scope's own role, for the system pool (claims, sealing, tenant and user
-- administration): the only runtime role that the system_scope policies apply to. It holds every
-- privilege of the application role by membership (INHERIT), so a service's grants to the
-- application role reach it too; the application role is never a member of it.
ALTER ROLE ${sentinel_system_role} LOGIN NOSUPERUSER NOBYPASSRLS NOREPLICATION NOCREATEROLE NOCREATEDB INHERIT;
REVOKE ${sentinel_owner_role} FROM ${sentinel_system_role};
REVOKE ${sentinel_system_role} FROM ${sentinel_app_role};
GRANT ${sentinel_app_role} TO ${sentinel_system_role};

-- The owner's tenant purge (dev.sentinel.core.lifecycle.TenantPurge) sets session_replication_role
-- = replica for each of its own transactions, so that a closed tenant's rows leave the tables
-- without an audit row each and past the append-only and immutability guards of modules' tables
-- (PostgreSQL 15 or newer). The runtime roles cannot set it; the owner could already disable any
-- trigger of its tables, so this grants it no new power over the data.
GRANT SET ON PARAMETER session_replication_role TO ${sentinel_owner_role};

-- On a Citus coordinator the purge's SET LOCAL reaches the workers, which check the privilege
-- themselves, and Citus propagates roles but not parameter privileges: grant it on every worker too.
-- run_command_on_workers opens connections of its own, which see the roles only once their creation
-- has committed, so this part runs in a transaction of its own (psql commits each statement; the
-- JDBC bootstrap splits the script at the next line).
-- sentinel:new-transaction
DO $citus$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN
        IF EXISTS (SELECT FROM run_command_on_workers(
                'GRANT SET ON PARAMETER session_replication_role TO ${sentinel_owner_role}') WHERE NOT success) THEN
            RAISE EXCEPTION 'could not grant SET ON PARAMETER session_replication_role to ${sentinel_owner_role} on every Citus worker'
                USING HINT = 'Run the GRANT as a superuser on each worker.';
        END IF;
    END IF;
END
$citus$;
