-- Billing: the customers a tenant invoices, its invoices and their lines, the gap-free invoice
-- number counters, and the ledger. All tenant tables. Money is numeric with an ISO 4217 currency.
-- (Immutability of issued invoices and the allocation of numbers are the Billing issue's work.)

create table sentinel.clients (
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

comment on table sentinel.clients is 'A customer that the tenant invoices.';
comment on column sentinel.clients.billing_email is 'Where invoices are sent.';
comment on column sentinel.clients.country_code is 'ISO 3166-1 alpha-2 country of the billing address.';
comment on column sentinel.clients.tax_id is 'The client''s tax or VAT number, as printed on invoices.';
comment on column sentinel.clients.currency is 'Default ISO 4217 currency of new invoices; null for the tenant''s default.';
comment on column sentinel.clients.deleted_at is 'Soft-delete time; null while the client is live.';
comment on column sentinel.clients.deleted_by is 'The actor who soft-deleted the client.';
comment on column sentinel.clients.delete_reason is 'Why the client was soft-deleted.';

create index clients_name_idx on sentinel.clients (tenant_id, name);

create trigger clients_touch_updated_at
    before update on sentinel.clients
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.clients');


create table sentinel.invoices (
    tenant_id       uuid        not null,
    id              uuid        not null,
    client_id       uuid        not null,
    project_id      uuid,
    series          text        not null default 'INV',
    number          text,
    sequence_year   integer,
    sequence_number integer,
    status          text        not null default 'draft',
    currency        char(3)     not null,
    issued_at       timestamptz,
    due_on          date,
    paid_at         timestamptz,
    voided_at       timestamptz,
    void_reason     text,
    notes           text,
    version         integer     not null default 0,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    deleted_at      timestamptz,
    deleted_by      uuid,
    delete_reason   text,
    constraint invoices_pkey primary key (tenant_id, id),
    constraint invoices_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- A client with invoices is soft-deleted, never removed: the invoices must keep their customer.
    constraint invoices_client_fkey foreign key (tenant_id, client_id)
        references sentinel.clients (tenant_id, id) on delete restrict,
    constraint invoices_project_fkey foreign key (tenant_id, project_id)
        references sentinel.projects (tenant_id, id) on delete set null (project_id),
    constraint invoices_number_key unique (tenant_id, series, number),
    constraint invoices_sequence_key unique (tenant_id, series, sequence_year, sequence_number),
    constraint invoices_series_format check (series ~ '^[A-Z0-9]{1,10}$'),
    constraint invoices_status_check check (status in ('draft', 'issued', 'paid', 'void')),
    -- A draft has no number; issuing allocates all three at once, and they never go back to null.
    constraint invoices_number_check check (
        (status = 'draft') = (number is null)
        and (number is null) = (sequence_year is null)
        and (number is null) = (sequence_number is null)
        and (number is null) = (issued_at is null)),
    constraint invoices_sequence_check check (sequence_year between 2000 and 9999 and sequence_number >= 1),
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

comment on table sentinel.invoices is
    'An invoice to a client: a draft until issued, then numbered gap-free per (tenant, series, year). '
    'Only drafts can be soft-deleted; an issued invoice is voided.';
comment on column sentinel.invoices.project_id is 'The project invoiced, if the invoice belongs to one.';
comment on column sentinel.invoices.series is 'Number series, for example INV or CR; each has its own counter.';
comment on column sentinel.invoices.number is
    'The invoice number as printed (for example INV-2026-000042); null while a draft, set once on issue.';
comment on column sentinel.invoices.sequence_year is
    'Year of the counter the number came from, in the tenant''s time zone; null while a draft.';
comment on column sentinel.invoices.sequence_number is
    'Value the counter (invoice_sequences) allocated; null while a draft.';
comment on column sentinel.invoices.status is 'draft, issued, paid or void.';
comment on column sentinel.invoices.currency is 'ISO 4217 currency of every line.';
comment on column sentinel.invoices.issued_at is 'When the invoice was issued and numbered; null while a draft.';
comment on column sentinel.invoices.due_on is 'Payment due date.';
comment on column sentinel.invoices.paid_at is 'When payment was recorded; required when status is paid.';
comment on column sentinel.invoices.voided_at is 'When the invoice was voided; set exactly when status is void.';
comment on column sentinel.invoices.version is 'Optimistic-locking version, incremented on every update.';
comment on column sentinel.invoices.deleted_at is 'Soft-delete time of a draft; always null once issued.';
comment on column sentinel.invoices.deleted_by is 'The actor who soft-deleted the draft.';
comment on column sentinel.invoices.delete_reason is 'Why the draft was soft-deleted.';

create index invoices_client_idx on sentinel.invoices (tenant_id, client_id);
create index invoices_project_idx on sentinel.invoices (tenant_id, project_id);
create index invoices_status_idx on sentinel.invoices (tenant_id, status, due_on);

create trigger invoices_touch_updated_at
    before update on sentinel.invoices
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.invoices');


create table sentinel.invoice_items (
    tenant_id   uuid           not null,
    id          uuid           not null,
    invoice_id  uuid           not null,
    position    integer        not null,
    service_id  uuid,
    description text           not null,
    quantity    numeric(12, 3) not null,
    unit_price  numeric(14, 2) not null,
    tax_rate    numeric(5, 2)  not null default 0,
    line_total  numeric(14, 2) generated always as (round(quantity * unit_price, 2)) stored,
    created_at  timestamptz    not null default now(),
    updated_at  timestamptz    not null default now(),
    constraint invoice_items_pkey primary key (tenant_id, id),
    constraint invoice_items_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- Lines are part of their invoice. (Keeping issued invoices from being deleted is the Billing issue's.)
    constraint invoice_items_invoice_fkey foreign key (tenant_id, invoice_id)
        references sentinel.invoices (tenant_id, id) on delete cascade,
    constraint invoice_items_service_fkey foreign key (tenant_id, service_id)
        references sentinel.services (tenant_id, id) on delete set null (service_id),
    constraint invoice_items_position_key unique (tenant_id, invoice_id, position),
    constraint invoice_items_position_check check (position >= 1),
    constraint invoice_items_description_length check (char_length(description) between 1 and 2000),
    constraint invoice_items_quantity_check check (quantity > 0),
    constraint invoice_items_tax_rate_check check (tax_rate between 0 and 100)
);

comment on table sentinel.invoice_items is 'A line of an invoice, in the invoice''s currency.';
comment on column sentinel.invoice_items.position is 'Order of the line on the invoice, from 1.';
comment on column sentinel.invoice_items.service_id is 'The price-list entry the line came from, if any; the line keeps its own copy of price and text.';
comment on column sentinel.invoice_items.unit_price is 'Net price per unit; negative for a discount line.';
comment on column sentinel.invoice_items.tax_rate is 'Tax rate in percent, 0 to 100.';
comment on column sentinel.invoice_items.line_total is 'quantity times unit_price, rounded to cents; computed by the database.';

create index invoice_items_service_idx on sentinel.invoice_items (tenant_id, service_id);

create trigger invoice_items_touch_updated_at
    before update on sentinel.invoice_items
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.invoice_items');


create table sentinel.invoice_sequences (
    tenant_id   uuid        not null,
    series      text        not null,
    year        integer     not null,
    last_number integer     not null default 0,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint invoice_sequences_pkey primary key (tenant_id, series, year),
    constraint invoice_sequences_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    constraint invoice_sequences_series_format check (series ~ '^[A-Z0-9]{1,10}$'),
    constraint invoice_sequences_year_check check (year between 2000 and 9999),
    constraint invoice_sequences_last_number_check check (last_number >= 0)
);

comment on table sentinel.invoice_sequences is
    'The gap-free invoice number counter of one (tenant, series, year). Issuing locks the row, '
    'increments last_number and uses the new value; the lock holds until commit, so numbers never skip.';
comment on column sentinel.invoice_sequences.year is 'The calendar year in the tenant''s time zone.';
comment on column sentinel.invoice_sequences.last_number is 'The last number allocated; 0 before the first.';

create trigger invoice_sequences_touch_updated_at
    before update on sentinel.invoice_sequences
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('sentinel.invoice_sequences');


create table sentinel.ledger_entries (
    tenant_id   uuid           not null,
    id          uuid           not null,
    entry_type  text           not null,
    category    text           not null,
    amount      numeric(14, 2) not null,
    currency    char(3)        not null,
    occurred_at timestamptz    not null,
    description text,
    invoice_id  uuid,
    external_ref text,
    created_at  timestamptz    not null default now(),
    constraint ledger_entries_pkey primary key (tenant_id, id),
    constraint ledger_entries_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- Bookings are financial records: an invoice with entries cannot be removed.
    constraint ledger_entries_invoice_fkey foreign key (tenant_id, invoice_id)
        references sentinel.invoices (tenant_id, id) on delete restrict,
    constraint ledger_entries_type_check check (entry_type in ('income', 'expense', 'refund', 'credit', 'debit')),
    -- Categories are the tenant's own chart of accounts, so an open set in a fixed format.
    constraint ledger_entries_category_format check (category ~ '^[a-z][a-z0-9_]{0,62}$'),
    -- The sign comes from entry_type; a correction is a new entry, never an edit.
    constraint ledger_entries_amount_check check (amount > 0),
    constraint ledger_entries_currency_format check (currency ~ '^[A-Z]{3}$')
);

comment on table sentinel.ledger_entries is
    'A booking in the tenant''s ledger. Entries are not edited or soft-deleted: a mistake is corrected by a new entry.';
comment on column sentinel.ledger_entries.entry_type is 'income, expense, refund, credit or debit; gives the sign of amount.';
comment on column sentinel.ledger_entries.category is
    'The tenant''s category, for example subscription or tools: lower-case letters, digits and underscores.';
comment on column sentinel.ledger_entries.amount is 'Positive amount in currency.';
comment on column sentinel.ledger_entries.occurred_at is 'When the money moved, as opposed to when it was recorded.';
comment on column sentinel.ledger_entries.invoice_id is 'The invoice the entry settles or refunds, if any.';
comment on column sentinel.ledger_entries.external_ref is 'Reference in the payment provider or bank, if any.';

create index ledger_entries_occurred_idx on sentinel.ledger_entries (tenant_id, occurred_at desc);
create index ledger_entries_invoice_idx on sentinel.ledger_entries (tenant_id, invoice_id);

select sentinel.enable_tenant_rls('sentinel.ledger_entries');
