-- Sentinel role bootstrap. Roles are cluster-wide, so they are created here and not in the
-- versioned migrations. Run it as a superuser on every cluster that hosts Sentinel, before the first
-- migration; it is idempotent and re-asserts the attributes each time, so running it again repairs
-- a role that someone widened by hand. It sets no password: give each role one with \password.
--
-- Render it with your role names (defaults sentinel_owner, sentinel_app):
--   java -cp sentinel-schema.jar dev.sentinel.schema.DatabaseBootstrap [owner] [app] | psql -U postgres
DO $bootstrap$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${sentinel_owner_role}') THEN
        CREATE ROLE ${sentinel_owner_role} LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${sentinel_app_role}') THEN
        CREATE ROLE ${sentinel_app_role} LOGIN;
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
