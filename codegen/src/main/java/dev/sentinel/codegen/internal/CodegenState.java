package dev.sentinel.codegen.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the last successful generation left in the work directory: the hash of its inputs
 * ({@value #INPUTS}) and the manifest of the files it generated ({@value #MANIFEST}, lines of
 * {@code sha256  relative/path}). The input hash is removed before the source root is touched and
 * written last, so a build that fails while writing leaves no record and the next build generates
 * again; a build that fails earlier leaves the source root and the record as they were.
 *
 * @param inputs the input hash, or empty if there is none
 * @param manifest the generated files and their hashes, empty if there is none
 */
public record CodegenState(String inputs, Map<String, String> manifest) {

    /** File name of the input hash. */
    public static final String INPUTS = "inputs.sha256";

    /** File name of the manifest. */
    public static final String MANIFEST = "manifest.sha256";

    /** File name of the schema lint report of the last successful run, kept only when it had findings. */
    public static final String LINT = "lint-findings.txt";

    /** File name of the schema reference's record: its SHA-256 and path, as the last run wrote it. */
    public static final String REFERENCE = "schema-reference.sha256";

    /**
     * File name of the configuration hash (without the project's migrations) and catalog
     * fingerprint of the last successful run.
     */
    public static final String CATALOG = "catalog.sha256";

    /**
     * Reads the configuration hash and catalog fingerprint of the last successful run.
     *
     * @param work the work directory
     * @return the recorded line, or an empty string if there is none
     */
    public static String readCatalog(Path work) {
        try {
            Path file = work.resolve(CATALOG);
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Records the configuration hash and catalog fingerprint of a successful run.
     *
     * @param work the work directory
     * @param catalog the line to record
     * @throws IOException if it cannot be written
     */
    public static void writeCatalog(Path work, String catalog) throws IOException {
        Files.createDirectories(work);
        Files.writeString(work.resolve(CATALOG), catalog + "\n", StandardCharsets.UTF_8);
    }

    /** File name of the list of PostgreSQL servers started or connected to, one line each. */
    public static final String STARTS = "postgres-starts";

    /** Copies the manifest. */
    public CodegenState {
        manifest = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(manifest));
    }

    /**
     * Reads the state; missing or unreadable files give an empty state.
     *
     * @param work the work directory
     * @return the state
     */
    public static CodegenState read(Path work) {
        try {
            Path inputs = work.resolve(INPUTS);
            String hash = Files.isRegularFile(inputs) ? Files.readString(inputs, StandardCharsets.UTF_8).trim() : "";
            Map<String, String> manifest = new LinkedHashMap<>();
            Path manifestFile = work.resolve(MANIFEST);
            if (Files.isRegularFile(manifestFile)) {
                for (String line : Files.readAllLines(manifestFile, StandardCharsets.UTF_8)) {
                    int split = line.indexOf("  ");
                    if (split > 0) {
                        manifest.put(line.substring(split + 2), line.substring(0, split));
                    }
                }
            }
            return new CodegenState(hash, manifest);
        } catch (IOException e) {
            // A damaged state only costs a regeneration.
            return new CodegenState("", Map.of());
        }
    }

    /**
     * Forgets the input hash, so that an interrupted write is never taken as up to date.
     *
     * @param work the work directory
     * @throws IOException if the file cannot be deleted
     */
    public static void invalidate(Path work) throws IOException {
        Files.deleteIfExists(work.resolve(INPUTS));
        Files.deleteIfExists(work.resolve(CATALOG));
    }

    /**
     * Writes the manifest, then the input hash.
     *
     * @param work the work directory
     * @throws IOException if a file cannot be written
     */
    public void write(Path work) throws IOException {
        Files.createDirectories(work);
        StringBuilder lines = new StringBuilder();
        manifest.forEach((path, hash) -> lines.append(hash).append("  ").append(path).append('\n'));
        Files.writeString(work.resolve(MANIFEST), lines, StandardCharsets.UTF_8);
        Files.writeString(work.resolve(INPUTS), inputs + "\n", StandardCharsets.UTF_8);
    }

    /**
     * Records the last run's lint report, or removes it when there were no findings.
     *
     * @param work the work directory
     * @param report the report, or null for none
     * @throws IOException if the file cannot be written or deleted
     */
    public static void writeLintReport(Path work, String report) throws IOException {
        Path file = work.resolve(LINT);
        if (report == null) {
            Files.deleteIfExists(file);
        } else {
            Files.createDirectories(work);
            Files.writeString(file, report + "\n", StandardCharsets.UTF_8);
        }
    }

    /**
     * The last run's lint report.
     *
     * @param work the work directory
     * @return the report, or null if the last run had no findings (or no report can be read)
     */
    public static String readLintReport(Path work) {
        try {
            Path file = work.resolve(LINT);
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Appends one line to {@value #STARTS}: the plugin is about to start or connect to a server.
     *
     * @param work the work directory
     * @param mode the database mode
     * @throws IOException if the file cannot be written
     */
    public static void recordStart(Path work, DatabaseMode mode) throws IOException {
        Files.createDirectories(work);
        Files.write(work.resolve(STARTS), List.of(mode.configName()), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /**
     * Records the schema reference the last run wrote, or forgets it when the run wrote none.
     *
     * @param work the work directory
     * @param reference the file, or null for none
     * @param sha256 its content's SHA-256, or null for none
     * @throws IOException if the record cannot be written or deleted
     */
    public static void writeReference(Path work, Path reference, String sha256) throws IOException {
        Path file = work.resolve(REFERENCE);
        if (reference == null) {
            Files.deleteIfExists(file);
        } else {
            Files.createDirectories(work);
            Files.writeString(file, sha256 + "  " + reference.toAbsolutePath().normalize() + "\n",
                    StandardCharsets.UTF_8);
        }
    }

    /**
     * Whether the schema reference is as the last run wrote it: recorded for this path, present,
     * and unchanged.
     *
     * @param work the work directory
     * @param reference the file the build asks for
     * @return true if the file has the recorded content
     */
    public static boolean referenceIntact(Path work, Path reference) {
        try {
            Path file = work.resolve(REFERENCE);
            if (!Files.isRegularFile(file) || !Files.isRegularFile(reference)) {
                return false;
            }
            String line = Files.readString(file, StandardCharsets.UTF_8).strip();
            int split = line.indexOf("  ");
            return split > 0 && line.substring(split + 2).equals(reference.toAbsolutePath().normalize().toString())
                    && line.substring(0, split).equals(OutputSync.sha256(Files.readAllBytes(reference)));
        } catch (IOException e) {
            return false;
        }
    }
}
