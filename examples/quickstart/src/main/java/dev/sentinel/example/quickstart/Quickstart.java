package dev.sentinel.example.quickstart;

import static dev.sentinel.agency.db.Tables.INVOICES;
import static dev.sentinel.core.db.Tables.TENANTS;

import dev.sentinel.agency.Agency;
import dev.sentinel.agency.billing.Client;
import dev.sentinel.agency.billing.Clients;
import dev.sentinel.agency.billing.GapReport;
import dev.sentinel.agency.billing.Invoice;
import dev.sentinel.agency.billing.Invoices;
import dev.sentinel.agency.billing.NewClient;
import dev.sentinel.agency.billing.NewInvoiceItem;
import dev.sentinel.agency.crm.Lead;
import dev.sentinel.agency.crm.Leads;
import dev.sentinel.agency.crm.NewLead;
import dev.sentinel.agency.db.enums.AssignmentRole;
import dev.sentinel.agency.db.enums.LeadSource;
import dev.sentinel.agency.projects.NewProject;
import dev.sentinel.agency.projects.NewTimeEntry;
import dev.sentinel.agency.projects.Project;
import dev.sentinel.agency.projects.Projects;
import dev.sentinel.agency.projects.TimeTotal;
import dev.sentinel.core.Actor;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Scope;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.audit.AuditChain;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.audit.AuditKey;
import dev.sentinel.core.audit.ChainVerification;
import dev.sentinel.core.db.enums.SeatType;
import dev.sentinel.core.db.tables.records.TenantsRecord;
import dev.sentinel.core.identity.Member;
import dev.sentinel.schema.DatabaseBootstrap;
import dev.sentinel.schema.Roles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The README's run command: migrates a PostgreSQL database (an embedded one by default) and tells
 * the story of two tenants, with identity and roles, a project and its time, invoices with gap-free
 * numbers, a soft-deleted lead, tenant isolation proven with raw SQL, and a sealed, verified audit
 * trail. Uses only Sentinel's public API: the kernel ({@code sentinel-core}) and the agency domain
 * module ({@code sentinel-agency}), registered with {@code Agency.module()} and reached through
 * {@code tx.attach(...)}.
 *
 * <p>Set {@value #URL_VARIABLE} to a JDBC URL to use an existing database instead: its roles must
 * have been created by Sentinel's role bootstrap, and the passwords of the owner and application
 * roles are read from {@value #OWNER_PASSWORD_VARIABLE}, {@value #APP_PASSWORD_VARIABLE} and
 * {@value #SYSTEM_PASSWORD_VARIABLE}.
 */
public final class Quickstart {

    /** The environment variable with a JDBC URL of an existing database to use instead of an embedded one. */
    public static final String URL_VARIABLE = "SENTINEL_QUICKSTART_JDBC_URL";

    /** The environment variable with the owner role's password, for {@value #URL_VARIABLE}. */
    public static final String OWNER_PASSWORD_VARIABLE = "SENTINEL_QUICKSTART_OWNER_PASSWORD";

    /** The environment variable with the application role's password, for {@value #URL_VARIABLE}. */
    public static final String APP_PASSWORD_VARIABLE = "SENTINEL_QUICKSTART_APP_PASSWORD";

    /** The environment variable with the system role's password, if it has one. */
    public static final String SYSTEM_PASSWORD_VARIABLE = "SENTINEL_QUICKSTART_SYSTEM_PASSWORD";

    private static final String DATABASE = "quickstart";
    private static final Actor SETUP = Actor.service("quickstart-setup");

    /** The columns whose values make an audit line readable, in order of preference. */
    private static final List<String> TELLING_COLUMNS = List.of("number", "status", "name", "delete_reason", "email",
            "description", "role", "series");

    private final PrintStream out;
    /** Appended to slugs and e-mail addresses so that reruns on one existing database do not collide. */
    private final String suffix;
    private final Map<UUID, String> names = new HashMap<>();

    private Quickstart(PrintStream out, String suffix) {
        this.out = out;
        this.suffix = suffix;
    }

    /**
     * Runs the quickstart, printing the story to standard output.
     *
     * @param args ignored
     * @throws Exception if any step fails; an embedded server is stopped regardless
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            run(System.out);
        } else {
            run(System.out, url, System.getenv(OWNER_PASSWORD_VARIABLE), System.getenv(APP_PASSWORD_VARIABLE),
                    System.getenv(SYSTEM_PASSWORD_VARIABLE));
        }
    }

    /**
     * Runs the quickstart on a fresh embedded PostgreSQL.
     *
     * @param out where the story is printed
     * @throws IOException if PostgreSQL does not start or stop
     * @throws SQLException if the roles or the database cannot be created
     */
    public static void run(PrintStream out) throws IOException, SQLException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Roles roles = Roles.defaults();
            try (Connection superuser = postgres.getPostgresDatabase().getConnection()) {
                DatabaseBootstrap.bootstrapRoles(superuser, roles);
                DatabaseBootstrap.createDatabase(superuser, DATABASE, roles);
            }
            out.println("Sentinel quickstart");
            out.println();
            out.printf("Started an embedded PostgreSQL on port %d (no Docker, no local install), created the roles%n"
                    + "%s (owns the schema), %s (the tenants' pool at run time) and %s (the system scope's pool)%n"
                    + "and the database '%s'.%n",
                    postgres.getPort(), roles.owner(), roles.app(), roles.system(), DATABASE);
            Sentinel.Builder builder = Sentinel.builder()
                    .dataSource(postgres.getDatabase(roles.app(), DATABASE))
                    .systemDataSource(postgres.getDatabase(roles.system(), DATABASE))
                    .migrateWith(postgres.getDatabase(roles.owner(), DATABASE))
                    .module(Agency.module());
            new Quickstart(out, "").tell(builder);
        }
    }

    /**
     * Runs the quickstart on an existing database whose roles Sentinel's bootstrap created.
     *
     * @param out where the story is printed
     * @param jdbcUrl e.g. {@code jdbc:postgresql://localhost:5432/quickstart}
     * @param ownerPassword the owner role's password, or {@code null}
     * @param appPassword the application role's password, or {@code null}
     * @param systemPassword the system role's password, or {@code null}
     */
    public static void run(PrintStream out, String jdbcUrl, String ownerPassword, String appPassword, String systemPassword) {
        Roles roles = Roles.defaults();
        PGSimpleDataSource owner = new PGSimpleDataSource();
        owner.setURL(jdbcUrl);
        owner.setUser(roles.owner());
        owner.setPassword(ownerPassword);
        PGSimpleDataSource system = new PGSimpleDataSource();
        system.setURL(jdbcUrl);
        system.setUser(roles.system());
        system.setPassword(systemPassword);
        out.println("Sentinel quickstart");
        out.println();
        out.printf("Using the database from %s, as %s (migrations) and %s (run time).%n", URL_VARIABLE, roles.owner(), roles.app());
        Sentinel.Builder builder = Sentinel.builder()
                .jdbcUrl(jdbcUrl, roles.app(), appPassword)
                .maximumPoolSize(2)
                .systemDataSource(system)
                .migrateWith(owner)
                .module(Agency.module());
        new Quickstart(out, "-" + HexFormat.of().formatHex(random(3))).tell(builder);
    }

    private void tell(Sentinel.Builder builder) {
        // The key that seals the audit chain belongs to the service (a secret store); random for this run.
        AuditKey auditKey = AuditKey.of("quickstart-1", random(32));
        try (Sentinel sentinel = builder.auditKey(auditKey).build()) {
            out.println("Sentinel applied its migrations at start-up, the kernel's (schema sentinel) and then the agency module's");
            out.println("(schema agency), and checked that the runtime role cannot bypass row-level security.");

            chapter("1. Two tenants, their people and roles");
            UUID acme = createTenant(sentinel, "acme", "Acme GmbH", "Europe/Berlin");
            UUID globex = createTenant(sentinel, "globex", "Globex Corp", "America/New_York");
            UUID alice = createUser(sentinel, "alice", "Alice");
            UUID gina = createUser(sentinel, "gina", "Gina");
            sentinel.tenant(acme, SETUP).useTransaction(tx -> tx.members().add(alice, SeatType.PRO, "admin"));
            sentinel.tenant(globex, SETUP).useTransaction(tx -> tx.members().add(gina, SeatType.PRO, "admin"));
            Scope asAlice = sentinel.tenant(acme, Actor.user(alice));
            UUID bob = asAlice.inTransaction(tx -> tx.members().invite(email("bob"), SeatType.FREE_BETA, "staff").userId());
            names.put(bob, "Bob");
            sentinel.tenant(acme, Actor.user(bob)).useTransaction(tx -> tx.members().accept(bob));
            out.printf("Alice (admin) invited Bob as staff, and Bob accepted. Members of %s:%n", names.get(acme));
            asAlice.useTransaction(tx -> {
                for (Member member : tx.members().list()) {
                    String roles = tx.roles().grantsOf(member.userId()).stream().map(grant -> grant.roleKey()).collect(Collectors.joining(", "));
                    out.printf("    %-26s %-6s seat %-10s roles: %s%n", member.email(), member.status().literal(),
                            member.seatType().literal(), roles);
                }
            });
            out.printf("Gina is the admin of %s and a stranger to %s.%n", names.get(globex), names.get(acme));

            chapter("2. A project with time entries");
            LocalDate today = LocalDate.now(sentinel.clock());
            UUID project = asAlice.inTransaction(tx -> {
                Project created = tx.attach(Projects.class).create(NewProject.of("website" + suffix, "Website relaunch")
                        .withBudget(new BigDecimal("20000.00"), "EUR"));
                tx.attach(Projects.class).assignments().assign(created.id(), alice, AssignmentRole.LEAD, new BigDecimal("120.00"));
                tx.attach(Projects.class).assignments().assign(created.id(), bob, AssignmentRole.MEMBER, new BigDecimal("90.00"));
                return created.id();
            });
            names.put(project, "Website relaunch");
            asAlice.useTransaction(tx -> tx.attach(Projects.class).time().log(entry(project, alice, today, 90, "Kick-off workshop")));
            sentinel.tenant(acme, Actor.user(bob)).useTransaction(tx -> {
                tx.attach(Projects.class).time().log(entry(project, bob, today, 240, "Page templates"));
                tx.attach(Projects.class).time().log(entry(project, bob, today, 30, "Team chat").withBillable(false));
            });
            Project details = asAlice.inTransaction(tx -> tx.attach(Projects.class).get(project));
            out.printf("Alice created '%s' (budget 20000.00 EUR) and assigned herself at 120.00 EUR/h and Bob at 90.00 EUR/h.%n",
                    details.name());
            out.println("Booked time, with the rate fixed when it was booked:");
            for (TimeTotal total : details.timeByUser()) {
                out.printf("    %-6s %4d min, %4d billable, %s%n", names.get(total.id()), total.totalMinutes(), total.billableMinutes(),
                        amounts(total));
            }
            out.printf("    %-6s %4d min, %4d billable, %s%n", "total", details.total().totalMinutes(), details.total().billableMinutes(),
                    amounts(details.total()));

            chapter("3. A client and invoices with gap-free numbers");
            Client client = asAlice.inTransaction(tx -> tx.attach(Clients.class).create(NewClient.of("Initech AG")
                    .withBillingEmail("billing@initech.example").withCurrency("EUR")));
            out.printf("Alice created the client %s.%n", client.name());
            Invoice first = issue(asAlice, client.id(), "Kick-off workshop", "1.5", "120.00");
            out.printf("Issued %s: net %s, tax %s, gross %s %s.%n", first.number(), first.totals().net(), first.totals().tax(),
                    first.totals().gross(), first.currency());
            UUID draft = asAlice.inTransaction(tx -> {
                Invoice created = tx.attach(Invoices.class).createDraft(client.id(), "EUR");
                tx.attach(Invoices.class).addItem(created.id(), NewInvoiceItem.of("Page templates", new BigDecimal("4"), new BigDecimal("90.00"))
                        .withTaxRate(new BigDecimal("19")));
                return created.id();
            });
            try {
                asAlice.useTransaction(tx -> {
                    Invoice issued = tx.attach(Invoices.class).issue(draft);
                    out.printf("A transaction issued %s and then failed (say, the PDF service was down) ...%n", issued.number());
                    throw new IllegalStateException("PDF service unavailable");
                });
            } catch (IllegalStateException expected) {
                out.println("... so it rolled back, and its number went back with it.");
            }
            Invoice second = asAlice.inTransaction(tx -> tx.attach(Invoices.class).issue(draft));
            out.printf("Issued %s on the retry: net %s, tax %s, gross %s %s.%n", second.number(), second.totals().net(),
                    second.totals().tax(), second.totals().gross(), second.currency());
            GapReport gaps = asAlice.inTransaction(tx -> tx.attach(Invoices.class).gapReport(second.series(), second.sequenceYear()));
            out.printf("Gap report for %s %d: last number %d, %d issued, missing %s -> %s.%n", gaps.series(), gaps.year(),
                    gaps.lastNumber(), gaps.issuedCount(), gaps.missing(), gaps.isComplete() ? "complete" : "NOT complete");

            chapter("4. A lead, soft-deleted");
            Lead lead = asAlice.inTransaction(tx -> tx.attach(Leads.class).create(NewLead.named("Ada Lovelace").email("ada@analytical.example")
                    .company("Analytical Engines Ltd").source(LeadSource.REFERRAL)));
            out.printf("Alice created the lead %s (%s).%n", lead.name(), lead.company());
            try {
                sentinel.tenant(acme, Actor.user(bob)).useTransaction(tx -> tx.attach(Leads.class).delete(lead.id(), "duplicate"));
            } catch (PermissionDeniedException denied) {
                out.println("Bob (staff) tried to delete it: refused, PermissionDeniedException, nothing written.");
            }
            Lead deleted = asAlice.inTransaction(tx -> tx.attach(Leads.class).delete(lead.id(), "Went with a competitor"));
            boolean listed = asAlice.inTransaction(tx -> tx.attach(Leads.class).find(lead.id()).isPresent());
            out.printf("Alice deleted it (\"%s\"): the row stays, with who and why, but reads %s it.%n", deleted.deleteReason(),
                    listed ? "still show" : "no longer show");

            chapter("5. Tenant isolation, even through raw SQL");
            String sql = "select count(*) from agency.invoices";
            int acmeCount = asAlice.inTransaction(tx -> tx.dsl().fetchSingle(sql).get(0, Integer.class));
            Scope asGina = sentinel.tenant(globex, Actor.user(gina));
            int globexCount = asGina.inTransaction(tx -> tx.dsl().fetchSingle(sql).get(0, Integer.class));
            int byId = asGina.inTransaction(tx -> tx.dsl().fetchCount(INVOICES, INVOICES.ID.eq(first.id())));
            int tenantRows = asGina.inTransaction(tx -> tx.dsl().fetchCount(TENANTS));
            boolean readable = asGina.inTransaction(tx -> tx.attach(Invoices.class).find(first.id()).isPresent());
            out.printf("Raw SQL \"%s\":%n", sql);
            out.printf("    as Alice in %-12s -> %d%n", names.get(acme), acmeCount);
            out.printf("    as Gina in %-13s -> %d%n", names.get(globex), globexCount);
            out.printf("Gina, by the id of %s:  raw SQL finds %d row(s), tx.attach(Invoices.class).find finds %s.%n", first.number(), byId,
                    readable ? "it" : "nothing");
            out.printf("Gina sees %d tenant row(s) in sentinel.tenants: her own.%n", tenantRows);
            out.println("Row-level security filters every statement, whoever wrote it.");

            chapter("6. The audit trail and its verification");
            List<AuditEntry> trail = asAlice.inTransaction(tx -> new ArrayList<>(tx.audit().list(AuditFilter.all(), 1000).entries()));
            out.printf("%s's trail, written by database triggers in the same transactions (%d entries, oldest first):%n",
                    names.get(acme), trail.size());
            for (AuditEntry entry : trail.reversed()) {
                out.printf("    %-16s %-12s %-26s %s%n", actorName(entry), entry.action(), entry.entityType(), describe(entry));
            }
            AuditChain chain = sentinel.auditChain();
            int sealed = chain.sealAll();
            ChainVerification verification = chain.verify(acme);
            out.printf("Sealed %d audit row(s) of both tenants into HMAC chains with the service's key '%s'.%n", sealed, auditKey.id());
            out.printf("Verification of %s's chain: %d link(s), %s.%n", names.get(acme), verification.verifiedLinks(),
                    verification.intact() ? "intact" : "BROKEN: " + verification.problem().message());
        }
        out.println();
        out.println("Done.");
    }

    private void chapter(String title) {
        out.println();
        out.println(title);
    }

    private UUID createTenant(Sentinel sentinel, String slug, String name, String timeZone) {
        // Creating tenants is cross-tenant work: it runs in the system scope, visibly named.
        UUID id = sentinel.system(SETUP).inTransaction(tx -> tx.table(TENANTS)
                .insert(new TenantsRecord().setSlug(slug + suffix).setName(name).setTimeZone(timeZone)).getId());
        names.put(id, name);
        out.printf("Created the tenant %-12s (%s) in the system scope.%n", name, timeZone);
        return id;
    }

    private UUID createUser(Sentinel sentinel, String local, String name) {
        UUID id = sentinel.system(SETUP).inTransaction(tx -> tx.users().create(email(local), name).id());
        names.put(id, name);
        return id;
    }

    private String email(String local) {
        return local + suffix + "@example.com";
    }

    private static NewTimeEntry entry(UUID project, UUID user, LocalDate day, int minutes, String description) {
        return NewTimeEntry.of(project, day, minutes).withUserId(user).withDescription(description);
    }

    private static String amounts(TimeTotal total) {
        return total.billableAmounts().isEmpty() ? "no amount" : total.billableAmounts().entrySet().stream()
                .map(amount -> amount.getValue() + " " + amount.getKey()).collect(Collectors.joining(", "));
    }

    /** A draft with one line at 19 % tax, issued in its own transaction, where issuing is the last write. */
    private static Invoice issue(Scope scope, UUID clientId, String description, String quantity, String unitPrice) {
        UUID draft = scope.inTransaction(tx -> {
            Invoice created = tx.attach(Invoices.class).createDraft(clientId, "EUR");
            tx.attach(Invoices.class).addItem(created.id(), NewInvoiceItem.of(description, new BigDecimal(quantity), new BigDecimal(unitPrice))
                    .withTaxRate(new BigDecimal("19")));
            return created.id();
        });
        return scope.inTransaction(tx -> tx.attach(Invoices.class).issue(draft));
    }

    private String actorName(AuditEntry entry) {
        if (entry.actorId() != null) {
            return names.getOrDefault(entry.actorId(), "user");
        }
        return entry.actorLabel() != null ? entry.actorLabel().replaceFirst("^service:", "") : entry.actorType().literal();
    }

    /**
     * A short description of an entry: a known name, else the first telling column that its diff
     * ({@code {"col": {"new": .., "old": ..}}}, jsonb's key order) sets to a text, as {@code col new} or
     * {@code col: old -> new}.
     */
    private String describe(AuditEntry entry) {
        if (entry.message() != null) {
            return entry.message();
        }
        if (entry.entityId() != null && names.containsKey(entry.entityId())) {
            return names.get(entry.entityId());
        }
        if (entry.diff() == null) {
            return "";
        }
        for (String column : TELLING_COLUMNS) {
            Matcher change = Pattern.compile("\"" + column + "\": \\{\"new\": (\"[^\"]*\")(, \"old\": (\"[^\"]*\"|null))?\\}")
                    .matcher(entry.diff());
            if (change.find()) {
                String value = change.group(1).replace("\"", "");
                return change.group(3) == null || "null".equals(change.group(3)) || "insert".equals(entry.action())
                        ? column + " " + value
                        : column + ": " + change.group(3).replace("\"", "") + " -> " + value;
            }
        }
        return "";
    }

    private static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return value;
    }
}
