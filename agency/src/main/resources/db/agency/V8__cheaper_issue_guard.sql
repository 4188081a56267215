-- The checks of an issue run under the counter's lock: sentinel.next_number locks the counter row
-- in the issuing statement, before the invoice's triggers fire, and the lock is held until commit,
-- so every microsecond of these triggers serializes the issuers of a series. Until now an issue
-- fired two triggers that asked four questions in four calls: invoices_guard (V2: the status
-- transition, the lines and totals) and invoices_numbering_guard (V6: sentinel.last_number, the
-- series' format, agency.format_invoice_number). Now the numbering guard, which fires on exactly
-- the same updates (a draft leaving draft), checks all of it in one query, in the order the two
-- triggers checked it, and invoices_guard fires only on the updates of an issued, paid or void
-- invoice. What is refused, and the constraint names of the refusals, are unchanged.
create or replace function agency.guard_invoice_number() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    line_count integer;
    line_net   numeric;
    allocated  bigint;
    expected   text;
begin
    if new.status <> 'issued' then
        raise exception using errcode = 'check_violation', constraint = 'invoices_status_transition',
            schema = tg_table_schema, table = tg_table_name,
            message = format('a draft cannot become %s', new.status),
            hint = 'Issue the draft first.';
    end if;
    -- One row whatever exists: the lines' count and sum; the counter as sentinel.last_number reads
    -- it (the current tenant's, 0 before the first number) and the number it prints in the format.
    select l.n, l.net, coalesce(k.last_value, 0),
           agency.format_invoice_number(k.number_format, new.series, new.sequence_year, k.last_value)
      into line_count, line_net, allocated, expected
      from (select count(*)::integer as n, coalesce(sum(i.line_total), 0) as net
              from agency.invoice_items i where i.tenant_id = new.tenant_id and i.invoice_id = new.id) l
      left join (select s.number_format, c.last_value
                   from agency.invoice_series s
                   left join sentinel.number_counters c
                     on c.tenant_id = sentinel.current_tenant_id() and c.series = 'agency.invoices:' || new.series
                    and c.period = new.sequence_year::text
                  where s.tenant_id = new.tenant_id and s.series = new.series) k on true;
    if line_count = 0 or new.net_total is distinct from line_net or new.net_total <= 0 or new.gross_total <= 0
            or extract(year from new.issued_on) <> new.sequence_year then
        raise exception using errcode = 'check_violation', constraint = 'invoices_issue_check',
            schema = tg_table_schema, table = tg_table_name,
            message = format('invoice %s cannot be issued: %s lines totalling %s, net_total %s, gross_total %s, '
                             'issued_on %s, sequence_year %s', new.id, line_count, line_net, new.net_total,
                             new.gross_total, new.issued_on, new.sequence_year),
            hint = 'Issue with at least one line, net_total equal to the sum of the line totals, positive totals, '
                   'and sequence_year the year of issued_on.';
    end if;
    if new.sequence_number is distinct from allocated or new.number is distinct from expected then
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
    'BEFORE UPDATE trigger of invoices, on issue (a draft leaving draft): only to issued, with lines whose sum is the '
    'net total, positive totals, the year of the issue date, and the number the series'' counter just allocated, in the '
    'series'' format.';

-- invoices_guard keeps the rules of an issued, paid or void invoice (immutability, paid and void);
-- the issue itself is the numbering guard's above. Same name, so the reference and the errors stay.
drop trigger invoices_guard on agency.invoices;
create trigger invoices_guard
    before update on agency.invoices
    for each row when (old.status <> 'draft')
    execute function agency.guard_invoice();
