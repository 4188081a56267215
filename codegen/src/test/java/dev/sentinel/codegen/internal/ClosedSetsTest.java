package dev.sentinel.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.codegen.internal.ClosedSets.ClosedSet;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Which CHECK constraints become enums, read from a real catalog (the constraint text is whatever
 * {@code pg_get_constraintdef} prints, so the parser is tested against PostgreSQL's own output).
 */
class ClosedSetsTest {

    @Test
    void readsListConstraintsOnTextColumnsAndLeavesEverythingElse() throws Exception {
        RecordingLog log = new RecordingLog();
        List<ClosedSet> sets;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("""
                    create schema app;
                    create table app.invoices (
                        status text not null check (status in ('draft', 'issued', 'void')),
                        kind varchar(20) check (kind in ('standard', 'credit-note')),
                        "Mode" text check ("Mode" in ('a', 'b')),
                        quoted text constraint quoted_values check (quoted in ('it''s', 'back\\slash')),
                        active text check (active in ('active', 'inactive')),
                        nullable text check (nullable is null or nullable in ('x', 'y')),
                        single text check (single = 'only'),
                        ranged int check (ranged in (1, 2)),
                        clash text check (clash in ('a-b', 'a_b')),
                        two text check (two in ('p', 'q')) check (two in ('p', 'q', 'r')),
                        lo text, hi text, check (lo in ('a') and hi in ('b'))
                    );
                    comment on column app.invoices.status is 'Where the invoice is in its life.';
                    alter table app.invoices add constraint later check (lo in ('l1', 'l2')) not valid;
                    create table app.other (status text check (status in ('on', 'off')));
                    create table public.elsewhere (status text check (status in ('on', 'off')));
                    """);
            sets = ClosedSets.read(connection, "app", log);
        }

        assertThat(sets).extracting(s -> s.table() + "." + s.column()).containsExactly(
                "invoices.Mode", "invoices.active", "invoices.kind", "invoices.lo", "invoices.quoted",
                "invoices.status", "other.status");
        ClosedSet status = sets.stream().filter(s -> s.column().equals("status") && s.table().equals("invoices"))
                .findFirst().orElseThrow();
        assertThat(status.literals()).containsExactly("draft", "issued", "void");
        assertThat(status.constants()).containsExactly("DRAFT", "ISSUED", "VOID");
        assertThat(status.className()).isEqualTo("InvoicesStatus");
        assertThat(status.comment()).isEqualTo("Where the invoice is in its life.");
        assertThat(status.constraint()).isEqualTo("invoices_status_check");
        assertThat(find(sets, "kind").constants()).containsExactly("STANDARD", "CREDIT_NOTE");
        assertThat(find(sets, "Mode").className()).isEqualTo("InvoicesMode");
        assertThat(find(sets, "quoted").literals()).containsExactly("it's", "back\\slash");
        assertThat(find(sets, "active").constants())
                .describedAs("upper case in Locale.ROOT under the JVM's %s", Locale.getDefault())
                .containsExactly("ACTIVE", "INACTIVE");
        assertThat(find(sets, "lo").literals()).describedAs("NOT VALID constraint").containsExactly("l1", "l2");
        assertThat(log.lines()).filteredOn(l -> l.startsWith("DEBUG Closed sets:"))
                .anyMatch(l -> l.contains("invoices.nullable"))
                .anyMatch(l -> l.contains("invoices.single"))
                .anyMatch(l -> l.contains("invoices.ranged"))
                .anyMatch(l -> l.contains("invoices.clash"))
                .anyMatch(l -> l.contains("invoices.two"));
    }

    @Test
    void aCommentNamesTheEnumAndColumnsWithTheSameValuesShareIt() throws Exception {
        RecordingLog log = new RecordingLog();
        List<ClosedSet> sets;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("""
                    create schema app;
                    create table app.invoices (kind text check (kind in ('invoice', 'credit_note')),
                                               status text check (status in ('draft', 'issued')));
                    create table app.invoice_series (kind text check (kind in ('invoice', 'credit_note')));
                    create table app.drafts (kind text check (kind in ('invoice', 'quote')));
                    create table app.quotes (kind text check (kind in ('invoice', 'quote')));
                    comment on column app.invoices.kind is 'What the document is. sentinel:enum InvoiceKind';
                    comment on column app.invoice_series.kind is 'sentinel:enum InvoiceKind The kind it numbers.';
                    comment on column app.drafts.kind is 'sentinel:enum DraftKind';
                    comment on column app.quotes.kind is 'sentinel:enum DraftKind';
                    create table app.a (v text check (v in ('x', 'y')));
                    create table app.b (v text check (v in ('x', 'z')));
                    comment on column app.a.v is 'sentinel:enum Clash';
                    comment on column app.b.v is 'sentinel:enum Clash';
                    comment on column app.invoices.status is 'sentinel:enum lowercase';
                    """);
            sets = ClosedSets.read(connection, "app", log);
        }

        assertThat(sets).extracting(s -> s.table() + "." + s.column() + " " + s.className()).containsExactly(
                "drafts.kind DraftKind", "invoice_series.kind InvoiceKind", "invoices.kind InvoiceKind",
                "invoices.status InvoicesStatus", "quotes.kind DraftKind");
        assertThat(log.lines()).describedAs("one name for different values leaves both columns text")
                .anyMatch(l -> l.contains("[app.a.v, app.b.v] map to the enum name Clash with different values"));
    }

    @Test
    void parsesPostgresForms() {
        assertThat(ClosedSets.parseLiterals("CHECK ((plan = ANY (ARRAY['free'::text, 'pro'::text])))", "plan"))
                .contains(List.of("free", "pro"));
        assertThat(ClosedSets.parseLiterals(
                "CHECK (((kind)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])))", "kind"))
                .contains(List.of("a", "b"));
        assertThat(ClosedSets.parseLiterals("CHECK ((plan = ANY (ARRAY['x, y'::text, ')'::text])))", "plan"))
                .contains(List.of("x, y", ")"));
        assertThat(ClosedSets.parseLiterals("CHECK ((plan = ANY (ARRAY['free'::text])))", "other")).isEmpty();
        assertThat(ClosedSets.parseLiterals("CHECK ((plan = ANY (ARRAY['a'::text, 'a'::text])))", "plan")).isEmpty();
        assertThat(ClosedSets.parseLiterals("CHECK ((char_length(plan) < 5))", "plan")).isEmpty();
        assertThat(ClosedSets.parseLiterals("UNIQUE (plan)", "plan")).isEmpty();
    }

    @Test
    void namesConstantsAndClasses() {
        assertThat(ClosedSets.constantName("inProgress")).isEqualTo("IN_PROGRESS");
        assertThat(ClosedSets.constantName("in progress")).isEqualTo("IN_PROGRESS");
        assertThat(ClosedSets.constantName("2fa")).isEqualTo("_2FA");
        assertThat(ClosedSets.constantName("iptal-edildi")).isEqualTo("IPTAL_EDILDI");
        assertThat(ClosedSets.constantName("über")).isEqualTo("ÜBER");
        assertThat(ClosedSets.constantName("--")).isNull();
        assertThat(ClosedSets.constantNames(List.of("a-b", "a b"))).isEmpty();
        assertThat(ClosedSets.className("order_items", "state")).isEqualTo("OrderItemsState");
        assertThat(ClosedSets.className("invoices", "is_paid")).isEqualTo("InvoicesIsPaid");
    }

    private static ClosedSet find(List<ClosedSet> sets, String column) {
        return sets.stream().filter(s -> s.column().equals(column)).findFirst().orElseThrow();
    }
}
