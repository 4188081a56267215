-- Breaks one rule: a service's own append-only table whose trigger forgets TRUNCATE.
create table note_events (
    tenant_id uuid not null references sentinel.tenants (id),
    id        uuid not null,
    event     text not null,
    constraint note_events_pkey primary key (tenant_id, id)
);
select sentinel.distribute('note_events');
comment on table note_events is 'What happened to notes. sentinel:unaudited it is itself a trail.';
create trigger note_events_append_only
    before update or delete on note_events
    for each statement execute function sentinel.reject_modification();
select sentinel.enable_tenant_rls('note_events');
revoke update, delete, truncate on note_events from ${sentinel_app_role};
