-- Billing, part two: the rules V8 left to the Billing issue. The tenant's time zone is validated
-- (invoice years are computed in it); number series with their kind (invoice or credit note) and
-- number format; credit notes; the totals an invoice is issued with; exact amounts at any
-- currency's scale; issued invoices and their lines made immutable by triggers, so raw SQL cannot
-- edit them either; ledger entries made append-only.

-- ---------------------------------------------------------------------------------------------
-- The tenant's time zone. V1 stores an IANA name (default 'UTC') without checking it. An invoice's
-- year is its issue date's year in that zone, computed by the runtime with java.time, so the name
-- must be one that both PostgreSQL and Java know. PostgreSQL's list minus the names Java rejects
-- (EST, HST, MST, ROC: legacy abbreviations; Factory; posixrules, localtime; posix/ and right/
-- copies). A trigger rather than a CHECK: the list lives in the server's tzdata, which is not
-- immutable, so a CHECK could fail a restore after a tzdata update.
create function sentinel.is_time_zone_name(zone text) returns boolean
    language sql stable
    set search_path = pg_catalog, pg_temp
    as $$
    select zone !~ '^(posix|right)/'
       and zone not in ('EST', 'HST', 'MST', 'ROC', 'Factory', 'posixrules', 'localtime')
       and exists (select from pg_timezone_names where name = zone)
$$;
comment on function sentinel.is_time_zone_name(text) is
    'True for an IANA time zone name that PostgreSQL and java.time both know, such as Europe/Berlin.';

create function sentinel.check_tenant_time_zone() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    if not sentinel.is_time_zone_name(new.time_zone) then
        raise exception using errcode = 'check_violation', constraint = 'tenants_time_zone_check',
            schema = tg_table_schema, table = tg_table_name,
            message = format('%L is not a time zone name', new.time_zone),
            hint = 'Use an IANA name such as Europe/Berlin, America/New_York or UTC.';
    end if;
    return new;
end
$$;
comment on function sentinel.check_tenant_time_zone() is
    'BEFORE INSERT/UPDATE OF time_zone trigger of tenants: rejects a name that is not a time zone.';

create trigger tenants_time_zone_check
    before insert or update of time_zone on sentinel.tenants
    for each row execute function sentinel.check_tenant_time_zone();

comment on column sentinel.tenants.time_zone is
    'IANA time zone of the tenant (default UTC); invoice years and reporting periods are computed in it. '
    'Checked by a trigger against the names PostgreSQL and java.time both know.';


-- ---------------------------------------------------------------------------------------------
-- Number series. A series belongs to one kind of document, so credit notes can never share a
-- counter with invoices: invoices reference (tenant_id, series, kind). The row is created on first
-- use with the default format; a tenant may change the format (numbers already issued keep theirs).
create table sentinel.invoice_series (
    tenant_id     uuid        not null,
    series        text        not null,
    kind          text        not null,
    number_format text        not null default '{series}-{yyyy}-{000000}',
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    constraint invoice_series_pkey primary key (tenant_id, series),
    -- Target of invoices' (tenant_id, series, kind) foreign key.
    constraint invoice_series_kind_key unique (tenant_id, series, kind),
    constraint invoice_series_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    constraint invoice_series_series_format check (series ~ '^[A-Z0-9]{1,10}$'),
    constraint invoice_series_kind_check check (kind in ('invoice', 'credit_note')),
    -- Literal characters and the tokens {series}, {yyyy} or {yy} (exactly one year) and {0...0}
    -- (exactly one number, zero-padded to as many digits as there are zeros). The year keeps
    -- numbers unique across years: the counter starts again at 1 every year.
    constraint invoice_series_number_format_check check (
        char_length(number_format) <= 60
        and number_format ~ '^([A-Za-z0-9/_.#-]|\{series\}|\{yyyy\}|\{yy\}|\{0{1,12}\})+$'
        and regexp_count(number_format, '\{(yyyy|yy)\}') = 1
        and regexp_count(number_format, '\{0{1,12}\}') = 1)
);

