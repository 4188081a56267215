package dev.sentinel.core.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PgBouncer in transaction pooling mode on loopback, in front of one database, for tests.
 * Started from Debian's package ({@value #BINARY}); PgBouncer refuses to run as root, so when the
 * JVM is root it runs as {@code nobody} through {@code setpriv}. Each pool is a database alias
 * with its own number of server connections. Logs to {@code pgbouncer.log} in its temporary
 * directory, which {@link #close()} removes.
 */
public final class PgBouncer implements AutoCloseable {

    /** Where Debian's {@code pgbouncer} package installs the binary. */
    public static final String BINARY = "/usr/sbin/pgbouncer";

    private final Process process;
    private final Path directory;
    private final int port;

    private PgBouncer(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    /**
     * Whether the binary is installed.
     *
     * @return {@code true} if {@value #BINARY} is executable
     */
    public static boolean installed() {
        return Files.isExecutable(Path.of(BINARY));
    }

    /**
     * Starts PgBouncer and waits until it accepts connections.
     *
     * @param serverJdbcUrl the database's URL, {@code jdbc:postgresql://host:port/database}
     * @param user the role clients connect as
     * @param password its password, which PgBouncer uses to log in to PostgreSQL
     * @param pools alias to number of server connections, e.g. {@code {"one": 1, "two": 2}}
     * @return the running PgBouncer
     * @throws IOException if it cannot be started
     */
    public static PgBouncer start(String serverJdbcUrl, String user, String password, Map<String, Integer> pools) throws IOException {
        URI server = URI.create(serverJdbcUrl.substring("jdbc:".length()));
        String host = server.getHost().equals("localhost") ? "127.0.0.1" : server.getHost();
        String database = server.getPath().substring(1);
        Path directory = Files.createTempDirectory("sentinel-pgbouncer");
        // Readable by the unprivileged user PgBouncer runs as; nothing secret beyond the test password.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = freePort();

        StringBuilder ini = new StringBuilder("[databases]\n");
        for (Map.Entry<String, Integer> pool : new LinkedHashMap<>(pools).entrySet()) {
            ini.append(pool.getKey()).append(" = host=").append(host).append(" port=").append(server.getPort())
                    .append(" dbname=").append(database).append(" pool_size=").append(pool.getValue()).append('\n');
        }
        ini.append("""

                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = %d
                unix_socket_dir =
                auth_type = trust
                auth_file = %s
                pool_mode = transaction
                max_client_conn = 200
                default_pool_size = 1
                reserve_pool_size = 0
                server_reset_query =
                ignore_startup_parameters = extra_float_digits
                log_connections = 0
                log_disconnections = 0
                """.formatted(port, directory.resolve("users.txt")));
        write(directory.resolve("users.txt"), "\"" + user + "\" \"" + password + "\"\n");
        write(directory.resolve("pgbouncer.ini"), ini.toString());

        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // PgBouncer refuses to run as root.
            int[] nobody = nobody();
            command.addAll(List.of("setpriv", "--reuid=" + nobody[0], "--regid=" + nobody[1], "--clear-groups", "--"));
        }
        command.addAll(List.of(BINARY, directory.resolve("pgbouncer.ini").toString()));
        Path log = directory.resolve("pgbouncer.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PgBouncer bouncer = new PgBouncer(process, directory, port);
        bouncer.awaitListening();
        return bouncer;
    }

    /**
     * The JDBC URL of one pool, with {@code prepareThreshold=0}: PgBouncer before 1.21 cannot
     * keep server-side prepared statements apart in transaction mode.
     *
     * @param alias the pool's alias
     * @return the URL
     */
    public String jdbcUrl(String alias) {
        return jdbcUrlWithServerPreparedStatements(alias) + "?prepareThreshold=0";
    }

    /**
     * The JDBC URL of one pool with pgjdbc's default, which names server-side prepared statements
     * after five executions: wrong behind PgBouncer 1.18, for the test that shows why.
     *
     * @param alias the pool's alias
     * @return the URL
     */
    public String jdbcUrlWithServerPreparedStatements(String alias) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + alias;
    }

    /**
     * What PgBouncer logged.
     *
     * @return the log, or a note that it cannot be read
     */
    public String log() {
        try {
            return Files.readString(directory.resolve("pgbouncer.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = log();
                close();
                throw new IOException("pgbouncer exited with " + process.exitValue() + ": " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        String log = log();
        close();
        throw new IOException("pgbouncer did not listen on port " + port + " within 15 s: " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + directory, e);
        }
    }

    private static int[] nobody() throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
            String[] fields = line.split(":");
            if (fields.length > 3 && fields[0].equals("nobody")) {
                return new int[] {Integer.parseInt(fields[2]), Integer.parseInt(fields[3])};
            }
        }
        throw new IOException("no user 'nobody' in /etc/passwd to run pgbouncer as (it refuses root)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
