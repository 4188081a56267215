-- A tenant's notes: the example service's one table, on Sentinel's conventions (tenant key, soft
-- delete, row-level security, the audit trigger), so the generic repository serves it as is.

create table notes (
    tenant_id     uuid        not null,
    id            uuid        not null,
    body          text        not null,
    indexed_at    timestamptz,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    deleted_at    timestamptz,
    deleted_by    uuid,
    delete_reason text,
    constraint notes_pkey primary key (tenant_id, id),
    constraint notes_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    constraint notes_body_length check (char_length(body) between 1 and 2000),
    constraint notes_soft_delete_check check (deleted_at is not null or (deleted_by is null and delete_reason is null))
);
select sentinel.distribute('notes');

comment on table notes is 'A note of a tenant: text that a job indexes after it is written.';
comment on column notes.body is 'The text, 1 to 2000 characters.';
comment on column notes.indexed_at is 'When the notes.index job processed the note; null until then.';

create trigger notes_touch_updated_at
    before update on notes
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');
