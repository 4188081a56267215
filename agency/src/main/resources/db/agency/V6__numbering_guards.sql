-- Invoice numbers kept by the database: an invoice is born a draft, and becomes numbered only with
-- the number the kernel's counter allocated for it (sentinel.next_number, which issue() calls in the
-- same statement), printed in its series' format. Raw SQL through the application role can no longer
-- insert an issued invoice with any number (a gap, no lines, arbitrary totals), nor take the next
-- number without the counter (which made every later issue() fail with a unique violation); the
-- counters themselves are writable only through sentinel.next_number (kernel V14).

-- The number as issue() prints it: the format's {series}, {yyyy} and {yy} filled in, and the counter
-- padded to as many digits as the format has zeros (never cut: a longer counter prints in full).
create function agency.format_invoice_number(p_format text, p_series text, p_year integer, p_counter bigint) returns text
    language sql immutable parallel safe
    as $$
    select replace(replace(replace(
               replace(p_format, '{' || zeros || '}',
                       case when length(p_counter::text) >= length(zeros) then p_counter::text
                            else lpad(p_counter::text, length(zeros), '0') end),
               '{series}', p_series),
               '{yyyy}', lpad(p_year::text, 4, '0')),
               '{yy}', lpad((p_year % 100)::text, 2, '0'))
      from (select substring(p_format from '\{(0{1,12})\}') as zeros) z
$$;
comment on function agency.format_invoice_number(text, text, integer, bigint) is
    'An invoice number printed in a series'' number format, as issue() prints it: {series}, {yyyy}, {yy} filled in and '
    'the counter zero-padded to the width of {000000}.';

-- An invoice enters the table as a draft; only the issue (an update) numbers it.
create function agency.guard_invoice_insert() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    if new.status <> 'draft' then
        raise exception using errcode = 'check_violation', constraint = 'invoices_numbering_guard',
            schema = tg_table_schema, table = tg_table_name,
            message = format('an invoice is created as a draft, not %s', new.status),
            hint = 'Create a draft, then issue it (Invoices.issue), which numbers it from the series'' counter.';
    end if;
    return new;
end
$$;
comment on function agency.guard_invoice_insert() is
    'BEFORE INSERT trigger of invoices: a new invoice is a draft; only issuing numbers it.';

create trigger invoices_insert_guard
    before insert on agency.invoices
    for each row execute function agency.guard_invoice_insert();

-- The issue numbers the draft with the counter's value, which sentinel.next_number has just moved
-- in this transaction (the counter row stays locked until commit, so no one else moves it in
-- between), printed in the series' current format.
create function agency.guard_invoice_number() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    allocated     bigint := sentinel.last_number('agency.invoices:' || new.series, new.sequence_year::text);
    series_format text;
begin
    select s.number_format into series_format from agency.invoice_series s where s.tenant_id = new.tenant_id and s.series = new.series;
    if new.sequence_number is distinct from allocated
            or new.number is distinct from agency.format_invoice_number(series_format, new.series, new.sequence_year, allocated) then
        raise exception using errcode = 'check_violation', constraint = 'invoices_numbering_guard',
            schema = tg_table_schema, table = tg_table_name,
            message = format('invoice %s cannot be issued as %s (%s): the counter of series %s in %s stands at %s',
                             new.id, new.number, new.sequence_number, new.series, new.sequence_year, allocated),
            hint = 'Issue with Invoices.issue, which takes the number from the counter (sentinel.next_number) in the same statement.';
    end if;
    return new;
end
$$;
comment on function agency.guard_invoice_number() is
    'BEFORE UPDATE trigger of invoices, on issue: the number is the one the series'' counter just allocated, in the series'' format.';

create trigger invoices_numbering_guard
    before update on agency.invoices
    for each row when (old.status = 'draft' and new.status <> 'draft')
    execute function agency.guard_invoice_number();
