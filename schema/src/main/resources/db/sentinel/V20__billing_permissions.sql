-- Billing's permissions (issue #9), checked by tx.invoices() with tx.authorize before any write,
-- and granted to the default tenant roles of V17: admin everything; staff the day-to-day writes
-- (clients, drafts, issuing, payments, ledger); viewer nothing that writes. Voiding, credit notes
-- and number formats are corrections or configuration, so admin only by default; a service changes
-- the defaults with tx.roles().
set local sentinel.scope = 'system';

insert into sentinel.permissions (id, key, description)
values (gen_random_uuid(), 'client:write', 'Create, change and delete the tenant''s clients.'),
       (gen_random_uuid(), 'invoice:draft', 'Create, change and delete draft invoices and their lines; draft credit notes.'),
       (gen_random_uuid(), 'invoice:issue', 'Issue an invoice: give it the next number of its series and freeze it.'),
       (gen_random_uuid(), 'invoice:mark_paid', 'Mark an issued invoice or credit note paid.'),
       (gen_random_uuid(), 'invoice:void', 'Void an issued invoice or credit note (its number stays used).'),
       (gen_random_uuid(), 'invoice:credit', 'Issue a credit note against an issued invoice.'),
       (gen_random_uuid(), 'invoice:configure', 'Configure number series and their number formats.'),
       (gen_random_uuid(), 'ledger:record', 'Book payments, refunds and other entries in the tenant''s ledger.');

insert into sentinel.role_permissions (role_id, permission_id)
select r.id, p.id
  from sentinel.roles r
  join sentinel.permissions p on p.key in ('client:write', 'invoice:draft', 'invoice:issue', 'invoice:mark_paid',
                                          'invoice:void', 'invoice:credit', 'invoice:configure', 'ledger:record')
 where r.key = 'admin';

insert into sentinel.role_permissions (role_id, permission_id)
select r.id, p.id
  from sentinel.roles r
  join sentinel.permissions p on p.key in ('client:write', 'invoice:draft', 'invoice:issue', 'invoice:mark_paid',
                                          'ledger:record')
 where r.key = 'staff';

set local sentinel.scope = '';
