package dev.sentinel.core.export;

import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.audit.AuditCheckpoint;
import dev.sentinel.core.audit.AuditPublicKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Verifies a tenant archive written by {@link dev.sentinel.core.Sentinel#exportTenant} with nothing
 * but the archive and the audit signing key's public half: no database, no HMAC key. It checks
 *
 * <ol>
 *   <li>the manifest's signature;
 *   <li>every file the manifest lists against its SHA-256 checksum and row count, and that no file
 *       is there that it does not list;
 *   <li>every checkpoint's signature;
 *   <li>the audit trail: it recomputes the SHA-256 hash chain ({@link AuditCheckpoint#nextDigest})
 *       over the archived rows' canonical texts, in chain order from the retention checkpoint it
 *       starts after (or from the start), and compares it with every checkpoint on the way and with
 *       the checkpoint the manifest names, where the trail must end.
 * </ol>
 *
 * <p>It reads each file as a stream, so memory does not grow with the archive. A verifier in another
 * language needs only SHA-256 and Ed25519: the formats are described in {@code docs/concepts.md}.
 * Thread-safe (stateless).
 */
public final class ArchiveVerifier {

    private ArchiveVerifier() {
    }

    /**
     * Verifies an archive.
     *
     * @param archive the archive's directory
     * @param keys the signing key's public half, and retired ones
     * @return the outcome, with every problem found
     * @throws InvalidInputException if the archive is not a directory with a manifest, or no key is given
     * @throws UncheckedIOException if a file cannot be read
     */
    public static ArchiveVerification verify(Path archive, List<AuditPublicKey> keys) {
        if (archive == null || !Files.isRegularFile(archive.resolve("manifest.txt"))) {
            throw new InvalidInputException("verify-archive: " + archive + " is not an archive directory (no manifest.txt)");
        }
        if (keys == null || keys.isEmpty() || keys.stream().anyMatch(java.util.Objects::isNull)) {
            throw new InvalidInputException("verify-archive: give the public key of the key pair that signed the archive");
        }
        try {
            return check(archive, keys);
        } catch (IOException e) {
            throw new UncheckedIOException("verify-archive: cannot read " + archive, e);
        }
    }

    private static ArchiveVerification check(Path archive, List<AuditPublicKey> keys) throws IOException {
        List<String> problems = new ArrayList<>();
        byte[] manifestBytes = Files.readAllBytes(archive.resolve("manifest.txt"));
        String[] signature = Files.isRegularFile(archive.resolve("manifest.sig"))
                ? Files.readString(archive.resolve("manifest.sig"), StandardCharsets.UTF_8).strip().split(" ") : new String[0];
        boolean signed = signature.length == 2 && keys.stream()
                .anyMatch(k -> k.id().equals(signature[0]) && k.verifies(manifestBytes, signature[1]));
        if (!signed) {
            problems.add("manifest.sig: the manifest's signature does not verify with the given public key(s)");
        }
        UUID tenant = null;
        long checkpointPosition = -1;
        String checkpointDigest = null;
        Map<String, String[]> files = new HashMap<>();
        List<String> lines = new String(manifestBytes, StandardCharsets.UTF_8).lines().toList();
        if (lines.isEmpty() || !lines.getFirst().equals("sentinel-tenant-export/1")) {
            problems.add("manifest.txt: not a manifest of format sentinel-tenant-export/1");
            return new ArchiveVerification(null, 0, 0, -1, problems);
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] parts = line.split(" ", 4);
            try {
                switch (parts[0]) {
                    case "tenant" -> tenant = UUID.fromString(parts[1]);
                    case "exported-at" -> { }
                    case "checkpoint" -> {
                        checkpointPosition = Long.parseLong(parts[1]);
                        checkpointDigest = parts[2];
                    }
                    case "file" -> {
                        if (parts[3].contains("..") || parts[3].startsWith("/") || files.put(parts[3], parts) != null) {
                            problems.add("manifest.txt: the file entry '" + parts[3] + "' is unsafe or repeated");
                        }
                    }
                    default -> problems.add("manifest.txt: unknown line '" + parts[0] + " ...'");
                }
            } catch (RuntimeException e) {
                problems.add("manifest.txt: a line does not parse: '" + line + "'");
            }
        }
        if (tenant == null || checkpointDigest == null) {
            problems.add("manifest.txt: it names no tenant or no checkpoint");
            return new ArchiveVerification(tenant, files.size(), 0, checkpointPosition, problems);
        }
        for (String[] entry : files.values()) {
            checkFile(archive, entry, problems);
        }
        Set<String> listed = new HashSet<>(files.keySet());
        listed.add("manifest.txt");
        listed.add("manifest.sig");
        try (Stream<Path> present = Files.walk(archive)) {
            present.filter(Files::isRegularFile).map(p -> archive.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !listed.contains(p)).sorted()
                    .forEach(p -> problems.add(p + ": the manifest does not list this file"));
        }
        long verified = checkTrail(archive, tenant, checkpointPosition, checkpointDigest, keys, problems);
        return new ArchiveVerification(tenant, files.size(), verified, checkpointPosition, List.copyOf(problems));
    }

    private static void checkFile(Path archive, String[] entry, List<String> problems) throws IOException {
        Path file = archive.resolve(entry[3]);
        if (!Files.isRegularFile(file)) {
            problems.add(entry[3] + ": listed in the manifest but missing");
            return;
        }
        MessageDigest sha = sha256();
        long rows = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        rows++;
                    }
                }
            }
        }
        if (!HexFormat.of().formatHex(sha.digest()).equals(entry[1])) {
            problems.add(entry[3] + ": its SHA-256 does not match the manifest: the file was changed");
        }
        if (!Long.toString(rows).equals(entry[2])) {
            problems.add(entry[3] + ": it has " + rows + " rows, the manifest says " + entry[2]);
        }
    }

    private static long checkTrail(Path archive, UUID tenant, long endPosition, String endDigest, List<AuditPublicKey> keys,
            List<String> problems) throws IOException {
        Map<Long, List<AuditCheckpoint>> checkpoints = new HashMap<>();
        Path checkpointFile = archive.resolve("audit/checkpoints.txt");
        if (Files.isRegularFile(checkpointFile)) {
            try (BufferedReader reader = Files.newBufferedReader(checkpointFile, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    try {
                        AuditCheckpoint checkpoint = AuditCheckpoint.parse(line);
                        if (!checkpoint.tenantId().equals(tenant) || !checkpoint.verifiedBy(keys)) {
                            problems.add("audit/checkpoints.txt: the checkpoint at position " + checkpoint.position()
                                    + " does not verify with the given public key(s) for tenant " + tenant + ": it is forged or altered");
                        } else {
                            checkpoints.computeIfAbsent(checkpoint.position(), p -> new ArrayList<>()).add(checkpoint);
                        }
                    } catch (InvalidInputException e) {
                        problems.add("audit/checkpoints.txt: a line is not a checkpoint: " + e.getMessage());
                    }
                }
            }
        }
        boolean ended = checkpoints.getOrDefault(endPosition, List.of()).stream().anyMatch(c -> c.digest().equals(endDigest));
        if (!ended) {
            problems.add("audit/checkpoints.txt: no checkpoint signed with the given key(s) commits to position " + endPosition
                    + " with the digest the manifest names");
        }
        Path trail = archive.resolve("audit/trail.txt");
        if (!Files.isRegularFile(trail)) {
            problems.add("audit/trail.txt: missing");
            return 0;
        }
        long position = -1;
        String digest = null;
        long verified = 0;
        try (BufferedReader reader = Files.newBufferedReader(trail, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int space = line.indexOf(' ');
                long at;
                try {
                    at = Long.parseLong(line.substring(0, Math.max(space, 0)));
                } catch (NumberFormatException e) {
                    problems.add("audit/trail.txt: a line does not start with a chain position");
                    return verified;
                }
                if (digest == null) {
                    // The trail starts at 1, or right after a retention checkpoint whose signature verified.
                    long start = at - 1;
                    digest = start == 0 ? AuditCheckpoint.GENESIS : checkpoints.getOrDefault(start, List.of()).stream()
                            .filter(c -> c.purpose() == AuditCheckpoint.Purpose.RETENTION).map(AuditCheckpoint::digest)
                            .findFirst().orElse(null);
                    if (digest == null) {
                        problems.add("audit/trail.txt: it starts at position " + at + ", but no verified retention checkpoint"
                                + " at position " + start + " vouches for the rows before it");
                        return verified;
                    }
                    position = start;
                }
                if (at != position + 1) {
                    problems.add("audit/trail.txt: position " + (position + 1) + " is missing (found " + at + ")");
                    return verified;
                }
                position = at;
                digest = AuditCheckpoint.nextDigest(digest, line.substring(space + 1));
                for (AuditCheckpoint checkpoint : checkpoints.getOrDefault(position, List.of())) {
                    if (!checkpoint.digest().equals(digest)) {
                        problems.add("audit/trail.txt: the rows up to position " + position + " do not hash to the digest that"
                                + " the checkpoint there signed: an archived audit row was changed, added or removed");
                        return verified;
                    }
                }
                verified++;
            }
        }
        if (digest == null && endPosition > 0 && checkpoints.getOrDefault(endPosition, List.of()).stream()
                .noneMatch(c -> c.purpose() == AuditCheckpoint.Purpose.RETENTION)) {
            problems.add("audit/trail.txt: empty, but the checkpoint at position " + endPosition + " commits to rows");
        } else if (digest != null && position != endPosition) {
            problems.add("audit/trail.txt: it ends at position " + position + ", the manifest's checkpoint is at " + endPosition);
        } else if (digest != null && !digest.equals(endDigest)) {
            problems.add("audit/trail.txt: the recomputed digest does not match the manifest's checkpoint");
        }
        return verified;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
