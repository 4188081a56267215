-- Outreach strategies and the bookings they produce, after seed 003 (a lead-generation and booking
-- platform, tenant-isolated through SubAccount, here through Sentinel's tenants): a strategy is the
-- playbook an AI agent follows with leads; a booking is the appointment that comes out of it,
-- optionally for an item of a pipeline (the lead's card).

create table strategies (
    tenant_id               uuid        not null,
    id                      uuid        not null,
    name                    text        not null,
    description             text,
    agent_name              text        not null,
    agent_role              text        not null,
    conversation_tone       text        not null,
    qualification_questions text        not null,
    closing_strategy        text        not null,
    booking_instructions    text,
    delay_min_seconds       integer,
    delay_max_seconds       integer,
    metadata                jsonb       not null default '{}',
    is_active               boolean     not null default true,
    owner_id                uuid,
    version                 integer     not null default 0,
    created_at              timestamptz not null default now(),
    updated_at              timestamptz not null default now(),
    deleted_at              timestamptz,
    deleted_by              uuid,
    delete_reason           text,
    constraint strategies_pkey primary key (tenant_id, id),
    constraint strategies_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    constraint strategies_owner_fkey foreign key (tenant_id, owner_id)
        references sentinel.tenant_members (tenant_id, user_id) on delete restrict,
    constraint strategies_name_length check (char_length(name) between 1 and 200),
    -- The seed keeps delayMin and delayMax unchecked; here the reply delay is a real range.
    constraint strategies_delay_check check (delay_min_seconds >= 0 and delay_max_seconds >= delay_min_seconds),
    constraint strategies_metadata_object check (jsonb_typeof(metadata) = 'object'),
    constraint strategies_soft_delete_check check (deleted_at is not null or (deleted_by is null and delete_reason is null))
);
select sentinel.distribute('strategies');

comment on table strategies is 'A playbook an AI agent follows with leads: persona, tone, qualification and closing.';
comment on column strategies.delay_min_seconds is 'Shortest delay before the agent replies, in seconds; null for none.';
comment on column strategies.delay_max_seconds is 'Longest delay before the agent replies, in seconds; at least delay_min_seconds.';
comment on column strategies.is_active is 'A paused strategy books nothing.';
comment on column strategies.owner_id is 'The member responsible for the strategy; null when they left.';

create unique index strategies_name_live_key on strategies (tenant_id, name) where deleted_at is null;

create trigger strategies_touch_updated_at
    before update on strategies
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('strategies');
select sentinel.audit_table('strategies');


create table bookings (
    tenant_id     uuid        not null,
    id            uuid        not null,
    strategy_id   uuid        not null,
    item_id       uuid,
    booking_type  text        not null,
    starts_at     timestamptz not null,
    ends_at       timestamptz not null,
    status        text        not null default 'pending',
    details       jsonb       not null default '{}',
    cancel_reason text,
    version       integer     not null default 0,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    constraint bookings_pkey primary key (tenant_id, id),
    constraint bookings_tenant_fkey foreign key (tenant_id)
        references sentinel.tenants (id) on delete restrict,
    -- A record of fact: a strategy with bookings cannot be purged (soft-delete it instead).
    constraint bookings_strategy_fkey foreign key (tenant_id, strategy_id)
        references strategies (tenant_id, id) on delete restrict,
    constraint bookings_item_fkey foreign key (tenant_id, item_id)
        references pipeline_items (tenant_id, id) on delete restrict,
    constraint bookings_type_check check (booking_type in ('call', 'meeting', 'demo')),
    constraint bookings_period_check check (ends_at > starts_at),
    constraint bookings_status_check check (status in ('pending', 'confirmed', 'cancelled', 'completed')),
    constraint bookings_cancel_reason_check check ((status = 'cancelled') = (cancel_reason is not null)),
    constraint bookings_details_object check (jsonb_typeof(details) = 'object')
);
select sentinel.distribute('bookings');

comment on table bookings is 'An appointment with a lead that a strategy produced. Cancelled, not deleted.';
comment on column bookings.item_id is 'The pipeline item (the lead''s card) the booking is for, or null.';
comment on column bookings.booking_type is 'call, meeting or demo.';
comment on column bookings.status is 'pending, confirmed, cancelled or completed.';
comment on column bookings.details is 'Where and how: location, dial-in, notes (a JSON object).';
comment on column bookings.cancel_reason is 'Why the booking was cancelled; set exactly when it is.';

create index bookings_starts_idx on bookings (tenant_id, starts_at);
create index bookings_strategy_idx on bookings (tenant_id, strategy_id);
create index bookings_item_idx on bookings (tenant_id, item_id);

create trigger bookings_touch_updated_at
    before update on bookings
    for each row execute function sentinel.touch_updated_at();

select sentinel.enable_tenant_rls('bookings');
select sentinel.audit_table('bookings');

-- A strategy outlives its owner's membership, and a booking the item it came from: both links are
-- cleared before the parent row goes, which on delete set null (column) did before Citus (which
-- refuses SET NULL on a key that contains tenant_id).
create function unassign_member_strategies() returns trigger
    language plpgsql
    as $$
begin
    update strategies set owner_id = null where tenant_id = old.tenant_id and owner_id = old.user_id;
    return old;
end
$$;
comment on function unassign_member_strategies() is
    'BEFORE DELETE row trigger of sentinel.tenant_members: clears the member''s ownership of strategies in that tenant.';
create trigger tenant_members_unassign_strategies
    before delete on sentinel.tenant_members
    for each row execute function unassign_member_strategies();

create function detach_item_bookings() returns trigger
    language plpgsql
    as $$
begin
    update bookings set item_id = null where tenant_id = old.tenant_id and item_id = old.id;
    return old;
end
$$;
comment on function detach_item_bookings() is
    'BEFORE DELETE row trigger of pipeline_items: a purged item''s bookings stay, without the link.';
create trigger pipeline_items_detach_bookings
    before delete on pipeline_items
    for each row execute function detach_item_bookings();
