package dev.sentinel.schema.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the migration session sends a Citus coordinator instead of a statement Citus refuses (the
 * whole kernel migrating on a real cluster is {@code CitusClusterTest} under {@code -Pcitus}).
 */
class CitusStatementsTest {

    @Test
    void anAlterTableAddingAConstraintAmongOtherSubcommandsBecomesOneStatementPerSubcommand() {
        assertThat(CitusStatements.rewrite("""
                -- The closed state.
                alter table sentinel.tenants
                    add column closed_at   timestamptz,
                    add column purge_after timestamptz,
                    add constraint tenants_closed_check check ((closed_at is null) = (purge_after is null) and purge_after >= closed_at)"""))
                .containsExactly("alter table sentinel.tenants add column closed_at   timestamptz",
                        "alter table sentinel.tenants add column purge_after timestamptz",
                        "alter table sentinel.tenants add constraint tenants_closed_check check ((closed_at is null) = (purge_after is null)"
                                + " and purge_after >= closed_at)");
        assertThat(CitusStatements.rewrite("ALTER TABLE ONLY \"My Table\" ADD COLUMN a int DEFAULT 1, ADD FOREIGN KEY (t, a)"
                + " REFERENCES b (t, id);"))
                .containsExactly("ALTER TABLE ONLY \"My Table\" ADD COLUMN a int DEFAULT 1",
                        "ALTER TABLE ONLY \"My Table\" ADD FOREIGN KEY (t, a) REFERENCES b (t, id)");
    }

    @Test
    void everyOtherStatementIsSentAsItIs() {
        for (String sql : List.of(
                "alter table t add column a int, add column b int",
                "alter table t add constraint c check (a > 0)",
                "alter table t add column a text default 'x, add constraint y check (true)'",
                "alter table t add column a int, add constraint c check (a <> all ('{1,2}'::int[]))  -- a comment, add check (true)",
                "create table t (a int, constraint c check (a > 0), b int)",
                "select sentinel.distribute('t')",
                "create function f() returns int language sql as $$ select 1 $$")) {
            assertThat(CitusStatements.rewrite(sql)).describedAs(sql).containsExactly(sql);
        }
    }
}
