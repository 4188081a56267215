-- On a Citus coordinator (issue 26), a statement that calls sentinel.next_number and names one
-- tenant's rows (the agency's issue: the number is allocated in a CTE over the draft, by its key)
-- is routed whole to the worker that holds the tenant's shard, and the call runs there. Its insert
-- into number_counters is then a distributed query inside a shard's query, which Citus refuses
-- ("cannot execute a distributed query from a query on a shard") unless the function allows it.
-- The counter it writes is the current tenant's, whose shard is colocated with every tenant table's
-- shard of that tenant, so Citus runs it locally, in the calling transaction: the counter's lock and
-- the invoice commit or roll back together, as on plain PostgreSQL. The same setting as the guards
-- of V22 and the agency's V10, for the same reason. Plain PostgreSQL is unchanged.
do $do$
begin
    if not sentinel.on_citus_coordinator() then
        return;
    end if;
    alter function sentinel.next_number(text, text) set citus.allow_nested_distributed_execution = on;
end
$do$;
