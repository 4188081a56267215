-- Hibernate's tables, created as the owner role at the start of the run (not a Flyway migration of
-- the benchmark's schema: Envers' tables do not follow Sentinel's conventions, which the schema
-- linter would reject). Hibernate validates them against its mapping when it starts.
--
-- hib_notes is notes' twin for Hibernate: the same columns, indexes, foreign key and
-- touch_updated_at trigger, but no row-level security (Hibernate sets no tenant in the database;
-- @TenantId filters in the application), no audit trigger (Envers writes the history), and no
-- notes_deleted_check: @SoftDelete sets deleted_at in a second update after the one that sets
-- deleted_by and delete_reason, which that check would reject.

create table hib_notes (
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
    constraint hib_notes_status_check check (status in ('open', 'done', 'archived'))
);

create trigger hib_notes_touch_updated_at before update on hib_notes
    for each row execute function sentinel.touch_updated_at();

-- Envers: one revision per transaction (with actor and request, like Sentinel's audit rows) and
-- one row per changed entity and revision.
create sequence hib_revisions_seq increment by 50;

create table hib_revisions (
    id         bigint not null primary key,
    timestamp  bigint not null,
    actor_id   uuid,
    request_id text
);

create table hib_notes_aud (
    rev           bigint   not null references hib_revisions (id),
    revtype       smallint,
    tenant_id     uuid,
    id            uuid     not null,
    title         text,
    body          text,
    status        text,
    priority      integer,
    created_at    timestamptz,
    updated_at    timestamptz,
    deleted_by    uuid,
    delete_reason text,
    primary key (rev, id)
);