comment on table sentinel.invoice_series is
    'A number series of a tenant (INV, CR, ...): the kind of document it numbers and its number format. '
    'Created on first use; each (series, year) has its counter row in invoice_sequences.';
comment on column sentinel.invoice_series.kind is 'invoice or credit_note: the only kind of document numbered in this series.';
comment on column sentinel.invoice_series.number_format is
    'How numbers are printed: literal text and {series}, {yyyy} or {yy}, and {000000} (the counter, zero-padded '
    'to that many digits, never cut). Default {series}-{yyyy}-{000000}, for example INV-2026-000042.';

create trigger invoice_series_touch_updated_at
    before update on sentinel.invoice_series
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.invoice_series');
select sentinel.audit_table('sentinel.invoice_series');


-- ---------------------------------------------------------------------------------------------
-- Invoices: kind, credit notes, issue date and frozen totals.
alter table sentinel.invoices
    add column kind                text not null default 'invoice',
    add column corrects_invoice_id uuid,
    add column issued_on           date,
    add column net_total           numeric(20, 4),
    add column tax_total           numeric(20, 4),
    add column gross_total         numeric(20, 4);

comment on column sentinel.invoices.kind is 'invoice, or credit_note (a correction of an issued invoice, in a series of its own).';
comment on column sentinel.invoices.corrects_invoice_id is 'For a credit note: the invoice it corrects; null for an invoice.';
comment on column sentinel.invoices.issued_on is
    'The issue date in the tenant''s time zone; its year is sequence_year. Null while a draft.';
comment on column sentinel.invoices.net_total is
    'Sum of the line totals, frozen on issue; null while a draft (drafts are totalled on read).';
comment on column sentinel.invoices.tax_total is
    'Tax, rounded per tax rate to the currency''s scale, frozen on issue; null while a draft.';
comment on column sentinel.invoices.gross_total is 'net_total plus tax_total, frozen on issue; null while a draft.';

-- Data written before this migration: series rows for the series in use, and the totals and issue
-- date of invoices issued already (lines were rounded to cents then, so 2 decimals). Owner-run data
-- migrations must enter the system scope, or row-level security shows them no rows.
set local sentinel.scope = 'system';

insert into sentinel.invoice_series (tenant_id, series, kind)
select distinct tenant_id, series, 'invoice' from sentinel.invoices;

update sentinel.invoices i
   set net_total = coalesce(t.net, 0),
       tax_total = coalesce(t.tax, 0),
       gross_total = coalesce(t.net, 0) + coalesce(t.tax, 0),
       issued_on = (i.issued_at at time zone (select time_zone from sentinel.tenants where id = i.tenant_id))::date
  from sentinel.invoices d
  left join (select tenant_id, invoice_id, sum(base) as net, sum(round(base * tax_rate / 100, 2)) as tax
               from (select tenant_id, invoice_id, tax_rate, sum(line_total) as base
                       from sentinel.invoice_items group by tenant_id, invoice_id, tax_rate) per_rate
              group by tenant_id, invoice_id) t on t.tenant_id = d.tenant_id and t.invoice_id = d.id
 where d.tenant_id = i.tenant_id and d.id = i.id and i.status <> 'draft';

set local sentinel.scope = '';

alter table sentinel.invoices
    add constraint invoices_kind_check check (kind in ('invoice', 'credit_note')),
    add constraint invoices_series_fkey foreign key (tenant_id, series, kind)
        references sentinel.invoice_series (tenant_id, series, kind) on delete restrict,
    -- A credit note corrects an invoice of the same tenant; the invoice cannot be removed under it.
    add constraint invoices_corrects_fkey foreign key (tenant_id, corrects_invoice_id)
        references sentinel.invoices (tenant_id, id) on delete restrict,
    add constraint invoices_credit_note_check check ((kind = 'credit_note') = (corrects_invoice_id is not null)),
    -- Totals and issue date are there exactly when the number is.
    add constraint invoices_totals_check check (
        (status = 'draft') = (issued_on is null)
        and (status = 'draft') = (net_total is null)
        and (net_total is null) = (tax_total is null)
        and (net_total is null) = (gross_total is null)
        and gross_total = net_total + tax_total
        and tax_total >= 0);

