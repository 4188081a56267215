package dev.sentinel.codegen.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The generated files of each catalog this machine has generated, in the machine cache next to
 * Sentinel's migrated schema ({@code <machineCache>/outputs/<sha256>}), so that a build whose
 * migrated catalog and configuration are those of an earlier build (after {@code mvn clean}, on
 * another branch and back) copies that build's files instead of running jOOQ again.
 *
 * <p>The key is the same string {@link CodegenState#CATALOG} records: the configuration hash
 * (plugin, jOOQ and schema code, every parameter, the lint baseline) and the
 * {@link CatalogFingerprint} of the migrated catalog; {@link CatalogFingerprint} says why two
 * builds with the same key generate the same files. The migrations still run, the names are still
 * checked and the lint still runs on every such build: only the generation is reused.
 *
 * <p>An entry is written under a temporary name and moved into place, so a build never sees half of
 * one; entries unused for {@link #UNUSED}, and all but the {@link #KEEP} most recently used, are
 * deleted. Stateless; safe for concurrent builds.
 */
final class OutputCache {

    /** The cache's folder inside the machine cache. */
    static final String FOLDER = "outputs";

    /** How long an entry may stay unused before a build deletes it. */
    static final Duration UNUSED = Duration.ofDays(14);

    /** How many entries are kept at most. */
    static final int KEEP = 32;

    private static final String READY = TemplateCache.READY;
    private static final String FILES = "files";

    private OutputCache() {
    }

    /**
     * What was generated besides the files, for the build's summary.
     *
     * @param typeEnums enums jOOQ wrote for PostgreSQL enum types
     * @param closedSetEnums enums written for CHECK constraints
     * @param closedSets columns typed with those enums
     * @param secretColumns columns typed {@code Secret}
     */
    record Counts(int typeEnums, int closedSetEnums, int closedSets, int secretColumns) {
    }

    /**
     * Copies the files of an earlier build with the same key into {@code staging}.
     *
     * @param machineCache the machine cache
     * @param key the configuration hash and catalog fingerprint
     * @param staging where the files go ({@code packagePath} inside it)
     * @param packagePath the generated package as a path
     * @return what the earlier build generated besides the files, or null if there is no such entry
     */
    static Counts restore(Path machineCache, String key, Path staging, String packagePath) {
        Path entry = entry(machineCache, key);
        try {
            if (!Files.isRegularFile(entry.resolve(READY))) {
                return null;
            }
            String[] counts = Files.readString(entry.resolve(READY), StandardCharsets.UTF_8).strip().split(" ");
            OutputSync.deleteTree(staging);
            copyTree(entry.resolve(FILES), staging.resolve(packagePath));
            Files.setLastModifiedTime(entry.resolve(READY), FileTime.from(Instant.now()));
            return new Counts(Integer.parseInt(counts[0]), Integer.parseInt(counts[1]), Integer.parseInt(counts[2]),
                    Integer.parseInt(counts[3]));
        } catch (IOException | RuntimeException e) {
            // An entry that cannot be read costs a generation, not the build.
            try {
                OutputSync.deleteTree(staging);
            } catch (IOException ignored) {
                // jOOQ cleans its target directory itself.
            }
            return null;
        }
    }

    /**
     * Keeps the files in {@code staging} as the entry of {@code key}, if there is none yet.
     *
     * @param machineCache the machine cache
     * @param key the configuration hash and catalog fingerprint
     * @param staging the generated files ({@code packagePath} inside it is what goes into the source root)
     * @param packagePath the generated package as a path
     * @param counts what was generated besides the files
     * @param log where a cache that cannot be written is reported
     */
    static void store(Path machineCache, String key, Path staging, String packagePath, Counts counts, CodegenLog log) {
        Path entry = entry(machineCache, key);
        if (Files.isRegularFile(entry.resolve(READY))) {
            return;
        }
        Path temporary = entry.resolveSibling(entry.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            try {
                copyTree(staging.resolve(packagePath), temporary.resolve(FILES));
                Files.writeString(temporary.resolve(READY), counts.typeEnums() + " " + counts.closedSetEnums() + " "
                        + counts.closedSets() + " " + counts.secretColumns(), StandardCharsets.UTF_8);
                try {
                    Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException
                        | AtomicMoveNotSupportedException e) {
                    // Another build stored the same files first (or the move is not atomic here: no entry).
                }
            } finally {
                OutputSync.deleteTree(temporary);
            }
            deleteUnused(entry.getParent(), entry);
        } catch (IOException e) {
            log.debug("Sentinel codegen: could not keep the generated files in the machine cache " + entry + ": "
                    + e.getMessage());
        }
    }

    /**
     * Whether the cache holds the files generated for {@code key}.
     *
     * @param machineCache the machine cache
     * @param key the catalog and configuration
     * @return true if {@link #restore} would find them
     */
    static boolean has(Path machineCache, String key) {
        return Files.isRegularFile(entry(machineCache, key).resolve(READY));
    }

    private static Path entry(Path machineCache, String key) {
        return machineCache.resolve(FOLDER).resolve(OutputSync.sha256(key.getBytes(StandardCharsets.UTF_8))
                .substring(0, 32));
    }

    private static void deleteUnused(Path folder, Path keep) throws IOException {
        Instant limit = Instant.now().minus(UNUSED);
        List<Path> entries;
        try (Stream<Path> list = Files.list(folder)) {
            entries = list.filter(entry -> Files.isRegularFile(entry.resolve(READY)))
                    .sorted(Comparator.comparing(OutputCache::lastUse).reversed())
                    .toList();
        }
        for (int i = 0; i < entries.size(); i++) {
            Path entry = entries.get(i);
            if (!entry.equals(keep) && (i >= KEEP || lastUse(entry).isBefore(limit))) {
                OutputSync.deleteTree(entry);
            }
        }
    }

    private static Instant lastUse(Path entry) {
        try {
            return Files.getLastModifiedTime(entry.resolve(READY)).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        Files.createDirectories(target);
        if (!Files.isDirectory(source)) {
            return; // nothing was generated into the package
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            Path to = target.resolve(source.relativize(file).toString());
            Files.createDirectories(to.getParent());
            Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
