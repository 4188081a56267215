package dev.sentinel.codegen.internal;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL server that the plugin runs as its own child process, from the binaries zonky has
 * extracted, instead of through zonky's {@code pg_ctl -w start} and {@code pg_ctl -w stop}: those
 * look at the server's state every 100 ms, so each start and each stop waited up to 100 ms after
 * the server was done. Here the start reads {@code postmaster.pid} every few milliseconds until the
 * server says it accepts connections (as {@code pg_ctl} itself decides), and the stop sends the
 * fast-shutdown signal and waits for the child to exit. The server's output is appended to the log
 * file; a shutdown hook stops it if the JVM exits first.
 *
 * <p>Thread-safe for {@link #database}; {@link #close()} once.
 */
final class Postmaster implements EmbeddedServer {

    /** How long the server may take to accept connections, longer than any start on a loaded machine. */
    private static final Duration START = Duration.ofSeconds(60);

    /** How long a fast shutdown may take before the server is stopped at once (no checkpoint). */
    private static final Duration STOP = Duration.ofSeconds(30);

    // postmaster.pid: the pid is line 1, the server's state line 8 (PostgreSQL's LOCK_FILE_LINE_PM_STATUS).
    private static final int STATUS_LINE = 7;

    private final Process process;
    private final int port;
    private final Thread stopAtExit;

    private Postmaster(Process process, int port) {
        this.process = process;
        this.port = port;
        this.stopAtExit = new Thread(process::destroy, "sentinel-codegen-postgres-stop"); // SIGTERM
    }

    /**
     * Starts {@code postgres} on an existing cluster and waits until it accepts connections.
     *
     * @param binaries zonky's extracted binaries ({@link EmbeddedTarget#binaries()})
     * @param dataDirectory the cluster
     * @param settings server settings ({@code -c name=value})
     * @param log where the server's output goes
     * @return the running server
     * @throws IOException if it cannot be started, exits, or does not become ready in time (it is
     *     stopped then)
     */
    static Postmaster start(Path binaries, Path dataDirectory, Map<String, String> settings,
            ProcessBuilder.Redirect log) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = EmbeddedTarget.asZonkyRunsIt(binaries.resolve("bin/postgres"));
        command.addAll(List.of("-D", dataDirectory.toString(), "-p", Integer.toString(port)));
        settings.forEach((name, value) -> command.addAll(List.of("-c", name + "=" + value)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        Postmaster server = new Postmaster(process, port);
        try {
            server.awaitReady(dataDirectory.resolve("postmaster.pid"));
        } catch (IOException | RuntimeException e) {
            server.stop(e);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(server.stopAtExit);
        return server;
    }

    private void awaitReady(Path pidFile) throws IOException {
        String pid = Long.toString(process.pid());
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("PostgreSQL exited with " + process.exitValue() + " while starting");
            }
            try {
                List<String> lines = Files.readAllLines(pidFile);
                // A pid file of an earlier server (one that was killed) names another process.
                if (lines.size() > STATUS_LINE && lines.get(0).strip().equals(pid)
                        && lines.get(STATUS_LINE).strip().equals("ready")) {
                    return;
                }
            } catch (NoSuchFileException e) {
                // Not written yet.
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("PostgreSQL did not accept connections within " + START.toSeconds() + " s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while PostgreSQL started", e);
            }
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public DataSource database(String user, String database) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setServerNames(new String[] {"localhost"});
        source.setPortNumbers(new int[] {port});
        source.setDatabaseName(database);
        source.setUser(user);
        return source;
    }

    /**
     * Stops the server with a fast shutdown (open sessions are ended, a checkpoint written, so the
     * cluster starts again without recovery) and waits for it to exit.
     *
     * @throws IOException if it does not stop
     */
    @Override
    public void close() throws IOException {
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException e) {
            // The JVM is exiting: the hook stops the server.
        }
        stop(null);
        if (process.isAlive()) {
            throw new IOException("PostgreSQL (pid " + process.pid() + ") did not stop");
        }
    }

    private void stop(Exception failure) {
        if (!process.isAlive()) {
            return;
        }
        try {
            signal("INT"); // fast shutdown
            if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
                signal("QUIT"); // immediate shutdown: the next start recovers from the WAL
                process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
            process.destroy(); // SIGTERM: a smart shutdown, once the sessions are gone
            waitQuietly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
        }
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (kill.waitFor() != 0 && process.isAlive()) {
            throw new IOException("kill -s " + name + " " + process.pid() + " exited with " + kill.exitValue());
        }
    }

    private void waitQuietly() {
        try {
            process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
