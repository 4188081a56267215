-- Issue 27: fewer check constraints prepared under the counter's lock.
--
-- PostgreSQL prepares every CHECK constraint of a table again for each statement that writes a row
-- and checks them all on every update, whatever the update changes. An invoice's issue is an
-- update that runs while the series' counter is locked, and agency.invoices has twelve checks;
-- three of them are about columns no issue, payment or voiding ever changes: the series' and the
-- currency's formats (two regular expressions) and the soft-delete fields. Measured on a copy of the
-- table (docs/decisions.md, issue 27, third part): an update with those three and two more checks
-- dropped took 42 µs against 56 to 59 with all twelve (2,000 updates per round, four rounds).
--
-- So those three are checked where their columns are written, and only there: a BEFORE INSERT or
-- UPDATE OF those columns trigger whose WHEN clause tests the same conditions (nothing is called
-- unless one fails) and refuses with the same SQLSTATE (23514) and constraint names as the checks.
-- Its name sorts after the table's other BEFORE triggers, which fire in name order, so it checks
-- the row they leave, as the checks did after them, and a change to an issued invoice is still
-- refused first by invoices_guard as immutable. The closed sets (status, kind) stay constraints:
-- codegen makes their enums from them.
--
-- Outside Citus only: a new trigger on a distributed table needs citus.enable_unsafe_triggers and
-- could not be tried on a cluster, so there the table keeps its checks.

-- Raises the refusal that invoices_values_check's WHEN clause found; not attached on Citus.
create function agency.refuse_invoice_values() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    violated text;
begin
    violated := case
        when (new.series ~ '^[A-Z0-9]{1,10}$') is false then 'invoices_series_format'
        when (new.currency ~ '^[A-Z]{3}$') is false then 'invoices_currency_format'
        else 'invoices_soft_delete_fields_check' end;
    raise exception using errcode = 'check_violation', constraint = violated,
        schema = tg_table_schema, table = tg_table_name,
        message = format('new row for relation "invoices" violates check constraint "%s"', violated),
        hint = case violated
            when 'invoices_series_format' then 'A series is 1 to 10 upper-case letters or digits, such as INV.'
            when 'invoices_currency_format' then 'A currency is an ISO 4217 code of three upper-case letters, such as EUR.'
            else 'deleted_by and delete_reason are set only together with deleted_at.' end;
end
$$;
comment on function agency.refuse_invoice_values() is
    'BEFORE INSERT/UPDATE OF series, currency, deleted_at, deleted_by, delete_reason trigger of invoices, called only '
    'when its WHEN clause found a violation: refuses it as the check constraints invoices_series_format, '
    'invoices_currency_format and invoices_soft_delete_fields_check did (SQLSTATE 23514). Not attached on Citus.';

do $do$
begin
    if sentinel.on_citus_coordinator() then
        return;
    end if;
    alter table agency.invoices
        drop constraint invoices_series_format,
        drop constraint invoices_currency_format,
        drop constraint invoices_soft_delete_fields_check;
    create trigger invoices_values_check
        before insert or update of series, currency, deleted_at, deleted_by, delete_reason on agency.invoices
        for each row
        when ((new.series ~ '^[A-Z0-9]{1,10}$') is false
              or (new.currency ~ '^[A-Z]{3}$') is false
              or (new.deleted_at is not null or (new.deleted_by is null and new.delete_reason is null)) is false)
        execute function agency.refuse_invoice_values();
end
$do$;
