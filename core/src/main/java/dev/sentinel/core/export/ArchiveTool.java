package dev.sentinel.core.export;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.SentinelException;
import dev.sentinel.core.SentinelModule;
import dev.sentinel.core.audit.AuditKey;
import dev.sentinel.core.audit.AuditPublicKey;
import dev.sentinel.core.audit.AuditSigningKey;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The command line for tenant archives:
 *
 * <pre>
 * java -cp sentinel-core.jar:... dev.sentinel.core.export.ArchiveTool generate-signing-key &lt;key-id&gt; &lt;directory&gt;
 * java -cp ... dev.sentinel.core.export.ArchiveTool export --tenant &lt;uuid&gt; --out &lt;directory&gt; [--module &lt;class&gt;]...
 * java -cp ... dev.sentinel.core.export.ArchiveTool verify-archive &lt;archive&gt; &lt;public-key-file&gt;...
 * </pre>
 *
 * <p>{@code export} reads its connections and keys from the environment, never from arguments
 * (which other users of the machine can see): {@code SENTINEL_JDBC_URL}, {@code SENTINEL_APP_USER}
 * and {@code SENTINEL_APP_PASSWORD} (the tenant scope's role), {@code SENTINEL_SYSTEM_USER} and
 * {@code SENTINEL_SYSTEM_PASSWORD} (the system scope's, which seals and signs),
 * {@code SENTINEL_AUDIT_KEY} ({@code <id> <base64 secret>}) and {@code SENTINEL_AUDIT_SIGNING_KEY}
 * (the text of {@link AuditSigningKey#encoded()}). It writes the kernel's tenant tables and those of
 * each module named by a class with a static {@code module()} method (such as
 * {@code dev.sentinel.agency.Agency}); a service's own tables are exported by a call to
 * {@link Sentinel#exportTenant} from its code, where they are declared. Exit status: 0 done or
 * intact, 1 the archive does not verify, 2 wrong usage or input, 3 another failure.
 */
public final class ArchiveTool {

    private static final String USAGE = """
            usage: ArchiveTool generate-signing-key <key-id> <directory>
                   ArchiveTool export --tenant <uuid> --out <directory> [--module <class with static module()>]...
                     (environment: SENTINEL_JDBC_URL, SENTINEL_APP_USER, SENTINEL_APP_PASSWORD, SENTINEL_SYSTEM_USER,
                      SENTINEL_SYSTEM_PASSWORD, SENTINEL_AUDIT_KEY '<id> <base64>', SENTINEL_AUDIT_SIGNING_KEY)
                   ArchiveTool verify-archive <archive directory> <public key file>...""";

    private ArchiveTool() {
    }

    /**
     * Runs a command and exits with its status.
     *
     * @param args the command and its arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * Runs a command.
     *
     * @param args the command and its arguments
     * @param env the environment
     * @param out where results go
     * @param err where errors and usage go
     * @return the exit status: 0 done or intact, 1 the archive does not verify, 2 wrong usage or input, 3 another failure
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        try {
            return switch (args[0]) {
                case "generate-signing-key" -> generate(args, out, err);
                case "export" -> export(args, env, out, err);
                case "verify-archive" -> verify(args, out, err);
                default -> usage(err, "unknown command '" + args[0] + "'");
            };
        } catch (SentinelException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (UncheckedIOException e) {
            err.println("error: " + e.getMessage() + ": " + e.getCause().getMessage());
            return 3;
        } catch (RuntimeException e) {
            err.println("error: " + e);
            return 3;
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("error: " + problem);
        err.println(USAGE);
        return 2;
    }

    private static int generate(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 3) {
            return usage(err, "generate-signing-key takes a key id and a directory");
        }
        Path directory = Path.of(args[2]);
        if (!Files.isDirectory(directory)) {
            return usage(err, args[2] + " is not a directory");
        }
        AuditSigningKey key = AuditSigningKey.generate(args[1]);
        Path secret = directory.resolve(key.id() + ".signing-key");
        Path shared = directory.resolve(key.id() + ".public-key");
        if (Files.exists(secret) || Files.exists(shared)) {
            return usage(err, "a key named " + key.id() + " exists in " + directory + " already; choose another id");
        }
        try {
            Files.createFile(secret, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(secret, key.encoded() + "\n", StandardCharsets.UTF_8);
            Files.writeString(shared, key.publicKey() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the key files", e);
        }
        out.println("wrote " + secret + " (private: put it in the service's secret store) and " + shared + " (public: hand it out)");
        return 0;
    }

    private static int verify(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 3) {
            return usage(err, "verify-archive takes an archive directory and at least one public key file");
        }
        List<AuditPublicKey> keys = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            try {
                keys.add(AuditPublicKey.parse(Files.readString(Path.of(args[i]), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                return usage(err, "cannot read the public key file " + args[i]);
            }
        }
        ArchiveVerification verification = ArchiveVerifier.verify(Path.of(args[1]), keys);
        if (verification.intact()) {
            out.println("intact: tenant " + verification.tenantId() + ", " + verification.filesChecked() + " files, "
                    + verification.auditRowsVerified() + " audit rows chained up to the checkpoint at position "
                    + verification.checkpointPosition());
            return 0;
        }
        for (String problem : verification.problems()) {
            out.println("problem: " + problem);
        }
        return 1;
    }

    private static int export(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        UUID tenant = null;
        Path directory = null;
        List<SentinelModule> modules = new ArrayList<>();
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                return usage(err, args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--tenant" -> {
                    try {
                        tenant = UUID.fromString(args[i + 1]);
                    } catch (IllegalArgumentException e) {
                        return usage(err, "--tenant '" + args[i + 1] + "' is not a UUID");
                    }
                }
                case "--out" -> directory = Path.of(args[i + 1]);
                case "--module" -> {
                    try {
                        modules.add((SentinelModule) Class.forName(args[i + 1]).getMethod("module").invoke(null));
                    } catch (ReflectiveOperationException | ClassCastException e) {
                        return usage(err, "--module " + args[i + 1] + " is not a class with a static module() method on the class path");
                    }
                }
                default -> {
                    return usage(err, "unknown option " + args[i]);
                }
            }
        }
        if (tenant == null || directory == null) {
            return usage(err, "export needs --tenant and --out");
        }
        List<String> missing = new ArrayList<>();
        for (String name : List.of("SENTINEL_JDBC_URL", "SENTINEL_APP_USER", "SENTINEL_APP_PASSWORD", "SENTINEL_SYSTEM_USER",
                "SENTINEL_SYSTEM_PASSWORD", "SENTINEL_AUDIT_KEY", "SENTINEL_AUDIT_SIGNING_KEY")) {
            if (env.get(name) == null || env.get(name).isBlank()) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            return usage(err, "export needs the environment variables " + String.join(", ", missing));
        }
        String[] auditKey = env.get("SENTINEL_AUDIT_KEY").strip().split(" ");
        AuditKey key;
        try {
            key = AuditKey.of(auditKey[0], Base64.getDecoder().decode(auditKey.length == 2 ? auditKey[1] : ""));
        } catch (IllegalArgumentException e) {
            return usage(err, "SENTINEL_AUDIT_KEY is not '<id> <base64 secret>'");
        }
        AuditSigningKey signing = AuditSigningKey.parse(env.get("SENTINEL_AUDIT_SIGNING_KEY"));
        try (HikariDataSource system = pool(env.get("SENTINEL_JDBC_URL"), env.get("SENTINEL_SYSTEM_USER"), env.get("SENTINEL_SYSTEM_PASSWORD"))) {
            Sentinel.Builder builder = Sentinel.builder()
                    .jdbcUrl(env.get("SENTINEL_JDBC_URL"), env.get("SENTINEL_APP_USER"), env.get("SENTINEL_APP_PASSWORD"))
                    .maximumPoolSize(2)
                    .systemDataSource(system)
                    .auditKey(key)
                    .auditSigningKey(signing);
            modules.forEach(builder::module);
            try (Sentinel sentinel = builder.build()) {
                ExportResult result = sentinel.exportTenant(tenant, directory);
                long rows = result.rows().values().stream().mapToLong(Long::longValue).sum();
                out.println("exported tenant " + tenant + " to " + result.directory() + ": " + result.rows().size() + " files, "
                        + rows + " rows, audit trail up to the checkpoint at position " + result.checkpoint().position());
                return 0;
            }
        }
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("sentinel-export-system");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(2);
        config.setAutoCommit(false);
        return new HikariDataSource(config);
    }
}
