-- Kanban pipelines, after the pipeline system of seed 002 (Astralis One): a tenant's pipelines
-- (sales, support, ...), their ordered stages, and the items (cards) that move through them.
-- This service's own tables, in schema public with a Flyway history of their own, on top of
-- Sentinel's schema: they follow Sentinel's conventions and call its helpers, so the generic
-- repository, row-level security, the audit trail and the schema linter treat them like
-- Sentinel's own.

create table pipelines (
    tenant_id     uuid        not null,
    id            uuid        not null,
    key           text        not null,
    name          text        not null,
    type          text        not null default 'generic',
    is_active     boolean     not null default true,
    version       integer     not null default 0,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    deleted_at    timestamptz,
    deleted_by    uuid,
    delete_reason text,
    constraint pipelines_pkey primary key (tenant_id, id),
    constraint pipelines_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    constraint pipelines_key_format check (key ~ '^[a-z][a-z0-9_-]{0,62}$'),
    constraint pipelines_name_length check (char_length(name) between 1 and 200),
    constraint pipelines_type_check check (type in ('sales', 'support', 'billing', 'internal', 'generic', 'custom')),
    constraint pipelines_soft_delete_check check (deleted_at is not null or (deleted_by is null and delete_reason is null))
);
select sentinel.distribute('pipelines');

comment on table pipelines is 'A kanban board of the tenant: an ordered set of stages that items move through.';
comment on column pipelines.key is 'Short name used in code and URLs, unique among the tenant''s live pipelines.';
comment on column pipelines.type is 'sales, support, billing, internal, generic or custom.';
comment on column pipelines.is_active is 'An inactive pipeline keeps its items but takes no new ones.';

-- A deleted pipeline frees its key: uniqueness among live rows only, by a partial index.
create unique index pipelines_key_live_key on pipelines (tenant_id, key) where deleted_at is null;

create trigger pipelines_touch_updated_at
    before update on pipelines
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('pipelines');
select sentinel.audit_table('pipelines');


create table pipeline_stages (
    tenant_id   uuid        not null,
    id          uuid        not null,
    pipeline_id uuid        not null,
    key         text        not null,
    name        text        not null,
    position    integer     not null,
    is_terminal boolean     not null default false,
    color       text,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint pipeline_stages_pkey primary key (tenant_id, id),
    constraint pipeline_stages_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- A stage is part of its pipeline: it goes when the pipeline is purged.
    constraint pipeline_stages_pipeline_fkey foreign key (tenant_id, pipeline_id)
        references pipelines (tenant_id, id) on delete cascade,
    constraint pipeline_stages_key_key unique (tenant_id, pipeline_id, key),
    constraint pipeline_stages_position_key unique (tenant_id, pipeline_id, position),
    -- The target of pipeline_items' key, which keeps an item's stage inside the item's pipeline.
    constraint pipeline_stages_pipeline_stage_key unique (tenant_id, pipeline_id, id),
    constraint pipeline_stages_key_format check (key ~ '^[a-z][a-z0-9_-]{0,62}$'),
    constraint pipeline_stages_position_check check (position >= 0),
    constraint pipeline_stages_color_format check (color ~ '^#[0-9a-f]{6}$')
);
select sentinel.distribute('pipeline_stages');

comment on table pipeline_stages is 'A column of a pipeline. Items in a terminal stage (won, lost, done) are closed.';
comment on column pipeline_stages.position is 'Order within the pipeline, from 0.';
comment on column pipeline_stages.is_terminal is 'Whether items here are closed: they can no longer move.';
comment on column pipeline_stages.color is 'Display colour as #rrggbb, or null.';

create trigger pipeline_stages_touch_updated_at
    before update on pipeline_stages
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('pipeline_stages');
select sentinel.audit_table('pipeline_stages');


create table pipeline_items (
    tenant_id     uuid        not null,
    id            uuid        not null,
    pipeline_id   uuid        not null,
    stage_id      uuid        not null,
    title         text        not null,
    priority      text        not null default 'normal',
    due_on        date,
    assignee_id   uuid,
    version       integer     not null default 0,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    deleted_at    timestamptz,
    deleted_by    uuid,
    delete_reason text,
    constraint pipeline_items_pkey primary key (tenant_id, id),
    constraint pipeline_items_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- The stage must belong to the item's own pipeline, and a stage that holds items stays.
    constraint pipeline_items_stage_fkey foreign key (tenant_id, pipeline_id, stage_id)
        references pipeline_stages (tenant_id, pipeline_id, id) on delete restrict,
    -- Only a member of the tenant can be assigned; when they leave, the item stays, unassigned.
    constraint pipeline_items_assignee_fkey foreign key (tenant_id, assignee_id)
        references sentinel.tenant_members (tenant_id, user_id) on delete restrict,
    constraint pipeline_items_title_length check (char_length(title) between 1 and 500),
    constraint pipeline_items_priority_check check (priority in ('low', 'normal', 'high', 'urgent')),
    constraint pipeline_items_soft_delete_check check (deleted_at is not null or (deleted_by is null and delete_reason is null))
);
select sentinel.distribute('pipeline_items');

comment on table pipeline_items is 'A card on a pipeline: a lead, a ticket or a task, in exactly one stage.';
comment on column pipeline_items.priority is 'low, normal, high or urgent.';
comment on column pipeline_items.assignee_id is 'The member working on the item; null when unassigned.';

-- The board query: a stage's live items, newest first (seed 002 pages pipeline items this way).
create index pipeline_items_stage_idx on pipeline_items (tenant_id, stage_id, created_at desc) where deleted_at is null;
create index pipeline_items_assignee_idx on pipeline_items (tenant_id, assignee_id);

create trigger pipeline_items_touch_updated_at
    before update on pipeline_items
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('pipeline_items');
select sentinel.audit_table('pipeline_items');

-- When a membership row goes (its user is erased), the member's items stay, unassigned. The
-- foreign key is restrict, not set null (assignee_id): Citus refuses SET NULL on a key that
-- contains tenant_id. So this trigger clears the link first, BEFORE DELETE, since the key is
-- checked when the row goes.
create function unassign_member_items() returns trigger
    language plpgsql
    as $$
begin
    update pipeline_items set assignee_id = null where tenant_id = old.tenant_id and assignee_id = old.user_id;
    return old;
end
$$;
comment on function unassign_member_items() is
    'BEFORE DELETE row trigger of sentinel.tenant_members: unassigns the member''s pipeline items in that tenant.';
create trigger tenant_members_unassign_items
    before delete on sentinel.tenant_members
    for each row execute function unassign_member_items();
