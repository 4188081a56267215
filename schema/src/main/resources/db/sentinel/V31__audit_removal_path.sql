-- The audit trails stay append-only for the runtime roles, but no longer for every role: a tenant's
-- purge, audit retention and (for the chain) the links of removed rows need a path that deletes
-- them. That path is the owner's alone, and only in a transaction that says why: SET LOCAL
-- sentinel.audit_removal = '<reason>' (a purge, a retention run). The application and system roles
-- hold no DELETE privilege on the trails, and the trigger refuses them even if a migration granted
-- one; UPDATE and TRUNCATE stay refused for every role, the owner and superusers included.
create or replace function sentinel.reject_modification() returns trigger
    language plpgsql
    as $$
begin
    if tg_op = 'DELETE'
       and current_user::text = '${sentinel_owner_role}'
       and coalesce(current_setting('sentinel.audit_removal', true), '') <> '' then
        return null;
    end if;
    raise exception '%.% is append-only: % is not allowed', tg_table_schema, tg_table_name, tg_op
        using errcode = 'restrict_violation', schema = tg_table_schema, table = tg_table_name,
              hint = 'Write a new row that corrects or supersedes the old one. Only the owner role may delete '
                     'rows, inside a transaction that sets sentinel.audit_removal to its reason (a purge, a retention run).';
end
$$;
comment on function sentinel.reject_modification() is
    'BEFORE UPDATE/DELETE/TRUNCATE statement trigger function of append-only tables: raises '
    'restrict_violation (SQLSTATE 23001), except for a DELETE by the owner role in a transaction that '
    'sets sentinel.audit_removal to its reason.';
