-- The benchmark's own tables, in schema public, as a downstream service would declare them.
-- notes is a tenant table that follows every convention and is audited by Sentinel's trigger;
-- plain_notes is its identical twin without the audit trigger: the hand-written variants write
-- their audit rows themselves into it, and Sentinel writing to it measures what the trigger costs.

create table notes (
    tenant_id     uuid        not null references sentinel.tenants (id),
    id            uuid        not null,
    title         text        not null,
    body          text        not null default '',
    status        text        not null default 'open',
    priority      integer     not null default 0,
    version       integer     not null default 1,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    deleted_at    timestamptz,
    deleted_by    uuid,
    delete_reason text,
    primary key (tenant_id, id),
    constraint notes_status_check check (status in ('open', 'done', 'archived')),
    constraint notes_deleted_check check (deleted_at is not null or (deleted_by is null and delete_reason is null))
);
select sentinel.distribute('notes');
comment on table notes is 'Benchmark: a tenant table with soft delete, optimistic locking and the audit trigger.';

create trigger notes_touch_updated_at before update on notes
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('notes');
select sentinel.audit_table('notes');


create table plain_notes (
    tenant_id     uuid        not null references sentinel.tenants (id),
    id            uuid        not null,
    title         text        not null,
    body          text        not null default '',
    status        text        not null default 'open',
    priority      integer     not null default 0,
    version       integer     not null default 1,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    deleted_at    timestamptz,
    deleted_by    uuid,
    delete_reason text,
    primary key (tenant_id, id),
    constraint plain_notes_status_check check (status in ('open', 'done', 'archived')),
    constraint plain_notes_deleted_check check (deleted_at is not null or (deleted_by is null and delete_reason is null))
);
select sentinel.distribute('plain_notes');
comment on table plain_notes is 'Benchmark: the twin of notes without the audit trigger (row-level security and touch_updated_at as on notes).'
    ' sentinel:unaudited the benchmark''s control: hand-written code writes its audit rows itself, and Sentinel''s code on it measures what the trigger costs.';

create trigger plain_notes_touch_updated_at before update on plain_notes
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('plain_notes');
