package dev.sentinel.core.support;

import dev.sentinel.schema.DatabaseBootstrap;
import dev.sentinel.schema.Roles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A private embedded PostgreSQL that a test may crash and restart, for durability tests: not the
 * shared test server, which other classes use. It runs with {@code synchronous_commit=on} and
 * {@code fsync=on} (zonky's defaults are off), in a non-UTC zone like the shared one, on a fixed
 * data directory and port, so a restarted server replays the WAL and a {@code Sentinel} keeps its
 * JDBC URL. {@link #crash()} kills the postmaster and every backend with SIGKILL (harsher than
 * {@code pg_ctl -m immediate}: nothing of PostgreSQL's shutdown runs). Not thread-safe: one test
 * thread crashes and restarts it.
 */
public final class CrashablePostgres implements AutoCloseable {

    /** The role names. */
    public static final Roles ROLES = Roles.defaults();
    /** The password of both roles. */
    public static final String PASSWORD = "sentinel-test";

    private final Path data;
    private final String database;
    private EmbeddedPostgres server;
    private int crashes;

    private CrashablePostgres(Path data, String database, EmbeddedPostgres server) {
        this.data = data;
        this.database = database;
        this.server = server;
    }

    /**
     * Starts a new server in {@code data}, creates Sentinel's roles (password {@link #PASSWORD})
     * and an empty database owned by the owner role.
     *
     * @param data an empty directory for the cluster
     * @param database the database to create
     * @return the running server
     * @throws IOException if the server does not start
     * @throws SQLException if the bootstrap fails
     */
    public static CrashablePostgres start(Path data, String database) throws IOException, SQLException {
        CrashablePostgres postgres = new CrashablePostgres(data, database, launch(data, 0));
        try (Connection admin = postgres.server.getPostgresDatabase().getConnection()) {
            DatabaseBootstrap.bootstrapRoles(admin, ROLES);
            DatabaseBootstrap.setPassword(admin, ROLES.owner(), PASSWORD);
            DatabaseBootstrap.setPassword(admin, ROLES.app(), PASSWORD);
            DatabaseBootstrap.setPassword(admin, ROLES.system(), PASSWORD);
            DatabaseBootstrap.createDatabase(admin, database, ROLES);
        }
        return postgres;
    }

    /**
     * The JDBC URL of the database.
     *
     * @return {@code jdbc:postgresql://localhost:<port>/<database>}
     */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
    }

    /**
     * An unpooled data source of a role on the database.
     *
     * @param user the role, such as {@code ROLES.owner()}
     * @return the data source
     */
    public PGSimpleDataSource dataSource(String user) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {"localhost"});
        dataSource.setPortNumbers(new int[] {server.getPort()});
        dataSource.setDatabaseName(database);
        dataSource.setUser(user);
        dataSource.setPassword(PASSWORD);
        return dataSource;
    }

    /**
     * How often {@link #crash()} ran.
     *
     * @return the number of crashes
     */
    public int crashes() {
        return crashes;
    }

    /**
     * Crashes the server: SIGKILL to the postmaster, then to every process it had started.
     *
     * @throws Exception if a process does not exit within 30 seconds
     */
    public void crash() throws Exception {
        long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().strip());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no postmaster " + pid));
        // Stopped first, so that it forks no backend between the listing and the kill: such a
        // backend would outlive it, hold its shared memory and keep the restarted server from starting.
        Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(pid)).inheritIO().start();
        if (!stop.waitFor(30, TimeUnit.SECONDS) || stop.exitValue() != 0) {
            throw new IOException("kill -STOP " + pid + " failed");
        }
        List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
        all.addFirst(postmaster);
        for (ProcessHandle process : all) {
            process.destroyForcibly();
        }
        for (ProcessHandle process : all) {
            process.onExit().get(30, TimeUnit.SECONDS);
        }
        // Releases zonky's lock on the data directory; its "stop" fails, as the server is already dead.
        try (QuietLogs quiet = QuietLogs.off("io.zonky.test.db.postgres.embedded")) {
            server.close();
        }
        crashes++;
    }

    /**
     * Starts a new server on the same data directory and port after {@link #crash()}; it replays
     * the WAL before it accepts connections.
     *
     * @throws IOException if it does not start
     */
    public void restart() throws IOException {
        server = launch(data, server.getPort());
    }

    /** Stops the server. */
    @Override
    public void close() throws IOException {
        server.close();
    }

    private static EmbeddedPostgres launch(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setServerConfig("timezone", "America/St_Johns") // as the shared test server: not UTC
                .setServerConfig("synchronous_commit", "on")
                // zonky starts postgres with -F (fsync off); a later -c wins.
                .setServerConfig("fsync", "on")
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
    }
}
