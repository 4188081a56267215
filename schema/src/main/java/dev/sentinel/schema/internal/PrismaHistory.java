package dev.sentinel.schema.internal;

import dev.sentinel.schema.InvalidMigrationSourceException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Prisma migration history ({@code prisma/migrations}), read for Flyway: one folder
 * {@code <timestamp>_<name>/migration.sql} per migration, in the order Prisma applies them, each
 * with the Flyway version that keeps that order.
 *
 * <p><b>Prisma's order.</b> Prisma lists the folders and sorts them by name: the TypeScript CLI of
 * current releases with JavaScript's {@code localeCompare} (ICU collation), where {@code _} sorts
 * before the digits; the Rust engine of older releases by bytes, where it sorts after them. The two
 * agree except when one timestamp is a prefix of another ({@code 202403_x} and
 * {@code 20240310080000_y}): this class follows current Prisma, so a shorter timestamp comes before
 * the longer ones it is a prefix of, and otherwise digit by digit. Two folders with the same
 * timestamp are refused (their order would depend on the rest of the name).
 *
 * <p><b>Flyway versions.</b> A 14-digit timestamp is the version as it is. A shorter one is padded
 * with zeros to 14 digits, decremented, and given its length as a second part, so that Flyway's
 * numeric order is Prisma's: {@code 202403_x} becomes {@code 20240299999999.6}, after
 * {@code 20240229...} and before {@code 20240300000000}. An all-zero timestamp ({@code 0_init})
 * becomes {@code 0.<length>}. The description is the rest of the folder name, the script
 * {@code <folder>/migration.sql}.
 *
 * <p>Immutable and thread-safe once read.
 */
public final class PrismaHistory {

    /** Prefix of a location that names a Prisma migrations folder. */
    public static final String PREFIX = "prisma:";

    /** The file that names the database provider. */
    public static final String LOCK_FILE = "migration_lock.toml";

    /** The script inside each migration folder. */
    public static final String SCRIPT = "migration.sql";

    /** Digits of the timestamp Prisma writes ({@code YYYYMMDDHHMMSS}). */
    static final int TIMESTAMP_DIGITS = 14;

    private static final Pattern FOLDER = Pattern.compile("([0-9]+)_([A-Za-z0-9_-]+)");
    private static final Pattern PROVIDER = Pattern.compile("\\s*provider\\s*=\\s*\"([^\"]*)\"\\s*(#.*)?");
    private static final List<String> POSTGRESQL = List.of("postgresql", "postgres");

    /**
     * One migration folder.
     *
     * @param name the folder's name, such as {@code 20240101093000_init}
     * @param timestamp its leading digits
     * @param version the Flyway version that keeps Prisma's order
     * @param description the rest of the name
     * @param sql the contents of its {@code migration.sql}
     */
    public record Folder(String name, String timestamp, String version, String description, String sql) {

        /**
         * The script's path relative to the migrations folder, as Flyway's history shows it.
         *
         * @return {@code <folder>/migration.sql}
         */
        public String script() {
            return name + "/" + SCRIPT;
        }

        /**
         * A Flyway file name that carries the version and the description.
         *
         * @return {@code V<version>__<description>.sql}
         */
        public String flywayFileName() {
            return "V" + version + "__" + description + ".sql";
        }
    }

    private final String location;
    private final List<Folder> folders;

    private PrismaHistory(String location, List<Folder> folders) {
        this.location = location;
        this.folders = List.copyOf(folders);
    }

    /**
     * Whether a location names a Prisma migrations folder.
     *
     * @param location a location, such as {@code prisma:filesystem:prisma/migrations}
     * @return true if it starts with {@value #PREFIX}
     */
    public static boolean isPrismaLocation(String location) {
        return location != null && location.startsWith(PREFIX);
    }

    /**
     * What a Prisma location points at, without the prefix.
     *
     * @param location {@code prisma:filesystem:<path>}, {@code prisma:classpath:<path>} or
     *     {@code prisma:<path>} (the class path, as in Flyway)
     * @return {@code filesystem:<path>} or {@code classpath:<path>}
     */
    public static String target(String location) {
        String rest = location.substring(PREFIX.length());
        return rest.startsWith("filesystem:") || rest.startsWith("classpath:") ? rest : "classpath:" + rest;
    }

