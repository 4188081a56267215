-- Reading the audit trail on a Citus coordinator (issue #26). V32's sentinel.audit_reveal is a SQL
-- function with a SET clause, so PostgreSQL never inlines it: in a tenant's router query Citus runs
-- it on the worker that holds the tenant's shard, where its own query of the side table, with
-- parameters, cannot be planned ("could not create distributed plan ... parameters in SQL
-- functions"), and every tx.audit().list failed. On Citus it becomes the same query in PL/pgSQL,
-- allowed to run its one nested query (the tenant's shard of audit_personal_values, on the same
-- node, or a reference table's copy), as V18 and V22 do for the guards. Plain PostgreSQL keeps
-- V32's function.
do $citus$
begin
    if sentinel.on_citus_coordinator() then
        create or replace function sentinel.audit_reveal(tenant uuid, entity_type text, entity_id uuid, audit_id uuid,
                                                         diff jsonb)
            returns jsonb
            language plpgsql stable
            set search_path = pg_catalog, pg_temp
            set citus.allow_nested_distributed_execution = on
            as $$
        begin
            return (
        select case
            when diff is null or entity_id is null or jsonb_typeof(diff) <> 'object'
                 or strpos(diff::text, '"sentinel:personal"') = 0 then diff
            else (select jsonb_object_agg(c.key, case
                      when jsonb_typeof(c.value) <> 'object' then c.value
                      else (select jsonb_object_agg(s.key, case
                                when jsonb_typeof(s.value) = 'object' and s.value ? 'sentinel:personal' then coalesce(
                                    (select e.value -> 'value'
                                       from jsonb_each(k.committed) e
                                      where e.key = s.value ->> 'sentinel:personal'
                                        and encode(sha256(decode(e.value ->> 'salt', 'hex')
                                                          || convert_to((e.value -> 'value')::text, 'UTF8')), 'hex') = e.key),
                                    '"[erased]"'::jsonb)
                                else s.value end)
                              from jsonb_each(c.value) s)
                      end)
                    from jsonb_each(diff) c,
                         (select case when tenant is not null then
                                     (select v.committed from sentinel.audit_personal_values v
                                       where v.tenant_id = tenant and v.entity_type = audit_reveal.entity_type
                                         and v.entity_id = audit_reveal.entity_id and v.audit_id = audit_reveal.audit_id)
                                 else
                                     (select v.committed from sentinel.system_audit_personal_values v
                                       where v.entity_type = audit_reveal.entity_type and v.entity_id = audit_reveal.entity_id
                                         and v.audit_id = audit_reveal.audit_id)
                                 end as committed) k)
        end
            );
        end
        $$;
    end if;
end
$citus$;
