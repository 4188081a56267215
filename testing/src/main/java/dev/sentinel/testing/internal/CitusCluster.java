package dev.sentinel.testing.internal;

import dev.sentinel.schema.Roles;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The test databases of a Citus cluster, whose coordinator is the run's server. A Citus database
 * cannot be cloned from a template (its shards live in the workers' databases of the same name),
 * so each test class gets an empty database on every node, with the citus extension, the
 * coordinator and the workers registered, which the class then migrates. The workers are those
 * registered in the coordinator's maintenance database; this run connects to them with the
 * administrative user's credentials. Thread-safe (stateless).
 */
public final class CitusCluster {

    /**
     * Shards per distributed table in the test databases: fewer than Citus's default 32, so that
     * the migrations, which create every shard, stay quick; still several per worker.
     */
    static final int TEST_SHARD_COUNT = 8;

    private record Node(String host, int port) {
    }

    private CitusCluster() {
    }

    /**
     * Whether the server is a Citus coordinator: its maintenance database has the citus extension
     * and registered workers.
     *
     * @param server the server
     * @return true for a Citus coordinator
     * @throws IllegalStateException if the server cannot be asked
     */
    public static boolean isCoordinator(PostgresServer server) {
        try (Connection admin = server.adminDataSource().getConnection(); Statement statement = admin.createStatement();
                ResultSet row = statement.executeQuery("select exists (select from pg_extension where extname = 'citus')")) {
            row.next();
            return row.getBoolean(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not ask " + server.describe() + " whether it is a Citus coordinator: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Creates an empty database on the coordinator and every worker, owned by the owner role, with
     * the citus extension and the cluster's nodes registered in it.
     *
     * @param server the coordinator
     * @param database the new database's name
     * @param roles the roles (created on the coordinator, whence Citus propagates them)
     * @throws SQLException if a node refuses
     */
    public static void createDatabase(PostgresServer server, String database, Roles roles) throws SQLException {
        Node coordinator;
        List<Node> workers = new ArrayList<>();
        try (Connection admin = server.adminDataSource().getConnection(); Statement statement = admin.createStatement()) {
            try (ResultSet rows = statement.executeQuery("select nodename, nodeport, groupid from pg_dist_node order by groupid")) {
                Node found = null;
                while (rows.next()) {
                    Node node = new Node(rows.getString(1), rows.getInt(2));
                    if (rows.getInt(3) == 0) {
                        found = node;
                    } else {
                        workers.add(node);
                    }
                }
                if (found == null || workers.isEmpty()) {
                    throw new IllegalStateException(server.describe() + " has the citus extension but its maintenance database"
                            + " registers no coordinator or no worker; run citus_set_coordinator_host and citus_add_node there");
                }
                coordinator = found;
            }
            statement.execute("CREATE DATABASE " + database + " OWNER " + roles.owner());
        }
        for (Node worker : workers) {
            execute(on(server, worker, null), "CREATE DATABASE " + database + " OWNER " + roles.owner());
            execute(on(server, worker, database), "CREATE EXTENSION citus");
        }
        execute(server.dataSource(database, null, null), "CREATE EXTENSION citus",
                "ALTER DATABASE " + database + " SET citus.shard_count = " + TEST_SHARD_COUNT,
                // The runtime sends it itself; the tests' own raw transactions (fixtures that set the
                // tenant with SET LOCAL) need it too, as docs/recipes.md advises for every database.
                "ALTER DATABASE " + database + " SET citus.propagate_set_commands = 'local'",
                "SET citus.shard_count = " + TEST_SHARD_COUNT,
                "SELECT citus_set_coordinator_host('" + coordinator.host() + "', " + coordinator.port() + ")");
        for (Node worker : workers) {
            execute(server.dataSource(database, null, null),
                    "SELECT citus_add_node('" + worker.host() + "', " + worker.port() + ")");
        }
    }

    /**
     * Drops a database on the workers (the caller drops it on the coordinator).
     *
     * @param server the coordinator
     * @param database the database
     */
    public static void dropOnWorkers(PostgresServer server, String database) {
        try (Connection admin = server.adminDataSource().getConnection(); Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery("select nodename, nodeport from pg_dist_node where groupid <> 0")) {
            while (rows.next()) {
                execute(on(server, new Node(rows.getString(1), rows.getInt(2)), null),
                        "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop " + database + " on the workers of " + server.describe()
                    + ": " + e.getMessage(), e);
        }
    }

    private static DataSource on(PostgresServer server, Node node, String database) {
        PGSimpleDataSource dataSource = (PGSimpleDataSource) server.dataSource(database == null ? "postgres" : database, null, null);
        dataSource.setServerNames(new String[] {node.host()});
        dataSource.setPortNumbers(new int[] {node.port()});
        return dataSource;
    }

    private static void execute(DataSource dataSource, String... sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }
}