create index invoices_corrects_idx on sentinel.invoices (tenant_id, corrects_invoice_id);

-- A series comes into being with its first document, whoever writes it (the runtime, the generic
-- repository, raw SQL): the row is created with the document's kind if missing. If the series
-- exists with the other kind, nothing is inserted and the foreign key refuses the document.
create function sentinel.create_invoice_series() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    insert into sentinel.invoice_series (tenant_id, series, kind)
    values (new.tenant_id, new.series, new.kind)
    on conflict (tenant_id, series) do nothing;
    return new;
end
$$;
comment on function sentinel.create_invoice_series() is
    'BEFORE INSERT/UPDATE OF series trigger of invoices: creates the document''s series, with its kind, on first use.';

create trigger invoices_create_series
    before insert or update of series, kind on sentinel.invoices
    for each row execute function sentinel.create_invoice_series();


-- ---------------------------------------------------------------------------------------------
-- Lines at any currency's scale. V8 computed line_total in the database, rounded to cents, which
-- is wrong for JPY (0 decimals) and BHD (3). The runtime now computes it with the currency's scale
-- and the documented rounding (half up); DROP EXPRESSION keeps the values already stored. Unit
-- prices may be finer than the currency (0.0125 EUR per call), up to 6 decimals.
alter table sentinel.invoice_items alter column line_total drop expression;
alter table sentinel.invoice_items
    alter column unit_price type numeric(18, 6),
    alter column line_total type numeric(18, 4),
    alter column line_total set not null;

comment on column sentinel.invoice_items.unit_price is 'Net price per unit, up to 6 decimals; negative for a discount line.';
comment on column sentinel.invoice_items.line_total is
    'quantity times unit_price, rounded half up to the invoice currency''s scale (ISO 4217: 2 for EUR, 0 for JPY); '
    'computed by the runtime.';

-- Ledger amounts at any currency's scale (up to 4 decimals, as in ISO 4217).
alter table sentinel.ledger_entries alter column amount type numeric(18, 4);


