package dev.sentinel.agency.billing;

import static dev.sentinel.core.db.Tables.TENANTS;

import dev.sentinel.core.Sentinel;
import dev.sentinel.core.db.tables.records.TenantsRecord;
import dev.sentinel.core.support.Tenants;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Tenants with a time zone, a clock the tests move, and a fingerprint of every billing table. */
final class BillingFixture {

    /** Every table billing writes, and the audit trail. */
    static final List<String> TABLES = List.of("agency.clients", "agency.invoices", "agency.invoice_items",
            "agency.invoice_series", "sentinel.number_counters", "agency.ledger_entries", "sentinel.audit_log");

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private BillingFixture() {
    }

    /** A clock the test sets; thread-safe. A thread may also set its own instant, for the concurrency test. */
    static final class MovableClock extends Clock {
        private volatile Instant now;
        private final ThreadLocal<Instant> perThread = new ThreadLocal<>();

        MovableClock(Instant start) {
            this.now = start;
        }

        void set(Instant instant) {
            now = instant;
        }

        void setForThisThread(Instant instant) {
            perThread.set(instant);
        }

        @Override
        public Instant instant() {
            Instant mine = perThread.get();
            return mine != null ? mine : now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("not needed");
        }
    }

    static UUID tenant(Sentinel sentinel, String timeZone) {
        return sentinel.system(Tenants.SETUP).inTransaction(tx -> {
            int n = COUNTER.incrementAndGet();
            TenantsRecord tenant = new TenantsRecord().setSlug("billing-" + n + "-" + Long.toHexString(System.nanoTime()))
                    .setName("Billing " + n).setTimeZone(timeZone);
            return tx.table(TENANTS).insert(tenant).getId();
        });
    }

    /** Row count and a hash of every row of each billing table, read in the system scope. */
    static List<String> fingerprint(Sentinel sentinel) {
        return sentinel.system(Tenants.SETUP).inTransaction(tx -> {
            List<String> prints = new ArrayList<>();
            for (String table : TABLES) {
                prints.add(table + ": " + tx.dsl().fetchValue("select count(*) || ' ' || md5(coalesce(string_agg(t::text, '|'"
                        + " order by t::text), '')) from " + table + " t"));
            }
            return prints;
        });
    }
}
