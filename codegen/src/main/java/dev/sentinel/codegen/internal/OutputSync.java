package dev.sentinel.codegen.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Moves freshly generated files from a staging directory into the source root, touching only what
 * changed: a file whose bytes are the same keeps its timestamp (so the compiler and IDEs see no
 * change), a changed or new file is written, and a file that is no longer generated is deleted.
 *
 * <p>Deletion covers the target package's directory (what jOOQ's own {@code clean} covers) and every
 * file the previous manifest lists; nothing else in the source root is touched. Stateless.
 */
public final class OutputSync {

    private OutputSync() {
    }

    /**
     * What {@link #sync} did.
     *
     * @param written files created or overwritten
     * @param unchanged files left as they were
     * @param deleted stale files removed
     * @param manifest every generated file (path relative to the source root, with '/') and its
     *     SHA-256, sorted by path
     */
    public record Result(int written, int unchanged, int deleted, Map<String, String> manifest) {
        /** Copies the manifest. */
        public Result {
            manifest = java.util.Collections.unmodifiableMap(new TreeMap<>(manifest));
        }
    }

    /**
     * Synchronizes {@code target} with {@code staging} for the files under {@code packagePath}.
     *
     * @param staging the root jOOQ generated into
     * @param target the source root
     * @param packagePath the target package as a relative path, such as {@code com/example/db}
     * @param previous the previous manifest, empty if there is none
     * @return what changed
     * @throws IOException if a file cannot be read, written or deleted
     */
    public static Result sync(Path staging, Path target, String packagePath, Map<String, String> previous)
            throws IOException {
        Map<String, String> manifest = new TreeMap<>();
        int written = 0;
        int unchanged = 0;
        Path stagedPackage = staging.resolve(packagePath);
        if (Files.isDirectory(stagedPackage)) {
            for (Path file : regularFiles(stagedPackage)) {
                String relative = relative(staging, file);
                byte[] bytes = Files.readAllBytes(file);
                String hash = sha256(bytes);
                manifest.put(relative, hash);
                Path destination = target.resolve(relative);
                if (Files.isRegularFile(destination) && hash.equals(sha256(Files.readAllBytes(destination)))) {
                    unchanged++;
                } else {
                    Files.createDirectories(destination.getParent());
                    Files.write(destination, bytes);
                    written++;
                }
            }
        }
        int deleted = 0;
        Set<String> keep = manifest.keySet();
        List<Path> candidates = new ArrayList<>();
        Path targetPackage = target.resolve(packagePath);
        if (Files.isDirectory(targetPackage)) {
            candidates.addAll(regularFiles(targetPackage));
        }
        for (String old : previous.keySet()) {
            candidates.add(target.resolve(old));
        }
        for (Path candidate : candidates.stream().distinct().toList()) {
            if (!keep.contains(relative(target, candidate)) && Files.deleteIfExists(candidate)) {
                deleted++;
            }
        }
        removeEmptyDirectories(targetPackage);
        return new Result(written, unchanged, deleted, manifest);
    }

    /**
     * Whether every file of a manifest is in place with the recorded content.
     *
     * @param target the source root
     * @param manifest the manifest of the last generation
     * @return false if the manifest is empty, or a file is missing or was edited
     * @throws IOException if a file cannot be read
     */
    public static boolean intact(Path target, Map<String, String> manifest) throws IOException {
        if (manifest.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, String> entry : manifest.entrySet()) {
            Path file = target.resolve(entry.getKey());
            if (!Files.isRegularFile(file) || !entry.getValue().equals(sha256(Files.readAllBytes(file)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Deletes a directory tree; missing is fine.
     *
     * @param root the directory
     * @throws IOException if something cannot be deleted
     */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }

    private static List<Path> regularFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static void removeEmptyDirectories(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> directories;
        try (Stream<Path> walk = Files.walk(root)) {
            directories = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
        }
        for (Path directory : directories) {
            try (Stream<Path> children = Files.list(directory)) {
                if (children.findAny().isEmpty()) {
                    Files.delete(directory);
                }
            }
        }
    }
}
