-- The acting user's id, with the cast to uuid outside the CASE (issue 26). V10's body cast inside
-- the THEN branch, which plain PostgreSQL evaluates only when the setting is a uuid. Citus, before
-- it sends an insert into a distributed table to a shard, evaluates on the coordinator every
-- function call of the row's values that is not immutable, each on its own and whatever branch it
-- sits in: the audit row's actor_id default then failed for a service actor with "invalid input
-- syntax for type uuid: "service:..."". Here the CASE yields the setting or null, and only that is
-- cast. Still one SELECT of an expression, so the planner still inlines it into the default.
create or replace function sentinel.current_actor_id() returns uuid
    language sql stable parallel safe
    as $$
    select (case when pg_catalog.current_setting('sentinel.actor_id', true)
                      ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
                 then pg_catalog.current_setting('sentinel.actor_id', true) end)::uuid
$$;

-- V10's column privileges on a cluster. Citus checks them on the logical table (the coordinator's,
-- or a worker's shell table for a write from a shard's trigger), then sends the shard an insert
-- that names every column, the defaults evaluated: the application role needs INSERT on the whole
-- of each placement, or no audit row is written at all ("permission denied for table
-- audit_log_102014"). A placement is a table the role could name directly (the coordinator holds
-- one of system_audit_log), so a trigger on the placements sets the actor columns from the
-- transaction's settings, whatever the insert says: V10's guarantee, kept below the logical table.
-- Citus creates a moved or split shard from the logical table's privileges: run
-- sentinel.grant_audit_placements() again after rebalancing (docs/recipes.md).
create function sentinel.audit_row_actor() returns trigger
    language plpgsql
    as $$
begin
    new.actor_type := sentinel.current_actor_type();
    new.actor_id := sentinel.current_actor_id();
    new.actor_label := sentinel.current_actor_label();
    return new;
end
$$;
comment on function sentinel.audit_row_actor() is
    'BEFORE INSERT row trigger of the audit trails on Citus: the actor columns are the transaction''s, whatever '
    'the insert names (the placements'' privileges cannot refuse them, see sentinel.grant_audit_placements).';

create function sentinel.grant_audit_placements() returns void
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    if not sentinel.on_citus_coordinator() then
        return; -- plain PostgreSQL: the column privileges hold where the rows are
    end if;
    perform run_command_on_placements(t, format('grant insert on %%s to %I', '${sentinel_app_role}'))
       from unnest(array['sentinel.audit_log', 'sentinel.system_audit_log']::regclass[]) as t;
end
$$;
comment on function sentinel.grant_audit_placements() is
    'On a Citus coordinator, grants the application role INSERT on every placement of the audit trails, which '
    'Citus needs because it sends a shard every column; the logical tables keep V10''s column privileges. Run it '
    'again after moving or splitting shards. A no-op on plain PostgreSQL.';
revoke execute on function sentinel.grant_audit_placements() from public;

do $$
begin
    if not sentinel.on_citus_coordinator() then
        return;
    end if;
    perform set_config('citus.enable_unsafe_triggers', 'on', true);
    create trigger audit_log_actor before insert on sentinel.audit_log
        for each row execute function sentinel.audit_row_actor();
    create trigger system_audit_log_actor before insert on sentinel.system_audit_log
        for each row execute function sentinel.audit_row_actor();
    perform sentinel.grant_audit_placements();
end
$$;
