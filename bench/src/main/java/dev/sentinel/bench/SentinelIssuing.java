package dev.sentinel.bench;

import dev.sentinel.agency.billing.Clients;
import dev.sentinel.agency.billing.Invoices;
import dev.sentinel.agency.billing.NewClient;
import dev.sentinel.agency.billing.NewInvoice;
import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jooq.Record4;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Sentinel's line of the invoice contention benchmark: {@code tx.attach(Invoices.class).issue(draftId)} in a
 * tenant transaction, the draft (one line) created before, untimed, through the same API. The
 * actor is a service, so no permission is looked up (a user actor adds the permission check's
 * one query to the first {@code authorize} of a transaction). Prepare and check run on one thread;
 * {@link #issue} on many.
 */
final class SentinelIssuing implements InvoiceContention.Issuer {

    /** Makes the issuer over a Sentinel. */
    static final Function<Sentinel, InvoiceContention.Issuer> FACTORY = SentinelIssuing::new;

    private static final Actor ACTOR = Actor.service("bench-billing");

    private final Sentinel sentinel;
    private final Map<UUID, UUID> clients = new ConcurrentHashMap<>();
    private volatile UUID[] drafts = new UUID[0];

    private SentinelIssuing(Sentinel sentinel) {
        this.sentinel = sentinel;
    }

    @Override
    public String name() {
        return "Sentinel issue()";
    }

    @Override
    public void prepare(String series, List<UUID> tenants, int ops) {
        UUID[] prepared = new UUID[ops];
        for (int t = 0; t < tenants.size(); t++) {
            UUID tenant = tenants.get(t);
            int first = t;
            sentinel.tenant(tenant, ACTOR).useTransaction(tx -> {
                UUID client = clients.get(tenant);
                if (client == null) {
                    client = tx.attach(Clients.class).create(NewClient.of("Benchmark client")).id();
                }
                for (int i = first; i < ops; i += tenants.size()) {
                    UUID draft = tx.attach(Invoices.class).createDraft(NewInvoice.of(client, "EUR").withSeries(series)).id();
                    tx.attach(Invoices.class).addItem(draft, "Design work", new BigDecimal("12.5"), new BigDecimal("95.00"));
                    prepared[i] = draft;
                }
                UUID created = client;
                tx.afterCommit(() -> clients.put(tenant, created));
            });
        }
        drafts = prepared;
    }

    @Override
    public int issue(int op, UUID tenant, Runnable work) {
        UUID draft = drafts[op];
        sentinel.tenant(tenant, ACTOR).useTransaction(tx -> {
            tx.attach(Invoices.class).issue(draft);
            work.run();
        });
        return 0;
    }

    @Override
    public Boolean consecutive(String series, List<UUID> tenants) {
        boolean all = true;
        for (UUID tenant : tenants) {
            Record4<Long, Long, Integer, Integer> row = sentinel.tenant(tenant, ACTOR).inTransaction(tx -> tx.dsl()
                    .select(DSL.count().cast(SQLDataType.BIGINT), DSL.countDistinct(DSL.field("sequence_number")).cast(SQLDataType.BIGINT),
                            DSL.min(DSL.field("sequence_number", Integer.class)), DSL.max(DSL.field("sequence_number", Integer.class)))
                    .from(DSL.table("agency.invoices"))
                    .where(DSL.field("tenant_id", UUID.class).eq(tenant), DSL.field("series", String.class).eq(series),
                            DSL.field("status", String.class).eq("issued"))
                    .fetchOne());
            long count = row.value1();
            all &= count == 0 || (row.value2() == count && row.value3() == 1 && row.value4() == count);
        }
        return all;
    }
}
