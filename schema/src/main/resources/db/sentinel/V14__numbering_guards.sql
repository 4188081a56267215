-- Numbering kept by the database: a counter moves only through sentinel.next_number, and a module
-- whose rows carry numbers asks sentinel.last_number, in the trigger that guards its numbered state,
-- whether a row's number is the one the counter allocated. Raw SQL through the application role can
-- then neither set a counter (a gap, or a number that makes every later issue fail with a unique
-- violation) nor number a row without the counter.

-- next_number runs with its owner's rights, so the application role needs, and keeps, no write
-- privilege on the counters. The owner obeys the counters' row-level security too (FORCE), so the
-- function still numbers only in the caller's tenant; its fixed search_path (V8) keeps a caller's
-- objects out of it.
alter function sentinel.next_number(text, text) security definer;
revoke insert, update, delete, truncate on sentinel.number_counters from ${sentinel_app_role};

comment on table sentinel.number_counters is
    'The gap-free counter of one (tenant, series, period), advanced only by sentinel.next_number (which runs '
    'as the owner: the application role may read the counters, never write them). '
    'sentinel:unaudited a counter; the row it numbers is audited.';

-- What a module's guard compares a row's number with: the counter's value, which only next_number
-- moves. Called in the same transaction right after next_number, it sees that call's increment.
create function sentinel.last_number(p_series text, p_period text default '') returns bigint
    language sql stable
    as $$
    select coalesce((select last_value from sentinel.number_counters
                     where tenant_id = sentinel.current_tenant_id() and series = p_series and period = p_period), 0)
$$;
comment on function sentinel.last_number(text, text) is
    'The last number sentinel.next_number allocated in the current tenant''s counter (p_series, p_period), 0 '
    'before the first or with no tenant set. A module''s trigger refuses a row that enters its numbered state '
    'with any other number, so that only the numbering path numbers rows.';
