package dev.sentinel.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.core.Sentinel;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.testing.SentinelDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit row's actor (from {@code sentinel.actor_id}) and the audit trigger's entity id are told
 * apart from other text by {@code sentinel.is_uuid_text}, a LIKE and a translate that replaced a
 * regular expression for speed (issue 24). It must accept exactly the strings the expression
 * accepted, or an audit row would name a wrong actor or entity, or a write would fail on a cast.
 */
class AuditActorParsingTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().build();

    private static final String UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
    private static UUID tenant;

    @BeforeAll
    static void start() {
        tenant = Tenants.create(Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).build());
    }

    /** Uuids and near misses: each place a character could be wrong, case, length, dashes, non-ASCII. */
    private static List<String> candidates() {
        String uuid = "0190f5d2-00ab-7cde-8f00-00000000616e";
        List<String> texts = new ArrayList<>(List.of(uuid, uuid.toUpperCase(), "0190F5d2-00Ab-7cDe-8F00-00000000616E",
                "", "-", "service:0190f5d2-00ab-7cde-8f00-00000000616e", uuid + " ", " " + uuid, uuid + "0",
                uuid.substring(1), uuid.replace("-", ""), "{" + uuid + "}", "0190f5d2000ab-7cde-8f00-00000000616e",
                "0190f5d2-00ab-7cde-8f00-00000000616-", "------------------------------------",
                "0190f5d2-00ab-7cde-8f00-0000000061é6", "0190f5d2-00ab-7cde-8f00-0000000061\n6",
                "0190f5d2-00ab-7cde-8f00-0000000061_6", "0190f5d2-00ab-7cde-8f00-0000000061%6"));
        for (int i = 0; i < uuid.length(); i++) {
            for (char replacement : new char[] {'g', 'G', 'z', '-', ' ', '0'}) {
                texts.add(uuid.substring(0, i) + replacement + uuid.substring(i + 1));
            }
        }
        return texts;
    }

    @Test
    void theUuidTestAcceptsExactlyWhatTheRegularExpressionAccepted() throws SQLException {
        try (Connection connection = db.appDataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select sentinel.is_uuid_text(?), ? ~ '" + UUID_PATTERN + "', sentinel.is_uuid_text(null)")) {
            int accepted = 0;
            for (String text : candidates()) {
                statement.setString(1, text);
                statement.setString(2, text);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    assertThat(row.getBoolean(1)).describedAs("is_uuid_text('%s')", text).isEqualTo(row.getBoolean(2));
                    assertThat(row.getObject(3)).describedAs("null for null, as the match").isNull();
                    accepted += row.getBoolean(1) ? 1 : 0;
                }
            }
            assertThat(accepted).describedAs("some candidates are uuids")
                    .isGreaterThan(3);
        }
    }

    @Test
    void rawWritesRecordTheActorAsBefore() throws SQLException {
        UUID user = UUID.fromString("0190f5d2-00ab-7cde-8f00-00000000616e");
        assertThat(actorOfARawEntry(user.toString().toUpperCase())).isEqualTo("user|" + user + "|null");
        assertThat(actorOfARawEntry("service:billing")).isEqualTo("service|null|billing");
        assertThat(actorOfARawEntry("0190f5d2-00ab-7cde-8f00-00000000616g"))
                .describedAs("shaped like a uuid, but not one: a raw client's label").isEqualTo("anonymous|null|0190f5d2-00ab-7cde-8f00-00000000616g");
        assertThat(actorOfARawEntry("")).isEqualTo("anonymous|null|null");
    }

    /** The actor columns of a custom audit entry written by raw SQL with {@code actorId} as the actor setting. */
    private static String actorOfARawEntry(String actorId) throws SQLException {
        try (Connection connection = db.appDataSource().getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                statement.execute("set local sentinel.scope = 'tenant'");
                statement.execute("set local sentinel.tenant_id = '" + tenant + "'");
                try (PreparedStatement set = connection.prepareStatement("select set_config('sentinel.actor_id', ?, true)")) {
                    set.setString(1, actorId);
                    set.execute();
                }
                try (ResultSet row = statement.executeQuery("insert into sentinel.audit_log (tenant_id, id, action) values ('"
                        + tenant + "', gen_random_uuid(), 'report.export') returning actor_type, actor_id, actor_label")) {
                    row.next();
                    return row.getString(1) + "|" + row.getString(2) + "|" + row.getString(3);
                }
            } finally {
                connection.rollback();
            }
        }
    }
}
