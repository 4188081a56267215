-- Billing: the customers a tenant invoices, its number series, its invoices and credit notes with
-- their lines, and the ledger. All tenant tables, all audited. Money is numeric with an ISO 4217
-- currency, at that currency's scale. Invoice numbers are gap-free per (tenant, series, year): they
-- come from the kernel's counter, sentinel.next_number(series, year::text), allocated on issue.
-- Issued invoices and their lines are immutable and ledger entries append-only, enforced by
-- triggers, so raw SQL cannot edit them either.

create table agency.clients (
    tenant_id     uuid        not null,
    id            uuid        not null,
    name          text        not null,
    billing_email text,
    address_line1 text,
    address_line2 text,
    postal_code   text,
    city          text,
    region        text,
    country_code  char(2),
    tax_id        text,
    currency      char(3),
    notes         text,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    deleted_at    timestamptz,
    deleted_by    uuid,
    delete_reason text,
    constraint clients_pkey primary key (tenant_id, id),
    constraint clients_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    constraint clients_name_length check (char_length(name) between 1 and 200),
    constraint clients_billing_email_format check (char_length(billing_email) <= 320
        and billing_email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    constraint clients_country_code_format check (country_code ~ '^[A-Z]{2}$'),
    constraint clients_currency_format check (currency ~ '^[A-Z]{3}$'),
    constraint clients_soft_delete_check check (deleted_at is not null or (deleted_by is null and delete_reason is null))
);
select sentinel.distribute('agency.clients');

comment on table agency.clients is
    'A customer that the tenant invoices. Soft-deleted, so the invoices, contracts and leads that name a client keep it.';
comment on column agency.clients.billing_email is 'Where invoices are sent.';
comment on column agency.clients.country_code is 'ISO 3166-1 alpha-2 country of the billing address.';
comment on column agency.clients.tax_id is 'The client''s tax or VAT number, as printed on invoices.';
comment on column agency.clients.currency is 'Default ISO 4217 currency of new invoices; null for the tenant''s default.';
comment on column agency.clients.deleted_at is 'Soft-delete time; null while the client is live.';
comment on column agency.clients.deleted_by is 'The actor who soft-deleted the client.';
comment on column agency.clients.delete_reason is 'Why the client was soft-deleted.';

create index clients_name_idx on agency.clients (tenant_id, name);

create trigger clients_touch_updated_at
    before update on agency.clients
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('agency.clients');
select sentinel.audit_table('agency.clients');


-- Number series. A series belongs to one kind of document, so credit notes can never share a
-- counter with invoices: invoices reference (tenant_id, series, kind). The row is created on first
-- use with the default format; a tenant may change the format (numbers already issued keep theirs).
create table agency.invoice_series (
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
select sentinel.distribute('agency.invoice_series');

comment on table agency.invoice_series is
    'A number series of a tenant (INV, CR, ...): the kind of document it numbers and its number format. '
    'Created on first use; each (series, year) has its counter in sentinel.number_counters '
    '(series = the series, period = the year), which sentinel.next_number advances on issue.';
comment on column agency.invoice_series.kind is
    'invoice or credit_note: the only kind of document numbered in this series. sentinel:enum InvoiceKind';
comment on column agency.invoice_series.number_format is
    'How numbers are printed: literal text and {series}, {yyyy} or {yy}, and {000000} (the counter, zero-padded '
    'to that many digits, never cut). Default {series}-{yyyy}-{000000}, for example INV-2026-000042.';

create trigger invoice_series_touch_updated_at
    before update on agency.invoice_series
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('agency.invoice_series');
select sentinel.audit_table('agency.invoice_series');


create table agency.invoices (
    tenant_id           uuid        not null,
    id                  uuid        not null,
    client_id           uuid        not null,
    project_id          uuid,
    series              text        not null default 'INV',
    number              text,
    sequence_year       integer,
    sequence_number     integer,
    status              text        not null default 'draft',
    currency            char(3)     not null,
    issued_at           timestamptz,
    due_on              date,
    paid_at             timestamptz,
    voided_at           timestamptz,
    void_reason         text,
    notes               text,
    version             integer     not null default 0,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    deleted_at          timestamptz,
    deleted_by          uuid,
    delete_reason       text,
    kind                text        not null default 'invoice',
    corrects_invoice_id uuid,
    issued_on           date,
    net_total           numeric(20, 4),
    tax_total           numeric(20, 4),
    gross_total         numeric(20, 4),
    constraint invoices_pkey primary key (tenant_id, id),
    constraint invoices_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- A client with invoices is soft-deleted, never removed: the invoices must keep their customer.
    constraint invoices_client_fkey foreign key (tenant_id, client_id)
        references agency.clients (tenant_id, id) on delete restrict,
    -- Projects are soft-deleted, so the link stays. Restrict, not set null: a purge of the project
    -- clears its links first (Citus refuses SET NULL on a key that includes tenant_id).
    constraint invoices_project_fkey foreign key (tenant_id, project_id)
        references agency.projects (tenant_id, id) on delete restrict,
    constraint invoices_series_fkey foreign key (tenant_id, series, kind)
        references agency.invoice_series (tenant_id, series, kind) on delete restrict,
    -- A credit note corrects an invoice of the same tenant; the invoice cannot be removed under it.
    constraint invoices_corrects_fkey foreign key (tenant_id, corrects_invoice_id)
        references agency.invoices (tenant_id, id) on delete restrict,
    constraint invoices_number_key unique (tenant_id, series, number),
    constraint invoices_sequence_key unique (tenant_id, series, sequence_year, sequence_number),
    constraint invoices_series_format check (series ~ '^[A-Z0-9]{1,10}$'),
    constraint invoices_status_check check (status in ('draft', 'issued', 'paid', 'void')),
    constraint invoices_kind_check check (kind in ('invoice', 'credit_note')),
    constraint invoices_credit_note_check check ((kind = 'credit_note') = (corrects_invoice_id is not null)),
    -- A draft has no number; issuing allocates all three at once, and they never go back to null.
    constraint invoices_number_check check (
        (status = 'draft') = (number is null)
        and (number is null) = (sequence_year is null)
        and (number is null) = (sequence_number is null)
        and (number is null) = (issued_at is null)),
    constraint invoices_sequence_check check (sequence_year between 2000 and 9999 and sequence_number >= 1),
    -- Totals and issue date are there exactly when the number is.
    constraint invoices_totals_check check (
        (status = 'draft') = (issued_on is null)
        and (status = 'draft') = (net_total is null)
        and (net_total is null) = (tax_total is null)
        and (net_total is null) = (gross_total is null)
        and gross_total = net_total + tax_total
        and tax_total >= 0),
    -- A paid invoice has its payment time; a paid invoice voided later (refunded) keeps it.
    constraint invoices_paid_check check ((status <> 'paid' or paid_at is not null)
        and (paid_at is null or status in ('paid', 'void'))),
    constraint invoices_void_check check ((status = 'void') = (voided_at is not null)
        and (void_reason is null or voided_at is not null)),
    constraint invoices_currency_format check (currency ~ '^[A-Z]{3}$'),
    -- Only a draft may be soft-deleted; an issued invoice is voided instead (its number stays used).
    constraint invoices_soft_delete_check check (deleted_at is null or status = 'draft'),
    constraint invoices_soft_delete_fields_check check (deleted_at is not null or (deleted_by is null and delete_reason is null))
);
select sentinel.distribute('agency.invoices');

comment on table agency.invoices is
    'An invoice or credit note to a client: a draft until issued, then numbered gap-free per (tenant, series, year) '
    'and immutable but for payment and voiding. Only drafts can be soft-deleted; an issued invoice is voided.';
comment on column agency.invoices.project_id is 'The project invoiced, if the invoice belongs to one.';
comment on column agency.invoices.series is 'Number series, for example INV or CR; each has its own counter.';
comment on column agency.invoices.number is
    'The invoice number as printed (for example INV-2026-000042); null while a draft, set once on issue.';
comment on column agency.invoices.sequence_year is
    'Year of the counter the number came from, in the tenant''s time zone; null while a draft.';
comment on column agency.invoices.sequence_number is
    'Value the series'' counter (sentinel.number_counters, period = the year) allocated; null while a draft.';
comment on column agency.invoices.status is
    'The life of the document: draft (editable, without a number; may be soft-deleted), issued (numbered and '
    'immutable), paid (issued and paid, paid_at set; final) or void (issued and cancelled, the number stays '
    'used; final). sentinel:enum InvoiceStatus';
comment on column agency.invoices.currency is 'ISO 4217 currency of every line.';
comment on column agency.invoices.issued_at is 'When the invoice was issued and numbered; null while a draft.';
comment on column agency.invoices.due_on is 'Payment due date.';
comment on column agency.invoices.paid_at is 'When payment was recorded; required when status is paid.';
comment on column agency.invoices.voided_at is 'When the invoice was voided; set exactly when status is void.';
comment on column agency.invoices.version is 'Optimistic-locking version, incremented on every update.';
comment on column agency.invoices.deleted_at is 'Soft-delete time of a draft; always null once issued.';
comment on column agency.invoices.deleted_by is 'The actor who soft-deleted the draft.';
comment on column agency.invoices.delete_reason is 'Why the draft was soft-deleted.';
comment on column agency.invoices.kind is
    'invoice (default series INV), or credit_note (a correction of an issued invoice, crediting some or all '
    'of it, in a series of its own, default CR). sentinel:enum InvoiceKind';
comment on column agency.invoices.corrects_invoice_id is 'For a credit note: the invoice it corrects; null for an invoice.';
comment on column agency.invoices.issued_on is
    'The issue date in the tenant''s time zone; its year is sequence_year. Null while a draft.';
comment on column agency.invoices.net_total is
    'Sum of the line totals, frozen on issue; null while a draft (drafts are totalled on read).';
comment on column agency.invoices.tax_total is
    'Tax, rounded per tax rate to the currency''s scale, frozen on issue; null while a draft.';
comment on column agency.invoices.gross_total is 'net_total plus tax_total, frozen on issue; null while a draft.';

create index invoices_client_idx on agency.invoices (tenant_id, client_id);
create index invoices_project_idx on agency.invoices (tenant_id, project_id);
create index invoices_status_idx on agency.invoices (tenant_id, status, due_on);
create index invoices_corrects_idx on agency.invoices (tenant_id, corrects_invoice_id);

create trigger invoices_touch_updated_at
    before update on agency.invoices
    for each row execute function sentinel.touch_updated_at();

-- Issued invoices are immutable. A draft may change freely and become issued; the issue itself is
-- checked (lines exist, totals match them, the year is the issue date's). After that only
-- issued -> paid (paid_at) and issued -> void (voided_at, void_reason) may change anything, and
-- nothing else changes with them. Compared as jsonb of the whole row, so a column added later is
-- immutable too unless named here. Errors are check violations naming the rule as the constraint.
create function agency.guard_invoice() returns trigger
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
          from agency.invoice_items where tenant_id = new.tenant_id and invoice_id = new.id;
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
comment on function agency.guard_invoice() is
    'BEFORE UPDATE/DELETE trigger of invoices: checks the issue, then allows only issued -> paid and issued -> void.';

create trigger invoices_guard
    before update on agency.invoices
    for each row when (old.status <> 'draft' or new.status <> 'draft')
    execute function agency.guard_invoice();

create trigger invoices_guard_delete
    before delete on agency.invoices
    for each row when (old.status <> 'draft')
    execute function agency.guard_invoice();

select sentinel.enable_tenant_rls('agency.invoices');
select sentinel.audit_table('agency.invoices');


-- Lines at any currency's scale: the runtime computes line_total with the currency's scale and the
-- documented rounding (half up); a database expression rounded to cents would be wrong for JPY (0
-- decimals) and BHD (3). Unit prices may be finer than the currency (0.0125 EUR per call), up to 6
-- decimals.
create table agency.invoice_items (
    tenant_id   uuid           not null,
    id          uuid           not null,
    invoice_id  uuid           not null,
    position    integer        not null,
    service_id  uuid,
    description text           not null,
    quantity    numeric(12, 3) not null,
    unit_price  numeric(18, 6) not null,
    tax_rate    numeric(5, 2)  not null default 0,
    line_total  numeric(18, 4) not null,
    created_at  timestamptz    not null default now(),
    updated_at  timestamptz    not null default now(),
    constraint invoice_items_pkey primary key (tenant_id, id),
    constraint invoice_items_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- Lines are part of their invoice: deleting a draft deletes its lines. (An issued invoice cannot
    -- be deleted at all: agency.guard_invoice.)
    constraint invoice_items_invoice_fkey foreign key (tenant_id, invoice_id)
        references agency.invoices (tenant_id, id) on delete cascade,
    -- Services are soft-deleted, so the link stays. Restrict, not set null: a purge of the service
    -- clears its links first (Citus refuses SET NULL on a key that includes tenant_id).
    constraint invoice_items_service_fkey foreign key (tenant_id, service_id)
        references agency.services (tenant_id, id) on delete restrict,
    constraint invoice_items_position_key unique (tenant_id, invoice_id, position),
    constraint invoice_items_position_check check (position >= 1),
    constraint invoice_items_description_length check (char_length(description) between 1 and 2000),
    constraint invoice_items_quantity_check check (quantity > 0),
    constraint invoice_items_tax_rate_check check (tax_rate between 0 and 100)
);
select sentinel.distribute('agency.invoice_items');

comment on table agency.invoice_items is
    'A line of an invoice, in the invoice''s currency. Frozen once the invoice is issued.';
comment on column agency.invoice_items.position is 'Order of the line on the invoice, from 1.';
comment on column agency.invoice_items.service_id is 'The price-list entry the line came from, if any; the line keeps its own copy of price and text.';
comment on column agency.invoice_items.unit_price is 'Net price per unit, up to 6 decimals; negative for a discount line.';
comment on column agency.invoice_items.tax_rate is 'Tax rate in percent, 0 to 100.';
comment on column agency.invoice_items.line_total is
    'quantity times unit_price, rounded half up to the invoice currency''s scale (ISO 4217: 2 for EUR, 0 for JPY); '
    'computed by the runtime.';

create index invoice_items_service_idx on agency.invoice_items (tenant_id, service_id);

create trigger invoice_items_touch_updated_at
    before update on agency.invoice_items
    for each row execute function sentinel.touch_updated_at();

-- The lines of an issued invoice are frozen with it. FOR SHARE on the invoice makes a line written
-- concurrently with the invoice's issue wait for it (and then fail), instead of slipping in
-- after the totals were computed. (A line deleted by the cascade of a draft's delete finds no
-- invoice: allowed.)
create function agency.guard_invoice_item() returns trigger
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
          from agency.invoices where tenant_id = line.tenant_id and id = line.invoice_id for share;
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
comment on function agency.guard_invoice_item() is
    'BEFORE INSERT/UPDATE/DELETE trigger of invoice_items: the lines of an issued, paid or void invoice are frozen.';

create trigger invoice_items_guard
    before insert or update or delete on agency.invoice_items
    for each row execute function agency.guard_invoice_item();

select sentinel.enable_tenant_rls('agency.invoice_items');
select sentinel.audit_table('agency.invoice_items');


create table agency.ledger_entries (
    tenant_id    uuid           not null,
    id           uuid           not null,
    entry_type   text           not null,
    category     text           not null,
    amount       numeric(18, 4) not null,
    currency     char(3)        not null,
    occurred_at  timestamptz    not null,
    description  text,
    invoice_id   uuid,
    external_ref text,
    created_at   timestamptz    not null default now(),
    constraint ledger_entries_pkey primary key (tenant_id, id),
    constraint ledger_entries_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- Bookings are financial records: an invoice with entries cannot be removed.
    constraint ledger_entries_invoice_fkey foreign key (tenant_id, invoice_id)
        references agency.invoices (tenant_id, id) on delete restrict,
    constraint ledger_entries_type_check check (entry_type in ('income', 'expense', 'refund', 'credit', 'debit')),
    -- Categories are the tenant's own chart of accounts, so an open set in a fixed format.
    constraint ledger_entries_category_format check (category ~ '^[a-z][a-z0-9_]{0,62}$'),
    -- The sign comes from entry_type; a correction is a new entry, never an edit.
    constraint ledger_entries_amount_check check (amount > 0),
    constraint ledger_entries_currency_format check (currency ~ '^[A-Z]{3}$')
);
select sentinel.distribute('agency.ledger_entries');

comment on table agency.ledger_entries is
    'A booking in the tenant''s ledger. Entries are not edited or soft-deleted: a mistake is corrected by a new entry '
    '(enforced by the trigger ledger_entries_append_only).';
comment on column agency.ledger_entries.entry_type is
    'What the entry books; gives the sign of amount: income (money in, such as a payment of an '
    'invoice), expense (money out for the tenant''s own costs), refund (money paid back to a client, '
    'such as for a credit note), credit (a correction in the tenant''s favour) or debit (a correction '
    'against the tenant). sentinel:enum LedgerEntryType';
comment on column agency.ledger_entries.category is
    'The tenant''s category, for example subscription or tools: lower-case letters, digits and underscores.';
comment on column agency.ledger_entries.amount is 'Positive amount in currency, at its scale (up to 4 decimals, as in ISO 4217).';
comment on column agency.ledger_entries.occurred_at is 'When the money moved, as opposed to when it was recorded.';
comment on column agency.ledger_entries.invoice_id is 'The invoice the entry settles or refunds, if any.';
comment on column agency.ledger_entries.external_ref is 'Reference in the payment provider or bank, if any.';

create index ledger_entries_occurred_idx on agency.ledger_entries (tenant_id, occurred_at desc);
create index ledger_entries_invoice_idx on agency.ledger_entries (tenant_id, invoice_id);

-- Ledger entries are records of fact: a mistake is corrected by a new entry, enforced for every role
-- (a trigger fires for the owner and superusers too, unlike a revoked grant).
create function agency.reject_ledger_change() returns trigger
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
comment on function agency.reject_ledger_change() is 'BEFORE UPDATE/DELETE trigger of ledger_entries: they are append-only.';

create trigger ledger_entries_append_only
    before update or delete on agency.ledger_entries
    for each row execute function agency.reject_ledger_change();

select sentinel.enable_tenant_rls('agency.ledger_entries');
select sentinel.audit_table('agency.ledger_entries');


-- Billing's permissions, checked by tx.invoices() with tx.authorize before any write, and granted to
-- the kernel's default tenant roles: admin everything; staff the day-to-day writes (clients, drafts,
-- issuing, payments, ledger); viewer nothing that writes. Voiding, credit notes and number formats
-- are corrections or configuration, so admin only by default; a service changes the defaults with
-- tx.roles(). Global rows, written in the system scope.
set local sentinel.scope = 'system';

insert into sentinel.permissions (id, key, description)
values (gen_random_uuid(), 'client:write', 'Create, change and delete the tenant''s clients.'),
       (gen_random_uuid(), 'invoice:draft', 'Create, change and delete draft invoices and their lines; draft credit notes.'),
       (gen_random_uuid(), 'invoice:issue', 'Issue an invoice: give it the next number of its series and freeze it.'),
       (gen_random_uuid(), 'invoice:mark_paid', 'Mark an issued invoice or credit note paid.'),
       (gen_random_uuid(), 'invoice:void', 'Void an issued invoice or credit note (its number stays used).'),
       (gen_random_uuid(), 'invoice:credit', 'Issue a credit note against an issued invoice.'),
       (gen_random_uuid(), 'invoice:configure', 'Configure number series and their number formats.'),
       (gen_random_uuid(), 'ledger:record', 'Book payments, refunds and other entries in the tenant''s ledger.');

insert into sentinel.role_permissions (role_id, permission_id)
select r.id, p.id
  from sentinel.roles r
  join sentinel.permissions p on p.key in ('client:write', 'invoice:draft', 'invoice:issue', 'invoice:mark_paid',
                                          'invoice:void', 'invoice:credit', 'invoice:configure', 'ledger:record')
 where r.key = 'admin';

insert into sentinel.role_permissions (role_id, permission_id)
select r.id, p.id
  from sentinel.roles r
  join sentinel.permissions p on p.key in ('client:write', 'invoice:draft', 'invoice:issue', 'invoice:mark_paid',
                                          'ledger:record')
 where r.key = 'staff';

set local sentinel.scope = '';
