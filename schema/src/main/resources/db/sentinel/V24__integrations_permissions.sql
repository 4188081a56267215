-- Integrations (issue 10): the permissions of tx.integrations(). Connecting a tenant to a provider
-- hands a third party access to the tenant's accounts there, so by default only admin may; the
-- token refresh is usually a service's job (a service actor passes every check).
set local sentinel.scope = 'system';

insert into sentinel.permissions (id, key, description)
values (gen_random_uuid(), 'integration:connect', 'Connect the tenant to a provider, or reconnect it, storing its tokens.'),
       (gen_random_uuid(), 'integration:refresh', 'Store refreshed tokens of a connection, or record the provider''s error.'),
       (gen_random_uuid(), 'integration:disconnect', 'Disconnect a provider, erasing its tokens.');

insert into sentinel.role_permissions (role_id, permission_id)
select r.id, p.id
  from sentinel.roles r
  join sentinel.permissions p on p.key in ('integration:connect', 'integration:refresh', 'integration:disconnect')
 where r.key = 'admin';