    /**
     * Reads a Prisma history: checks {@code migration_lock.toml}, lists the folders and reads each
     * {@code migration.sql}.
     *
     * @param location a {@link #isPrismaLocation Prisma location}
     * @param classLoader the loader to look up a {@code classpath:} folder with
     * @return the history, in Prisma's order
     * @throws InvalidMigrationSourceException if the folder is missing, the lock file is missing or
     *     names another provider, a folder's name is not {@code <timestamp>_<name>} or lacks its
     *     script, or two folders cannot be ordered; the message says what to change
     */
    public static PrismaHistory read(String location, ClassLoader classLoader) {
        Objects.requireNonNull(location, "location");
        if (!isPrismaLocation(location)) {
            throw new IllegalArgumentException(location + " is not a Prisma location (" + PREFIX + "...)");
        }
        String target = target(location);
        Map<String, String> files;
        try {
            files = target.startsWith("filesystem:")
                    ? filesystem(location, Path.of(target.substring("filesystem:".length())))
                    : classpath(location, stripSlashes(target.substring("classpath:".length())), classLoader);
        } catch (IOException e) {
            throw new InvalidMigrationSourceException("Could not read the Prisma migrations at " + location + ": "
                    + e.getMessage(), e);
        }
        checkProvider(location, files.get(LOCK_FILE));
        List<Folder> folders = new ArrayList<>();
        for (Map.Entry<String, String> entry : files.entrySet()) {
            if (entry.getKey().equals(LOCK_FILE)) {
                continue;
            }
            String name = entry.getKey();
            Matcher matcher = FOLDER.matcher(name);
            if (!matcher.matches()) {
                throw new InvalidMigrationSourceException("The Prisma migration folder " + name + " in " + location
                        + " is not named <timestamp>_<name> (digits, an underscore, then letters, digits, _ or -),"
                        + " as prisma migrate names them (20240101093000_init): rename it, or move it out of the"
                        + " migrations folder if it is not a migration");
            }
            String timestamp = matcher.group(1);
            if (timestamp.length() > TIMESTAMP_DIGITS) {
                throw new InvalidMigrationSourceException("The Prisma migration folder " + name + " in " + location
                        + " has a timestamp of " + timestamp.length() + " digits; Sentinel orders timestamps of at"
                        + " most 14 digits (YYYYMMDDHHMMSS, as prisma migrate writes them): rename it");
            }
            if (entry.getValue() == null) {
                throw new InvalidMigrationSourceException("The Prisma migration folder " + name + " in " + location
                        + " has no " + SCRIPT + ": add it, or remove the folder (Prisma would fail on it too)");
            }
            folders.add(new Folder(name, timestamp, version(timestamp), matcher.group(2), entry.getValue()));
        }
        folders.sort(Comparator.comparing(Folder::timestamp, PrismaHistory::compareTimestamps));
        for (int i = 1; i < folders.size(); i++) {
            Folder before = folders.get(i - 1);
            Folder after = folders.get(i);
            if (before.timestamp().equals(after.timestamp())) {
                throw new InvalidMigrationSourceException("The Prisma migration folders " + before.name() + " and "
                        + after.name() + " in " + location + " have the same timestamp " + before.timestamp()
                        + "; Flyway needs one version per migration: give one of them a later timestamp (keeping the"
                        + " order in which they must run)");
            }
            if (compareVersions(before.version(), after.version()) >= 0) {
                throw new InvalidMigrationSourceException("The Prisma migration folders " + before.name() + " and "
                        + after.name() + " in " + location + " cannot be given Flyway versions in Prisma's order ("
                        + before.version() + ", " + after.version() + "): give them 14-digit timestamps");
            }
        }
        return new PrismaHistory(location, folders);
    }

    /**
     * The location this history was read from.
     *
     * @return the location as given
     */
    public String location() {
        return location;
    }

    /**
     * The migrations, in the order Prisma applies them.
     *
     * @return the folders
     */
    public List<Folder> folders() {
        return folders;
    }

    /**
     * Orders two timestamps as Prisma orders folder names that start with them: digit by digit,
     * and a timestamp that is a prefix of another first ({@code _} sorts before every digit in
     * {@code localeCompare}). For strings of ASCII digits that is {@link String#compareTo}.
     *
     * @param a a timestamp
     * @param b another
     * @return negative, zero or positive
     */
    static int compareTimestamps(String a, String b) {
        return a.compareTo(b);
    }

    /**
     * The Flyway version of a timestamp (see the class comment).
     *
     * @param timestamp 1 to 14 digits
     * @return the version
     */
    static String version(String timestamp) {
        if (timestamp.length() == TIMESTAMP_DIGITS) {
            return timestamp;
        }
        BigInteger padded = new BigInteger(timestamp + "0".repeat(TIMESTAMP_DIGITS - timestamp.length()));
        String major = padded.signum() == 0 ? "0" : padded.subtract(BigInteger.ONE).toString();
        return major + "." + timestamp.length();
    }

