-- Numbering: the counter's statement as cheap as the bare counter row (issue 27).
--
-- Measured (docs/decisions.md, issue 27, third part): a transaction of sentinel.next_number alone
-- cost about a fifth more than the same counter row written directly, and the difference was
-- not the call: the increment inside it took 27 to 46 µs against 15 to 27 for the same statement
-- on a copy of the table without V8's two format checks (series, period). PostgreSQL prepares
-- every CHECK constraint of a table again for each statement that writes a row, and checks them
-- all on every update, so each increment paid for two regular expressions over columns it never
-- changes. A copy with the same checks written without regular expressions cost the same: the
-- preparation, not the expression, is the price.
--
-- So the format of a counter's key is checked where the key is written, and only there: a BEFORE
-- INSERT or UPDATE OF series, period trigger whose WHEN clause tests the same two patterns (no call
-- unless one fails, then the same SQLSTATE and constraint names as the checks had). An increment
-- updates neither column, so it fires nothing. And next_number increments with a plain UPDATE of
-- the row first, the INSERT ... ON CONFLICT only when the counter does not exist yet (its first
-- use, or a concurrent first use, which ON CONFLICT still serializes): the update is the cheaper
-- statement (no proposed row, no arbiter index probe before the update) and the one that runs
-- every time but the first. Same lock, same row, same rollback: gap-free as before.
--
-- Outside Citus only. On a Citus coordinator next_number runs as its caller (V22) with its own
-- guard trigger, and a new trigger on a distributed table needs citus.enable_unsafe_triggers; none
-- of it could be tried on a cluster, so there the table keeps its checks and the function V22's body.

-- Raises the refusal the WHEN clause of number_counters_key_format found; not attached on Citus.
create function sentinel.refuse_number_counter_key() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    if new.series !~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,62}$' then
        raise exception using errcode = 'check_violation', constraint = 'number_counters_series_format',
            schema = tg_table_schema, table = tg_table_name,
            message = format('new row for relation "number_counters" violates check constraint '
                             '"number_counters_series_format": series %L', new.series),
            hint = 'A series is letters, digits and _ . : -, starting with a letter or digit, at most 63 characters.';
    end if;
    raise exception using errcode = 'check_violation', constraint = 'number_counters_period_format',
        schema = tg_table_schema, table = tg_table_name,
        message = format('new row for relation "number_counters" violates check constraint '
                         '"number_counters_period_format": period %L', new.period),
        hint = 'A period is letters, digits and _ . -, at most 32 characters; empty for a counter that never restarts.';
end
$$;
comment on function sentinel.refuse_number_counter_key() is
    'BEFORE INSERT/UPDATE OF series, period trigger of number_counters, called only when its WHEN clause found a '
    'malformed series or period: refuses it as the check constraints number_counters_series_format and '
    'number_counters_period_format did (SQLSTATE 23514). Not attached on Citus, where the checks stay.';

do $do$
begin
    if sentinel.on_citus_coordinator() then
        return;
    end if;
    alter table sentinel.number_counters
        drop constraint number_counters_series_format,
        drop constraint number_counters_period_format;
    create trigger number_counters_key_format
        before insert or update of series, period on sentinel.number_counters
        for each row
        when (new.series !~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,62}$' or new.period !~ '^[A-Za-z0-9_.-]{0,32}$')
        execute function sentinel.refuse_number_counter_key();

    create or replace function sentinel.next_number(p_series text, p_period text default '') returns bigint
        language plpgsql volatile
        security definer -- as V14 made it: counters move only through this function
        set search_path = pg_catalog, pg_temp
        as $$
    declare
        tenant    uuid := sentinel.current_tenant_id();
        allocated bigint;
    begin
        if tenant is null then
            raise exception 'numbering needs a tenant scope'
                using errcode = 'insufficient_privilege',
                      hint = 'Call sentinel.next_number in a transaction with sentinel.tenant_id set: counters belong to a tenant.';
        end if;
        -- Every use but the first: the row exists; the update locks it until the transaction ends.
        update sentinel.number_counters c
           set last_value = c.last_value + 1, updated_at = now()
         where c.tenant_id = tenant and c.series = p_series and c.period = p_period
        returning c.last_value into allocated;
        if found then
            return allocated;
        end if;
        -- The first use; a concurrent first use waits on the conflict, then increments.
        insert into sentinel.number_counters as c (tenant_id, series, period, last_value, updated_at)
        values (tenant, p_series, p_period, 1, now())
        on conflict (tenant_id, series, period)
            do update set last_value = c.last_value + 1, updated_at = now()
        returning c.last_value into allocated;
        return allocated;
    end
    $$;
end
$do$;
