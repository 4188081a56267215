-- The schema linter (docs/linter.md) requires the audit trigger on every table whose comment does
-- not say why it goes without one: "sentinel:unaudited <reason>". These are the tables V14 left
-- unaudited, for the reasons it gave; the marker now carries the reason into the catalog, where the
-- linter (and anyone reading the generated Javadoc) finds it. The existing comments are kept.
do $unaudited$
declare
    exemption record;
begin
    for exemption in
        select table_name::regclass as target, reason
          from (values
                ('sentinel.audit_log', 'it is the audit trail itself.'),
                ('sentinel.system_audit_log', 'it is the audit trail itself.'),
                ('sentinel.audit_chain', 'it seals the audit trail, which is audited already.'),
                ('sentinel.jobs', 'claims and heartbeats would flood the trail; dead-lettering and cancellation are audited explicitly.'),
                ('sentinel.invoice_sequences', 'a counter; the invoice it numbers is audited.'),
                ('sentinel.auth_attempts', 'itself a log of sign-in attempts.')
               ) as e (table_name, reason)
    loop
        execute format('comment on table %s is %L', exemption.target,
                       obj_description(exemption.target, 'pg_class') || ' sentinel:unaudited ' || exemption.reason);
    end loop;
end
$unaudited$;