-- ---------------------------------------------------------------------------------------------
-- Issued invoices are immutable. A draft may change freely and become issued; the issue itself is
-- checked (lines exist, totals match them, the year is the issue date's). After that only
-- issued -> paid (paid_at) and issued -> void (voided_at, void_reason) may change anything, and
-- nothing else changes with them. Compared as jsonb of the whole row, so a column added later is
-- immutable too unless named here. Errors are check violations naming the rule as the constraint.
create function sentinel.guard_invoice() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    mutable    text[] := array['updated_at', 'version'];
    line_count integer;
    line_net   numeric;
begin
    if tg_op = 'DELETE' then
        raise exception using errcode = 'check_violation', constraint = 'invoices_issued_immutable',
            schema = tg_table_schema, table = tg_table_name,
            message = format('invoice %s is %s and cannot be deleted', old.number, old.status),
            hint = 'An issued invoice keeps its number for good: void it, or correct it with a credit note.';
    end if;

    if old.status = 'draft' then
        if new.status <> 'issued' then
            raise exception using errcode = 'check_violation', constraint = 'invoices_status_transition',
                schema = tg_table_schema, table = tg_table_name,
                message = format('a draft cannot become %s', new.status),
                hint = 'Issue the draft first.';
        end if;
        select count(*), coalesce(sum(line_total), 0) into line_count, line_net
          from sentinel.invoice_items where tenant_id = new.tenant_id and invoice_id = new.id;
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
        return new;
    end if;

    if new.status <> old.status then
        if old.status = 'issued' and new.status = 'paid' then
            mutable := mutable || array['status', 'paid_at'];
        elsif old.status = 'issued' and new.status = 'void' then
            mutable := mutable || array['status', 'voided_at', 'void_reason'];
        else
            raise exception using errcode = 'check_violation', constraint = 'invoices_status_transition',
                schema = tg_table_schema, table = tg_table_name,
                message = format('invoice %s cannot move from %s to %s', old.number, old.status, new.status),
                hint = 'Only issued -> paid and issued -> void are allowed.';
        end if;
    end if;
    if (to_jsonb(new) - mutable) is distinct from (to_jsonb(old) - mutable) then
        raise exception using errcode = 'check_violation', constraint = 'invoices_issued_immutable',
            schema = tg_table_schema, table = tg_table_name,
            message = format('invoice %s is %s and cannot be changed', old.number, old.status),
            hint = 'Correct an issued invoice with a credit note, or void it.';
    end if;
    return new;
end
$$;
comment on function sentinel.guard_invoice() is
    'BEFORE UPDATE/DELETE trigger of invoices: checks the issue, then allows only issued -> paid and issued -> void.';

create trigger invoices_guard
    before update on sentinel.invoices
    for each row when (old.status <> 'draft' or new.status <> 'draft')
    execute function sentinel.guard_invoice();

create trigger invoices_guard_delete
    before delete on sentinel.invoices
    for each row when (old.status <> 'draft')
    execute function sentinel.guard_invoice();

-- The lines of an issued invoice are frozen with it. FOR SHARE on the invoice makes a line written
-- concurrently with the invoice's issue wait for it (and then fail), instead of slipping in
-- after the totals were computed. (A line deleted by the cascade of a draft's delete finds no
-- invoice: allowed.)
create function sentinel.guard_invoice_item() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    line           record;
    invoice_status text;
    invoice_number text;
begin
    -- The invoice the line leaves (update, delete) and the one it joins (insert, update).
    foreach line in array case tg_op when 'INSERT' then array[new] when 'DELETE' then array[old] else array[old, new] end loop
        select status, number into invoice_status, invoice_number
          from sentinel.invoices where tenant_id = line.tenant_id and id = line.invoice_id for share;
        if invoice_status <> 'draft' then
            raise exception using errcode = 'check_violation', constraint = 'invoice_items_issued_immutable',
                schema = tg_table_schema, table = tg_table_name,
                message = format('invoice %s is %s: its lines cannot be added, changed or removed',
                                 invoice_number, invoice_status),
                hint = 'Correct an issued invoice with a credit note, or void it.';
        end if;
    end loop;
    if tg_op = 'DELETE' then
        return old;
    end if;
    return new;
end
$$;
comment on function sentinel.guard_invoice_item() is
    'BEFORE INSERT/UPDATE/DELETE trigger of invoice_items: the lines of an issued, paid or void invoice are frozen.';

create trigger invoice_items_guard
    before insert or update or delete on sentinel.invoice_items
    for each row execute function sentinel.guard_invoice_item();


-- ---------------------------------------------------------------------------------------------
-- Ledger entries are records of fact: a mistake is corrected by a new entry (V8's comment), now
-- enforced for every role.
create function sentinel.reject_ledger_change() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
begin
    raise exception using errcode = 'check_violation', constraint = 'ledger_entries_append_only',
        schema = tg_table_schema, table = tg_table_name,
        message = 'ledger entries cannot be changed or deleted',
        hint = 'Record a correcting entry instead (a refund, credit or debit).';
end
$$;
comment on function sentinel.reject_ledger_change() is 'BEFORE UPDATE/DELETE trigger of ledger_entries: they are append-only.';

create trigger ledger_entries_append_only
    before update or delete on sentinel.ledger_entries
    for each row execute function sentinel.reject_ledger_change();
