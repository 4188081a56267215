package dev.sentinel.bench;

import dev.sentinel.agency.billing.Clients;
import dev.sentinel.agency.billing.Invoices;
import dev.sentinel.agency.billing.NewClient;
import dev.sentinel.agency.billing.NewInvoice;
import dev.sentinel.core.Actor;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.enums.SeatType;
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
 * Sentinel's lines of the invoice contention benchmark: {@code tx.attach(Invoices.class).issue(draftId)} in a
 * tenant transaction, the draft (one line) created before, untimed, through the same API. Three
 * variants: a service actor, so no permission is looked up; a user actor holding the tenant's
 * {@code staff} role, so the transaction's first {@code authorize} loads the user's permissions (one
 * query); and the service actor with one issuing transaction in ten rolled back after the number
 * was taken (the numbers must stay consecutive; its rate counts the rolled-back transactions too,
 * since each did the issue's work). Prepare and check run on one thread; {@link #issue} on many.
 */
final class SentinelIssuing implements InvoiceContention.Issuer {

    /** Makes the issuers over a Sentinel: service actor, user actor, one in ten rolled back. */
    static final Function<Sentinel, List<InvoiceContention.Issuer>> FACTORY = sentinel -> List.of(
            new SentinelIssuing(sentinel, "Sentinel issue()", false, 0),
            new SentinelIssuing(sentinel, "Sentinel issue(), user actor", true, 0),
            new SentinelIssuing(sentinel, "Sentinel issue(), 1 in 10 rolled back", false, 10));

    private static final Actor ACTOR = Actor.service("bench-billing");

    private final Sentinel sentinel;
    private final String name;
    private final boolean userActor;
    private final int rollbackEvery;
    private final Map<UUID, UUID> clients = new ConcurrentHashMap<>();
    private final Map<UUID, Actor> users = new ConcurrentHashMap<>();
    private volatile UUID[] drafts = new UUID[0];

    private SentinelIssuing(Sentinel sentinel, String name, boolean userActor, int rollbackEvery) {
        this.sentinel = sentinel;
        this.name = name;
        this.userActor = userActor;
        this.rollbackEvery = rollbackEvery;
    }

    @Override
    public String name() {
        return name;
    }

    /** Thrown inside an issuing transaction to roll it back after the number was taken. */
    private static final class Rollback extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Rollback() {
            super("bench: rolled back on purpose", null, false, false);
        }
    }

    /** The actor issuing in a tenant: the service, or a member of the tenant with the staff role (made once). */
    private Actor issuer(UUID tenant) {
        if (!userActor) {
            return ACTOR;
        }
        return users.computeIfAbsent(tenant, t -> {
            UUID user = sentinel.system(ACTOR).inTransaction(tx -> tx.users().create("issuer-" + t + "@bench.example",
                    "Bench issuer").id());
            sentinel.tenant(t, ACTOR).useTransaction(tx -> tx.members().add(user, SeatType.PRO, "staff"));
            return Actor.user(user);
        });
    }

    @Override
    public void prepare(String series, List<UUID> tenants, int ops) {
        UUID[] prepared = new UUID[ops];
        for (int t = 0; t < tenants.size(); t++) {
            UUID tenant = tenants.get(t);
            int first = t;
            issuer(tenant);
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
        boolean rollBack = rollbackEvery > 0 && op % rollbackEvery == rollbackEvery - 1;
        try {
            sentinel.tenant(tenant, issuer(tenant)).useTransaction(tx -> {
                tx.attach(Invoices.class).issue(draft);
                work.run();
                if (rollBack) {
                    throw new Rollback();
                }
            });
        } catch (Rollback expected) {
            // The number it took went back with the rollback; the next issuer of the tenant gets it.
        }
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
