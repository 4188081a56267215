-- The database's guards on a Citus cluster (issue 26), where three of them could not run as written.
-- Nothing changes on plain PostgreSQL but one new, unattached trigger function.
--
-- 1. The counters. V14 made sentinel.next_number run as the owner, so that the application role
--    needs no write privilege on number_counters. On Citus a transaction reaches a worker over one
--    connection per role, and Citus refuses to touch, as the owner, a placement that the same
--    transaction has already written as the application role (the order, then its number): "cannot
--    perform query on placements that were modified in this transaction by a different user". So on
--    a cluster next_number runs as its caller, the application role may insert and update the
--    counters, and this trigger keeps what V14 kept: a counter is created at 1 and moves by one,
--    never set, lowered or re-keyed (raw SQL can still not skip ahead or make later issues collide);
--    deleting stays revoked. What is weaker than on plain PostgreSQL, and docs/recipes.md says it:
--    raw SQL of the application role can take the next number without a row to carry it, a gap.
create function sentinel.guard_number_counter() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    if tg_op = 'INSERT' and new.last_value = 1 then
        return new;
    end if;
    if tg_op = 'UPDATE' and new.tenant_id = old.tenant_id and new.series = old.series and new.period = old.period
            and new.last_value = old.last_value + 1 then
        return new;
    end if;
    raise exception using errcode = 'insufficient_privilege', schema = 'sentinel', table = 'number_counters',
        message = 'permission denied for table number_counters: a counter starts at 1 and moves by one',
        hint = 'Take numbers with sentinel.next_number (tx.numbering().next); counters are not set by hand.';
end
$$;
comment on function sentinel.guard_number_counter() is
    'BEFORE INSERT/UPDATE trigger of number_counters on Citus, where next_number runs as its caller: a counter '
    'is created at 1 and advances by exactly one, with its key unchanged. Not attached on plain PostgreSQL.';

-- 2. Functions that a row trigger calls on a shard and that read other tables: the permission
--    check of the authorization guards (V15) and the counter the numbering guards compare with
--    (V14, modules' triggers). Citus refuses a query inside a task unless the function allows
--    nested execution; these read reference tables, whose copy on that node is current within the
--    distributed transaction, and shards of the statement's own tenant, which sit on that node.
--    V14's last_number, an SQL function whose parameters reach its query, Citus cannot plan at all
--    ("the use of parameters in SQL functions"): on a cluster it is PL/pgSQL, with the tenant,
--    series and period written into its query. V15's actor_holds could not run there either: its
--    tenant predicate is a function call, so its query went to every shard, which a worker cannot
--    start, and Citus failed to plan it ("a column definition list is required for functions
--    returning record"). On a cluster it asks the same two questions apart: the global grants
--    (reference tables, read on this node), then the tenant's, with the tenant id written into the
--    query so that it runs on the tenant's shards, colocated with the row being written.
--
-- 3. The plan guard (V15) sits on tenants, a reference table, whose row trigger fires on every
--    node's copy; only the coordinator's copy checks (sentinel.audits_here), as for the audit.
do $do$
begin
    if not sentinel.on_citus_coordinator() then
        return;
    end if;
    perform set_config('citus.enable_unsafe_triggers', 'on', true);
    alter function sentinel.next_number(text, text) security invoker;
    grant insert, update on sentinel.number_counters to ${sentinel_app_role};
    create trigger number_counters_guard
        before insert or update on sentinel.number_counters
        for each row execute function sentinel.guard_number_counter();
    create or replace function sentinel.actor_holds(p_permission text) returns boolean
        language plpgsql stable
        set search_path = pg_catalog, pg_temp
        set citus.allow_nested_distributed_execution = on
        as $$
    declare
        actor text := nullif(current_setting('sentinel.actor_id', true), '');
        actor_user uuid;
        tenant uuid := sentinel.current_tenant_id();
        held boolean;
    begin
        if actor is null then
            return false;
        end if;
        if actor like 'service:%' then
            return true;
        end if;
        actor_user := actor::uuid;
        if not sentinel.user_is_active(actor_user) then
            return false;
        end if;
        select true into held
          from sentinel.global_role_assignments g
          join sentinel.role_permissions rp on rp.role_id = g.role_id
          join sentinel.permissions p on p.id = rp.permission_id and p.key = p_permission
         where g.user_id = actor_user
         limit 1;
        if held or tenant is null then
            return coalesce(held, false);
        end if;
        execute format($q$
            select true
              from sentinel.tenant_role_assignments a
              join sentinel.tenant_members m on m.tenant_id = a.tenant_id and m.user_id = a.user_id and m.status = 'active'
              join sentinel.role_permissions rp on rp.role_id = a.role_id
              join sentinel.permissions p on p.id = rp.permission_id and p.key = %L
             where a.tenant_id = %L and m.tenant_id = %L and a.user_id = %L and a.resource_id is null
             limit 1$q$, p_permission, tenant, tenant, actor_user)
           into held;
        return coalesce(held, false);
    end
    $$;
    drop trigger tenants_plan_guard on sentinel.tenants;
    create trigger tenants_plan_guard
        before update of plan on sentinel.tenants
        for each row when (old.plan is distinct from new.plan and sentinel.audits_here('sentinel.tenants'))
        execute function sentinel.guard_tenant_plan();
    create or replace function sentinel.last_number(p_series text, p_period text default '') returns bigint
        language plpgsql stable
        set search_path = pg_catalog, pg_temp
        set citus.allow_nested_distributed_execution = on
        as $$
    declare
        tenant uuid := sentinel.current_tenant_id();
        counter bigint;
    begin
        if tenant is null then
            return 0;
        end if;
        execute format('select last_value from sentinel.number_counters where tenant_id = %L and series = %L and period = %L',
                       tenant, p_series, p_period)
           into counter;
        return coalesce(counter, 0);
    end
    $$;
end
$do$;