    /** Compares two dotted versions as Flyway does: part by part as numbers, a missing part as 0. */
    static int compareVersions(String a, String b) {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            BigInteger x = i < left.length ? new BigInteger(left[i]) : BigInteger.ZERO;
            BigInteger y = i < right.length ? new BigInteger(right[i]) : BigInteger.ZERO;
            int compared = x.compareTo(y);
            if (compared != 0) {
                return compared;
            }
        }
        return 0;
    }

    private static void checkProvider(String location, String lock) {
        if (lock == null) {
            throw new InvalidMigrationSourceException("The Prisma migrations at " + location + " have no " + LOCK_FILE
                    + ", so Sentinel cannot tell that they were written for PostgreSQL. Add the file prisma migrate"
                    + " writes, with the line provider = \"postgresql\", or point the location at the folder that"
                    + " holds it (prisma/migrations)");
        }
        String provider = null;
        for (String line : lock.split("\\R")) {
            Matcher matcher = PROVIDER.matcher(line);
            if (matcher.matches()) {
                provider = matcher.group(1);
                break;
            }
        }
        if (provider == null) {
            throw new InvalidMigrationSourceException("The " + LOCK_FILE + " of " + location + " names no provider:"
                    + " it must say provider = \"postgresql\", as prisma migrate writes it for PostgreSQL");
        }
        if (!POSTGRESQL.contains(provider)) {
            throw new InvalidMigrationSourceException("The Prisma migrations at " + location + " were written for "
                    + provider + " (" + LOCK_FILE + " says provider = \"" + provider + "\"), but Sentinel runs on"
                    + " PostgreSQL only: their SQL would not run here. Point the location at a history made with"
                    + " provider = \"postgresql\"");
        }
    }

    /** The lock file and every folder's script (null where a folder has none), by name. */
    private static Map<String, String> filesystem(String location, Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new InvalidMigrationSourceException("The Prisma migrations folder " + root.toAbsolutePath()
                    + " of " + location + " does not exist: point the location at the folder that holds"
                    + " migration_lock.toml and the <timestamp>_<name> folders (usually prisma/migrations)");
        }
        Map<String, String> files = new TreeMap<>();
        Path lock = root.resolve(LOCK_FILE);
        if (Files.isRegularFile(lock)) {
            files.put(LOCK_FILE, Files.readString(lock, StandardCharsets.UTF_8));
        }
        List<Path> folders;
        try (Stream<Path> list = Files.list(root)) {
            folders = list.filter(Files::isDirectory).toList();
        }
        for (Path folder : folders) {
            Path script = folder.resolve(SCRIPT);
            files.put(folder.getFileName().toString(),
                    Files.isRegularFile(script) ? Files.readString(script, StandardCharsets.UTF_8) : null);
        }
        return files;
    }

    private static Map<String, String> classpath(String location, String path, ClassLoader classLoader)
            throws IOException {
        // Found through the lock file, which every history has: a jar need not list its directories.
        List<URL> locks = Collections.list(classLoader.getResources(path + "/" + LOCK_FILE));
        List<URL> roots = locks.isEmpty() ? Collections.list(classLoader.getResources(path)) : locks;
        if (roots.isEmpty()) {
            throw new InvalidMigrationSourceException("The Prisma migrations folder " + path + " of " + location
                    + " is not on the class path: package prisma/migrations as resources (for example under"
                    + " src/main/resources), or use prisma:filesystem:<path>");
        }
        if (roots.size() > 1) {
            throw new InvalidMigrationSourceException("The Prisma migrations folder " + path + " of " + location
                    + " is on the class path " + roots.size() + " times (" + roots + "); Sentinel will not merge"
                    + " two histories: keep one copy");
        }
        URL root = roots.getFirst();
        if ("file".equals(root.getProtocol())) {
            try {
                Path found = Path.of(root.toURI());
                return filesystem(location, locks.isEmpty() ? found : found.getParent());
            } catch (URISyntaxException e) {
                throw new IOException("cannot read " + root + " as a folder", e);
            }
        }
        URLConnection connection = root.openConnection();
        if (!(connection instanceof JarURLConnection jarConnection)) {
            throw new InvalidMigrationSourceException("The Prisma migrations folder " + path + " of " + location
                    + " is at " + root + ", which Sentinel cannot list (it reads folders and jar files): use"
                    + " prisma:filesystem:<path>");
        }
        jarConnection.setUseCaches(false);
        Map<String, String> files = new TreeMap<>();
        String prefix = path + "/";
        try (JarFile jar = jarConnection.getJarFile()) {
            List<JarEntry> entries = jar.stream().filter(e -> e.getName().startsWith(prefix)).toList();
            for (JarEntry entry : entries) {
                String relative = entry.getName().substring(prefix.length());
                if (relative.equals(LOCK_FILE)) {
                    files.put(LOCK_FILE, read(jar, entry));
                } else if (relative.indexOf('/') > 0) {
                    String folder = relative.substring(0, relative.indexOf('/'));
                    if (relative.equals(folder + "/" + SCRIPT)) {
                        files.put(folder, read(jar, entry));
                    } else {
                        files.putIfAbsent(folder, null);
                    }
                }
            }
        }
        return files;
    }

    private static String read(JarFile jar, JarEntry entry) throws IOException {
        try (InputStream in = jar.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String stripSlashes(String path) {
        String result = path;
        while (result.startsWith("/")) {
            result = result.substring(1);
        }
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }
}
