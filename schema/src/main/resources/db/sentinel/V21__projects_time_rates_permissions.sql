-- Projects, continued (issue #10): the rate a time entry is billed at, fixed when the time is
-- booked, and the permissions of tx.projects() with their default roles.

-- The rate in force when the time was booked (given, or the assignment's, or the service's hourly
-- price). Kept on the entry so that a later change of a rate never rewrites booked time.
alter table sentinel.time_entries
    add column hourly_rate numeric(12, 2),
    add column currency    char(3),
    add constraint time_entries_rate_check check (hourly_rate >= 0),
    add constraint time_entries_rate_currency_check check ((hourly_rate is null) = (currency is null)),
    add constraint time_entries_currency_format check (currency ~ '^[A-Z]{3}$');

comment on column sentinel.time_entries.hourly_rate is
    'Rate per hour the entry is billed at, fixed when it was booked; null if the time has no price.';
comment on column sentinel.time_entries.currency is 'ISO 4217 code of hourly_rate; set exactly when hourly_rate is.';


-- Permissions and grants are global rows: only the system scope writes them (row-level security is
-- forced for the owner too), so this migration enters it for its own transaction and leaves it.
select set_config('sentinel.scope', 'system', true);

insert into sentinel.permissions (id, key, description)
values (gen_random_uuid(), 'project:create', 'Create projects.'),
       (gen_random_uuid(), 'project:update', 'Change a project''s fields and status.'),
       (gen_random_uuid(), 'project:delete', 'Soft-delete and restore projects.'),
       (gen_random_uuid(), 'project:assign', 'Assign members to a project and end assignments.'),
       (gen_random_uuid(), 'time_entry:write', 'Book, correct and delete one''s own time.'),
       (gen_random_uuid(), 'time_entry:manage', 'Book, correct and delete anyone''s time.'),
       (gen_random_uuid(), 'service:write', 'Change the price list (services).'),
       (gen_random_uuid(), 'environment:write', 'Create, change and delete the tenant''s environments.');

-- admin: everything; staff: the day-to-day writes; viewer: nothing that writes.
insert into sentinel.role_permissions (role_id, permission_id)
select r.id, p.id
  from sentinel.roles r
  join sentinel.permissions p on p.key in ('project:create', 'project:update', 'project:delete', 'project:assign',
                                           'time_entry:write', 'time_entry:manage', 'service:write',
                                           'environment:write')
 where r.key = 'admin';

insert into sentinel.role_permissions (role_id, permission_id)
select r.id, p.id
  from sentinel.roles r
  join sentinel.permissions p on p.key in ('project:update', 'time_entry:write')
 where r.key = 'staff';

select set_config('sentinel.scope', '', true);
