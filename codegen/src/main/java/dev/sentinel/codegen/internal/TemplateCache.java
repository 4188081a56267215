package dev.sentinel.codegen.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Sentinel's own schema (and its modules'), migrated once per machine and version instead of on
 * every build.
 *
 * <p>An entry is the data directory of a stopped embedded PostgreSQL whose scratch database holds
 * Sentinel's migrated schema, in {@code <machine cache>/<template hash>/pgdata}; the hash
 * ({@link InputHash#template}) covers Sentinel's and the modules' migrations, the roles and
 * placeholders, sentinel-schema's code and the PostgreSQL binaries' version, so another version of
 * any of them makes another entry. A build copies the entry's data directory into its work
 * directory and starts the server there: no {@code initdb}, and Flyway finds Sentinel's history
 * complete and applies only the project's migrations. Once in place, an entry is never started, so
 * builds may share it, in parallel too.
 *
 * <p>The first build that misses an entry migrates into a directory of its own, runs on that server
 * (no second start, no copy), and renames the directory into place when its server stopped (an
 * entry is complete when its {@value #READY} marker exists), so two builds that miss at once each
 * build one and one of them wins. Entries unused for {@link #UNUSED} are deleted, and so are staging
 * directories of builds that were killed. The cache is outside {@code target/}, so {@code mvn clean} keeps it.
 * Stateless.
 */
final class TemplateCache {

    /** The marker of a complete entry; its modification time is the entry's last use. */
    static final String READY = "ready";

    /**
     * How many builds may run on one entry at once without copying it: each slot is a copy of the
     * entry's data directory, made once, that one build at a time starts a server on.
     */
    static final int SLOTS = 4;

    /** The infix of the directory an entry is made in, before it is moved into place. */
    static final String STAGING = ".tmp-";

    /**
     * How long after it was started a staging directory counts as abandoned (its build was killed),
     * longer than any build runs.
     */
    static final Duration ABANDONED = Duration.ofDays(1);

    /** How long an entry may stay unused before a build deletes it. */
    static final Duration UNUSED = Duration.ofDays(30);

    private TemplateCache() {
    }

    /**
     * Finds or makes the entry for {@code build} and starts a server for the build on it: on a free
     * slot of the entry if there is one (no files copied), else on a copy of the entry in
     * {@code copy}.
     *
     * @param build the build (its machine cache must be set)
     * @param classLoader the plugin's loader, for the template hash
     * @param copy where the build's own copy of the data directory goes when every slot is busy
     * @param serverLog the embedded server's log
     * @param making run when the entry is missing, before this build makes it (its {@code initdb})
     * @param migrateTemplate applies Sentinel's and the modules' migrations to a target
     * @param log where the cache's use is reported
     * @return the running server and whether the entry existed already (false: this build made it)
     * @throws GenerationException if the cache cannot be read or written, or the server not started
     */
    static Opened open(SchemaBuild build, ClassLoader classLoader, Path copy, Path serverLog, Runnable making,
            Consumer<TargetDatabase> migrateTemplate, CodegenLog log) {
        Path cache = build.machineCache();
        String key = InputHash.template(build, classLoader).substring(0, 24);
        Path entry = cache.resolve(key);
        boolean hit = Files.isRegularFile(entry.resolve(READY));
        try {
            if (!hit) {
                making.run();
                return new Opened(make(build, cache, key, entry, serverLog, migrateTemplate, log), false);
            }
            Files.setLastModifiedTime(entry.resolve(READY), FileTime.from(Instant.now()));
            log.debug("Sentinel codegen: Sentinel's migrated schema from the machine cache " + entry);
            for (int i = 0; i < SLOTS; i++) {
                TargetDatabase target = onSlot(build, entry, i, serverLog, log);
                if (target != null) {
                    return new Opened(target, hit);
                }
            }
            log.debug("Sentinel codegen: every slot of " + entry + " is in use; copying the entry for this build");
            OutputSync.deleteTree(copy);
            copyTree(entry.resolve("pgdata"), copy);
            return new Opened(EmbeddedTarget.start(serverLog, build.roles(), copy, true, false), hit);
        } catch (IOException | UncheckedIOException e) {
            throw new GenerationException("The machine cache " + cache + " of Sentinel's migrated schema cannot be used: "
                    + e.getMessage() + ". Point <machineCache> (-Dsentinel.codegen.machineCache=...) at a writable"
                    + " directory, or set it to off.", e);
        }
    }

    /**
     * A server started by {@link #open}.
     *
     * @param target the server, with the build's database
     * @param hit whether the entry existed already
     */
    record Opened(TargetDatabase target, boolean hit) {
    }

    /**
     * Makes the entry: migrates Sentinel's schema on a fresh cluster in a staging directory of its
     * own and runs the build on that same server (its database made from the template, as on a
     * slot); when the build's server stops, the staging directory becomes the entry, unless the
     * build changed the cluster's roles. The entry is thus started by the build that makes it only,
     * before any other build can see it.
     *
     * @return the running server, with the build's database
     */
    private static TargetDatabase make(SchemaBuild build, Path cache, String key, Path entry, Path serverLog,
            Consumer<TargetDatabase> migrateTemplate, CodegenLog log) throws IOException {
        Files.createDirectories(cache);
        Path staging = cache.resolve(key + STAGING + UUID.randomUUID());
        EmbeddedTarget template;
        try {
            template = EmbeddedTarget.start(serverLog, build.roles(), staging.resolve("pgdata"), false, true);
        } catch (RuntimeException e) {
            OutputSync.deleteTree(staging);
            throw e;
        }
        try {
            migrateTemplate.accept(template);
        } catch (RuntimeException e) {
            EmbeddedTarget.closeAfterFailure(template, e);
            OutputSync.deleteTree(staging);
            throw e;
        }
        boolean[] spoiled = {false};
        Runnable keep = () -> {
            try {
                if (spoiled[0]) {
                    log.info("Sentinel codegen: Sentinel's schema was migrated for this build but not kept in the"
                            + " machine cache: the build changed the cluster's roles");
                    return;
                }
                Files.writeString(staging.resolve(READY), key);
                moveIntoPlace(staging, entry);
                log.info("Sentinel codegen: Sentinel's schema migrated once for this machine and kept in " + entry
                        + " (the machine cache; -Dsentinel.codegen.machineCache=off turns it off)");
                deleteUnused(cache, entry);
            } catch (IOException | UncheckedIOException e) {
                log.warn("Sentinel codegen: could not keep Sentinel's migrated schema in the machine cache " + cache
                        + " (" + e.getMessage() + "); the next build migrates it again");
            } finally {
                try {
                    OutputSync.deleteTree(staging);
                } catch (IOException e) {
                    // Left to deleteUnused of a later build.
                }
            }
        };
        return template.forBuild(() -> spoiled[0] = true, keep);
    }

    /**
     * Starts a server on slot {@code index} of the entry if no other build holds it, making the
     * slot (a copy of the entry's data directory, once) if it is missing or was left broken.
     *
     * @return the running server, which releases the slot when it stops, or null if the slot is busy
     */
    private static TargetDatabase onSlot(SchemaBuild build, Path entry, int index, Path serverLog, CodegenLog log)
            throws IOException {
        Path slot = entry.resolve("slot-" + index);
        FileChannel channel = FileChannel.open(entry.resolve("slot-" + index + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // another execution in this JVM holds it
        }
        if (lock == null) {
            channel.close();
            return null;
        }
        Runnable release = () -> {
            try {
                channel.close(); // releases the lock
            } catch (IOException e) {
                // The lock goes with the process at the latest.
            }
        };
        try {
            for (int attempt = 0; ; attempt++) {
                boolean fresh = !Files.isRegularFile(slot.resolve(READY));
                if (fresh) {
                    OutputSync.deleteTree(slot);
                    copyTree(entry.resolve("pgdata"), slot.resolve("pgdata"));
                    Files.writeString(slot.resolve(READY), entry.getFileName().toString());
                    log.debug("Sentinel codegen: made slot " + slot + " of the machine cache");
                } else {
                    stopOrphan(slot.resolve("pgdata"), log);
                }
                try {
                    // A build that changed the cluster's roles leaves the slot to be made again.
                    Runnable spoiled = () -> {
                        try {
                            Files.deleteIfExists(slot.resolve(READY));
                        } catch (IOException e) {
                            // Then the next build starts on it as it is.
                        }
                    };
                    return EmbeddedTarget.startOnCachedCluster(serverLog, build.roles(), slot.resolve("pgdata"), spoiled,
                            release);
                } catch (GenerationException e) {
                    // A slot that does not start (a machine crash while it ran without fsync) is made
                    // again from the entry, which is never started.
                    Files.deleteIfExists(slot.resolve(READY));
                    if (attempt > 0 || fresh) {
                        throw e;
                    }
                    log.warn("Sentinel codegen: the machine cache's slot " + slot + " did not start ("
                            + e.getMessage() + "); making it again");
                }
            }
        } catch (IOException | RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /**
     * Stops a server that still runs on a slot nobody holds: its build was killed without stopping
     * it (a server of a build that holds the slot is never touched, the caller holds the lock).
     */
    private static void stopOrphan(Path dataDirectory, CodegenLog log) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").strip();
        long pid;
        try {
            pid = Long.parseLong(first);
        } catch (NumberFormatException e) {
            return; // PostgreSQL itself deals with a pid file it cannot read
        }
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                .ifPresent(orphan -> {
                    log.warn("Sentinel codegen: stopping PostgreSQL (pid " + pid + ") left running on " + dataDirectory
                            + " by a build that was killed");
                    orphan.destroyForcibly();
                    try {
                        orphan.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                        // PostgreSQL refuses to start beside it, and the slot is made again.
                    }
                });
    }

    private static void moveIntoPlace(Path staging, Path entry) throws IOException {
        try {
            Files.move(staging, entry, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            // Another build made the same entry first; its copy is as good as this one.
        } catch (AtomicMoveNotSupportedException e) {
            if (!Files.exists(entry)) {
                copyTree(staging, entry);
            }
        }
    }

    private static void deleteUnused(Path cache, Path keep) throws IOException {
        Instant limit = Instant.now().minus(UNUSED);
        try (Stream<Path> entries = Files.list(cache)) {
            for (Path entry : entries.toList()) {
                if (entry.getFileName().toString().contains(STAGING)
                        && Files.getLastModifiedTime(entry).toInstant().isBefore(Instant.now().minus(ABANDONED))) {
                    // A build that made an entry was killed before it was done.
                    OutputSync.deleteTree(entry);
                    continue;
                }
                Path ready = entry.resolve(READY);
                if (!entry.equals(keep) && Files.isRegularFile(ready)
                        && Files.getLastModifiedTime(ready).toInstant().isBefore(limit)) {
                    OutputSync.deleteTree(entry);
                }
            }
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(source)) {
            paths = walk.toList();
        }
        for (Path path : paths) {
            Path to = target.resolve(source.relativize(path).toString());
            if (to.getParent() != null) {
                Files.createDirectories(to.getParent());
            }
            // With its attributes: PostgreSQL refuses a data directory that others may read.
            Files.copy(path, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }
}
