package dev.sentinel.core.reliability;

import static dev.sentinel.core.testservice.db.Tables.GADGETS;
import static dev.sentinel.core.testservice.db.Tables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.sentinel.core.Actor;
import dev.sentinel.core.ConstraintViolationException;
import dev.sentinel.core.DatabaseException;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Page;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.Scope;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.TenantMismatchException;
import dev.sentinel.core.TxOptions;
import dev.sentinel.core.UniqueViolationException;
import dev.sentinel.core.support.Tenants;
import dev.sentinel.core.testservice.db.tables.records.GadgetsRecord;
import dev.sentinel.core.testservice.db.tables.records.WidgetsRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input across the public API: SQL metacharacters, very long strings, NUL bytes, unpaired
 * surrogates and other Unicode edge cases, negative and huge numbers, malformed and foreign ids,
 * bad options. Each case either fails with a typed exception (a {@code SentinelException}
 * subclass; or, where the API takes a typed value such as {@link UUID}, the JDK's
 * {@link IllegalArgumentException} before Sentinel is called) or stores the value verbatim and
 * reads it back equal. Around every case the test fingerprints every row of {@code widgets},
 * {@code gadgets} and {@code sentinel.tenants} (in the system scope): a rejected case must leave
 * all of them unchanged, and a stored case may change only the rows it wrote on purpose.
 *
 * <p>Billing's bad input (unknown currency, negative quantity, empty draft) is tested in
 * the agency module's {@code InvoicesTest}, the identity API's in {@link IdentityHostileInputTest}.
 */
class HostileInputTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder().serviceMigrations("classpath:db/test-service").build();

    private static final Actor ALICE = Actor.user(UUID.fromString("0190f5d2-0000-7000-8000-00000000a11c"));
    private static final UUID NIL = new UUID(0, 0);
    private static final UUID MAX = new UUID(-1, -1);
    private static final int TEN_MB = 10 * 1024 * 1024;

    private static final AtomicInteger STORED = new AtomicInteger();
    private static final AtomicInteger NO_EFFECT = new AtomicInteger();
    private static final Map<String, Integer> REJECTED = new TreeMap<>();

    private static Sentinel sentinel;
    private static UUID tenantA;
    private static UUID tenantB;
    private static UUID widgetA;
    private static UUID widgetB;
    private static UUID deletedB;
    private static UUID gadgetB;

    @BeforeAll
    static void seed() {
        sentinel = Sentinel.builder().dataSource(db.appDataSource()).systemDataSource(db.systemDataSource()).build();
        tenantA = Tenants.create(sentinel);
        tenantB = Tenants.create(sentinel);
        widgetA = a().inTransaction(tx -> tx.table(WIDGETS).insert(widget("a-seed")).getId());
        widgetB = b().inTransaction(tx -> tx.table(WIDGETS).insert(widget("b-seed")).getId());
        deletedB = b().inTransaction(tx -> tx.table(WIDGETS).softDelete(tx.table(WIDGETS).insert(widget("b-deleted")).getId(), "seed").getId());
        gadgetB = b().inTransaction(tx -> tx.table(GADGETS).insert(new GadgetsRecord().setLabel("b-gadget")).getId());
    }

    @AfterAll
    static void summary() {
        int rejected = REJECTED.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("HostileInputTest: " + (rejected + STORED.get() + NO_EFFECT.get()) + " cases tried: " + rejected
                + " rejected with a typed error " + REJECTED + ", " + STORED.get() + " stored and read back verbatim, "
                + NO_EFFECT.get() + " ran and changed nothing; every row of widgets, gadgets and tenants checked after each");
    }

    // ---------------------------------------------------------------- the cases

    static Stream<Arguments> cases() {
        return Stream.of(
                // Text that SQL would interpret if it were ever concatenated: stored as data.
                stores("name: quote and DROP TABLE", () -> insertVerbatim("'; drop table widgets; --")),
                stores("name: tautology", () -> insertVerbatim("' or '1'='1")),
                stores("name: quoted identifiers and DELETE", () -> insertVerbatim("\"widgets\"; delete from \"widgets\"")),
                stores("name: dollar quoting", () -> insertVerbatim("$$; drop table widgets; $$")),
                stores("name: tagged dollar quote", () -> insertVerbatim("$tag$ select 1 $tag$")),
                stores("name: backslashes", () -> insertVerbatim("C:\\path\\to\\'file'\\ \\x00 \\\\")),
                stores("name: E-string escape as text", () -> insertVerbatim("E'\\047' || chr(39)")),
                stores("name: LIKE wildcards", () -> insertVerbatim("100% _of_ %")),
                stores("name: comment tokens", () -> insertVerbatim("/* */ -- */")),
                stores("name: a second statement", () -> insertVerbatim("x; select pg_sleep(10);")),
                stores("name: psql meta-command", () -> insertVerbatim("\\! rm -rf /")),
                stores("name: newline, CR and tab", () -> insertVerbatim("line 1\nline 2\r\n\tend")),
                stores("name: C0 controls and ANSI escapes", () -> insertVerbatim("\u0001\u0007\u001b[31mred\u001b[0m")),
                stores("name: DEL and C1 controls", () -> insertVerbatim("\u007f\u0085\u009b")),
                // Unicode edge cases: compared with equals, code unit for code unit.
                stores("name: emoji ZWJ family", () -> insertVerbatim("\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66")),
                stores("name: flag and skin tone", () -> insertVerbatim("\uD83C\uDDF9\uD83C\uDDF7 \uD83D\uDC4D\uD83C\uDFFD")),
                stores("name: right-to-left with an override", () -> insertVerbatim("\u05E9\u05DC\u05D5\u05DD \u202Eevil\u202C \u0639\u0631\u0628\u064A")),
                stores("name: NFD and NFC forms stay two names", HostileInputTest::normalizationFormsStayDistinct),
                stores("name: Turkish dotted and dotless i", () -> insertVerbatim("\u0130\u0131Ii")),
                stores("name: BOM, zero-width space and joiner", () -> insertVerbatim("\uFEFFa\u200Bb\u200D")),
                stores("name: noncharacters U+FFFE and U+FFFF", () -> insertVerbatim("\uFFFE\uFFFF")),
                stores("name: U+10FFFF and a math letter", () -> insertVerbatim(new String(Character.toChars(0x10FFFF)) + "\uD835\uDD4F")),
                stores("name: empty string", () -> insertVerbatim("")),
                stores("name: ideographic space only", () -> insertVerbatim("\u3000")),
                stores("name: 2,000 characters", () -> insertVerbatim("n".repeat(2_000))),
                stores("color: 10 MB of random letters", () -> bigColorVerbatim(randomLetters(TEN_MB, 1))),
                stores("gadget label: 10 MB of euro signs", HostileInputTest::bigGadgetVerbatim),
                stores("delete reason: SQL metacharacters", () -> softDeleteVerbatim("'); update widgets set tenant_id = null; --")),
                stores("Actor.service: 63 characters reach sentinel.actor_id verbatim", HostileInputTest::longServiceActorVerbatim),
                stores("TxOptions.withRequestId: 128 characters reach sentinel.request_id verbatim", HostileInputTest::longRequestIdVerbatim),

                // NUL: PostgreSQL text cannot hold it.
                rejects("name: NUL byte", InvalidInputException.class, () -> insert(widget("a\u0000b"))),
                rejects("name: NUL byte first", InvalidInputException.class, () -> insert(widget("\u0000abc"))),
                rejects("color: NUL byte after 1 MB", InvalidInputException.class, () -> insert(widget("nul-color").setColor("c".repeat(1 << 20) + "\u0000"))),
                rejects("gadget label: NUL byte", InvalidInputException.class,
                        () -> a().useTransaction(tx -> tx.table(GADGETS).insert(new GadgetsRecord().setLabel("g\u0000")))),
                rejects("delete reason: NUL byte, row stays live", InvalidInputException.class,
                        () -> a().useTransaction(tx -> tx.table(WIDGETS).softDelete(widgetA, "why\u0000not"))),
                rejects("update: NUL byte in name", InvalidInputException.class,
                        () -> a().useTransaction(tx -> tx.table(WIDGETS).update(tx.table(WIDGETS).get(widgetA).setName("\u0000")))),
                rejects("raw SQL: NUL byte in a bind value", InvalidInputException.class,
                        () -> a().useTransaction(tx -> tx.dsl().insertInto(WIDGETS, WIDGETS.TENANT_ID, WIDGETS.ID, WIDGETS.NAME)
                                .values(tenantA, UUID.randomUUID(), "raw\u0000").execute())),

                // Unpaired surrogates: no UTF-8 form; pgjdbc would silently send '?'.
                rejects("name: unpaired high surrogate", InvalidInputException.class, () -> insert(widget("x\uD800y"))),
                rejects("name: unpaired low surrogate", InvalidInputException.class, () -> insert(widget("\uDC00"))),
                rejects("name: surrogates in the wrong order", InvalidInputException.class, () -> insert(widget("\uDC00\uD800"))),
                rejects("update: half an emoji", InvalidInputException.class,
                        () -> a().useTransaction(tx -> tx.table(WIDGETS).update(tx.table(WIDGETS).get(widgetA).setColor("\uD83D")))),
                rejects("raw SQL: unpaired surrogate in the SQL text", InvalidInputException.class,
                        () -> a().useTransaction(tx -> tx.dsl().execute("update widgets set color = 'x\uDFFF'"))),

                // Sizes past PostgreSQL's limits.
                rejects("name: 10 MB of random letters exceeds the index row limit", DatabaseException.class, "54000",
                        () -> insert(widget(randomLetters(TEN_MB, 2)))),

                // Numbers.
                stores("quantity: Integer.MAX_VALUE", () -> insertQuantityVerbatim(Integer.MAX_VALUE)),
                stores("quantity: zero", () -> insertQuantityVerbatim(0)),
                rejects("quantity: -1", ConstraintViolationException.class, () -> insert(widget("negative").setQuantity(-1))),
                rejects("quantity: Integer.MIN_VALUE", ConstraintViolationException.class, () -> insert(widget("min").setQuantity(Integer.MIN_VALUE))),
                rejects("update: quantity to -5", ConstraintViolationException.class,
                        () -> a().useTransaction(tx -> tx.table(WIDGETS).update(tx.table(WIDGETS).get(widgetA).setQuantity(-5)))),
                rejects("raw SQL: quantity + 1 past Integer.MAX_VALUE", InvalidInputException.class, () -> a().useTransaction(tx -> {
                    UUID id = tx.table(WIDGETS).insert(widget("overflow").setQuantity(Integer.MAX_VALUE)).getId();
                    tx.dsl().update(WIDGETS).set(WIDGETS.QUANTITY, WIDGETS.QUANTITY.plus(1)).where(WIDGETS.ID.eq(id)).execute();
                })),
                rejects("raw SQL: a 20-digit number cast to integer", InvalidInputException.class,
                        () -> a().useTransaction(tx -> tx.dsl().fetch("select ?::numeric::integer", new java.math.BigDecimal("99999999999999999999")))),

                // Ids: the API takes java.util.UUID, so a malformed id fails in the caller's parse, before any SQL.
                rejects("id: not a UUID (JDK parse)", IllegalArgumentException.class, () -> find(UUID.fromString("not-a-uuid"))),
                rejects("id: SQL in a UUID string (JDK parse)", IllegalArgumentException.class, () -> find(UUID.fromString("'; drop table widgets; --"))),
                rejects("id: empty string (JDK parse)", IllegalArgumentException.class, () -> find(UUID.fromString(""))),
                rejects("id: 37 characters (JDK parse)", IllegalArgumentException.class, () -> find(UUID.fromString("0190f5d2-0000-7000-8000-0000000000001"))),
                rejects("id: null", InvalidInputException.class, () -> find(null)),
                rejects("get: the nil UUID", NotFoundException.class, () -> a().inTransaction(tx -> tx.table(WIDGETS).get(NIL))),
                rejects("get: the max UUID", NotFoundException.class, () -> a().inTransaction(tx -> tx.table(WIDGETS).get(MAX))),
                rejects("get: another tenant's id", NotFoundException.class, () -> a().inTransaction(tx -> tx.table(WIDGETS).get(widgetB))),
                noEffect("find: another tenant's id is empty", () -> assertThat(find(widgetB)).isEmpty()),
                noEffect("find: another tenant's deleted row, with deleted rows", () -> {
                    Optional<WidgetsRecord> found = a().inTransaction(tx -> tx.table(WIDGETS).withDeleted().find(deletedB));
                    assertThat(found).isEmpty();
                }),
                rejects("update: another tenant's row by id", NotFoundException.class, () -> a().useTransaction(tx -> {
                    GadgetsRecord forged = new GadgetsRecord().setId(gadgetB).setLabel("stolen");
                    tx.table(GADGETS).update(forged);
                })),
                rejects("softDelete: another tenant's id", NotFoundException.class,
                        () -> a().useTransaction(tx -> tx.table(WIDGETS).softDelete(widgetB, "mine now"))),
                rejects("restore: another tenant's deleted id", NotFoundException.class,
                        () -> a().useTransaction(tx -> tx.table(WIDGETS).restore(deletedB))),
                rejects("purge: in a tenant scope", PermissionDeniedException.class,
                        () -> a().useTransaction(tx -> tx.table(WIDGETS).purge(widgetB))),
                rejects("insert: another tenant's tenant_id", TenantMismatchException.class, () -> insert(widget("planted").setTenantId(tenantB))),
                rejects("insert: a scope whose tenant does not exist", ConstraintViolationException.class,
                        () -> sentinel.tenant(UUID.randomUUID(), ALICE).useTransaction(tx -> tx.table(WIDGETS).insert(widget("orphan")))),
                rejects("insert: an id already used in this tenant", UniqueViolationException.class, () -> insert(widget("dup-id").setId(widgetA))),
                rejects("insert: a live name already taken", UniqueViolationException.class, () -> insert(widget("a-seed"))),
                rejects("insert: a record marked deleted", InvalidInputException.class,
                        () -> insert(widget("pre-deleted").setDeletedAt(java.time.OffsetDateTime.now()))),
                rejects("update: moving a row to another tenant", TenantMismatchException.class,
                        () -> a().useTransaction(tx -> tx.table(WIDGETS).update(tx.table(WIDGETS).get(widgetA).setTenantId(tenantB)))),
                rejects("raw SQL: insert for another tenant", TenantMismatchException.class,
                        () -> a().useTransaction(tx -> tx.dsl().insertInto(WIDGETS, WIDGETS.TENANT_ID, WIDGETS.ID, WIDGETS.NAME)
                                .values(tenantB, UUID.randomUUID(), "planted-raw").execute())),
                noEffect("raw SQL: update of another tenant's row by id changes nothing", () -> {
                    int rows = a().inTransaction(tx -> tx.dsl().update(WIDGETS).set(WIDGETS.NAME, "hijacked").where(WIDGETS.ID.eq(widgetB)).execute());
                    assertThat(rows).isZero();
                }),
                noEffect("raw SQL: delete aimed at another tenant's rows changes nothing", () -> {
                    int rows = b().inTransaction(tx -> tx.dsl().deleteFrom(GADGETS).where(GADGETS.TENANT_ID.eq(tenantA)).execute());
                    assertThat(rows).isZero();
                }),
                noEffect("raw SQL: injection text in a bind value is a value", () -> {
                    String text = "x' or 'x'='x";
                    int matches = a().inTransaction(tx -> tx.dsl().fetchCount(WIDGETS, WIDGETS.NAME.eq(text)));
                    String echoed = a().inTransaction(tx -> tx.dsl().fetchValue(DSL.field("?::text", String.class, text)));
                    assertThat(matches).isZero();
                    assertThat(echoed).isEqualTo(text);
                }),
                noEffect("list: a plain-SQL condition that tries to widen the scope", () -> {
                    Page<WidgetsRecord> page = a().inTransaction(tx -> tx.table(WIDGETS).withDeleted()
                            .list(DSL.condition("true) or (true"), PageRequest.first(PageRequest.MAX_SIZE)));
                    assertThat(page.items()).isNotEmpty().allSatisfy(row -> assertThat(row.getTenantId()).isEqualTo(tenantA));
                }),
                noEffect("list: a cursor at another tenant's id", () -> {
                    Page<WidgetsRecord> page = a().inTransaction(tx -> tx.table(WIDGETS).list(DSL.noCondition(), new PageRequest(widgetB, 10)));
                    assertThat(page.items()).allSatisfy(row -> assertThat(row.getTenantId()).isEqualTo(tenantA));
                }),
                rejects("upsert: a conflict column with no unique index", InvalidInputException.class,
                        () -> a().useTransaction(tx -> tx.table(WIDGETS).upsert(widget("upsert-bogus").setColor("red"), WIDGETS.COLOR))),
                rejects("upsert: no conflict column", InvalidInputException.class,
                        () -> a().useTransaction(tx -> tx.table(WIDGETS).upsert(widget("upsert-none")))),

                // Page sizes.
                rejects("PageRequest: size 0", InvalidInputException.class, () -> PageRequest.first(0)),
                rejects("PageRequest: size -1", InvalidInputException.class, () -> PageRequest.first(-1)),
                rejects("PageRequest: size 1001", InvalidInputException.class, () -> PageRequest.first(PageRequest.MAX_SIZE + 1)),
                rejects("PageRequest: Integer.MAX_VALUE", InvalidInputException.class, () -> PageRequest.first(Integer.MAX_VALUE)),
                rejects("PageRequest: Integer.MIN_VALUE", InvalidInputException.class, () -> new PageRequest(widgetA, Integer.MIN_VALUE)),

                // Actors and options: validated before any SQL, since they travel in SET LOCAL statements.
                rejects("Actor.service: SQL", InvalidInputException.class, () -> Actor.service("x'; reset sentinel.tenant_id; --")),
                rejects("Actor.service: empty", InvalidInputException.class, () -> Actor.service("")),
                rejects("Actor.service: null", InvalidInputException.class, () -> Actor.service(null)),
                rejects("Actor.service: 64 characters", InvalidInputException.class, () -> Actor.service("s".repeat(64))),
                rejects("Actor.service: Turkish capital I with dot", InvalidInputException.class, () -> Actor.service("\u0130stanbul")),
                rejects("Actor.service: NUL byte", InvalidInputException.class, () -> Actor.service("svc\u0000")),
                rejects("Actor.user: null", InvalidInputException.class, () -> Actor.user(null)),
                rejects("scope: null tenant", InvalidInputException.class, () -> sentinel.tenant(null, ALICE)),
                rejects("TxOptions.withRequestId: SQL", InvalidInputException.class, () -> TxOptions.defaults().withRequestId("x'; reset all; --")),
                rejects("TxOptions.withRequestId: empty", InvalidInputException.class, () -> TxOptions.defaults().withRequestId("")),
                rejects("TxOptions.withRequestId: null", InvalidInputException.class, () -> TxOptions.defaults().withRequestId(null)),
                rejects("TxOptions.withRequestId: 129 characters", InvalidInputException.class, () -> TxOptions.defaults().withRequestId("r".repeat(129))),
                rejects("TxOptions.withRequestId: newline", InvalidInputException.class, () -> TxOptions.defaults().withRequestId("req\nid")),
                rejects("TxOptions.withRequestId: dotless i", InvalidInputException.class, () -> TxOptions.defaults().withRequestId("\u0131d")),
                rejects("TxOptions.withStatementTimeout: zero", InvalidInputException.class, () -> TxOptions.defaults().withStatementTimeout(Duration.ZERO)),
                rejects("TxOptions.withStatementTimeout: negative", InvalidInputException.class,
                        () -> TxOptions.defaults().withStatementTimeout(Duration.ofSeconds(-1))),
                rejects("TxOptions.withRetries: -1", InvalidInputException.class, () -> TxOptions.defaults().withRetries(-1)),
                rejects("TxOptions.withRetries: Integer.MAX_VALUE", InvalidInputException.class, () -> TxOptions.defaults().withRetries(Integer.MAX_VALUE)),
                rejects("softDelete: null reason", InvalidInputException.class, () -> a().useTransaction(tx -> tx.table(WIDGETS).softDelete(widgetA, null))),
                rejects("softDelete: blank reason", InvalidInputException.class, () -> a().useTransaction(tx -> tx.table(WIDGETS).softDelete(widgetA, " \t\n"))),
                rejects("softDelete: 1001-character reason", InvalidInputException.class,
                        () -> a().useTransaction(tx -> tx.table(WIDGETS).softDelete(widgetA, "r".repeat(1001)))));
    }

    // ---------------------------------------------------------------- the runner

    /** What a case does, and what it may change: the ids of the rows it wrote on purpose. */
    interface Action {
        Set<UUID> run() throws Throwable;
    }

    /** What a case expects. */
    enum Kind {
        /** A typed exception; nothing changes. */
        REJECTED,
        /** The value is stored (or reaches its setting) and reads back equal. */
        STORED_VERBATIM,
        /** The call succeeds and changes nothing, such as a read of another tenant's id. */
        NO_EFFECT
    }

    /** One case: rejected with {@code rejectedWith} (exact class, and SQLSTATE if given), or run for its effect. */
    record HostileCase(Kind kind, Class<? extends Throwable> rejectedWith, String sqlState, Action action) {
    }

    private static Arguments stores(String name, Action action) {
        return argumentSet(name, new HostileCase(Kind.STORED_VERBATIM, null, null, action));
    }

    private static Arguments noEffect(String name, Runnable action) {
        return argumentSet(name, new HostileCase(Kind.NO_EFFECT, null, null, () -> {
            action.run();
            return Set.of();
        }));
    }

    private static Arguments rejects(String name, Class<? extends Throwable> type, ThrowingCallable action) {
        return rejects(name, type, null, action);
    }

    private static Arguments rejects(String name, Class<? extends Throwable> type, String sqlState, ThrowingCallable action) {
        return argumentSet(name, new HostileCase(Kind.REJECTED, type, sqlState, () -> {
            action.call();
            return Set.of();
        }));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void isRejectedWithATypedErrorOrStoredVerbatimAndWritesNothingElse(HostileCase hostile) throws Throwable {
        Map<String, String> before = fingerprint();
        Set<UUID> touched;
        if (hostile.kind() == Kind.REJECTED) {
            assertThatThrownBy(() -> hostile.action().run())
                    .isExactlyInstanceOf(hostile.rejectedWith())
                    .satisfies(e -> {
                        if (hostile.sqlState() != null) {
                            assertThat(((DatabaseException) e).sqlState()).isEqualTo(hostile.sqlState());
                        }
                    });
            touched = Set.of();
            synchronized (REJECTED) {
                REJECTED.merge(hostile.rejectedWith().getSimpleName(), 1, Integer::sum);
            }
        } else {
            touched = hostile.action().run();
            if (hostile.kind() == Kind.NO_EFFECT) {
                assertThat(touched).isEmpty();
            }
            (hostile.kind() == Kind.NO_EFFECT ? NO_EFFECT : STORED).incrementAndGet();
        }
        Map<String, String> after = fingerprint();
        assertThat(without(after, touched)).describedAs("every row but the ones this case wrote on purpose is unchanged")
                .isEqualTo(without(before, touched));
    }

    /** Every row of the tables the cases can reach, as table:id -> md5 of the whole row, read in the system scope. */
    private static Map<String, String> fingerprint() {
        Map<String, String> rows = new HashMap<>();
        sentinel.system(Tenants.SETUP).useTransaction(tx -> tx.dsl().fetch(
                "select 'widgets:' || id, md5(w::text) from widgets w"
                        + " union all select 'gadgets:' || id, md5(g::text) from gadgets g"
                        + " union all select 'tenants:' || id, md5(t::text) from sentinel.tenants t")
                .forEach(row -> rows.put(row.get(0, String.class), row.get(1, String.class))));
        return rows;
    }

    private static Map<String, String> without(Map<String, String> rows, Set<UUID> ids) {
        Map<String, String> kept = new HashMap<>(rows);
        kept.keySet().removeIf(key -> ids.stream().anyMatch(id -> key.endsWith(":" + id)));
        return kept;
    }

    // ---------------------------------------------------------------- helpers of the cases

    private static Scope a() {
        return sentinel.tenant(tenantA, ALICE);
    }

    private static Scope b() {
        return sentinel.tenant(tenantB, ALICE);
    }

    private static WidgetsRecord widget(String name) {
        return new WidgetsRecord().setName(name);
    }

    private static void insert(WidgetsRecord record) {
        a().useTransaction(tx -> tx.table(WIDGETS).insert(record));
    }

    private static Optional<WidgetsRecord> find(UUID id) {
        return a().inTransaction(tx -> tx.table(WIDGETS).find(id));
    }

    /** Inserts a widget named {@code name}; reads it back through the repository and through raw SQL. */
    private static Set<UUID> insertVerbatim(String name) {
        UUID id = a().inTransaction(tx -> tx.table(WIDGETS).insert(widget(name)).getId());
        assertVerbatim(name, a().inTransaction(tx -> tx.table(WIDGETS).get(id)).getName());
        assertVerbatim(name, a().inTransaction(tx -> tx.dsl().select(WIDGETS.NAME).from(WIDGETS).where(WIDGETS.ID.eq(id)).fetchOne(WIDGETS.NAME)));
        return Set.of(id);
    }

    private static Set<UUID> normalizationFormsStayDistinct() {
        String decomposed = "cafe\u0301";
        String composed = "caf\u00e9";
        Set<UUID> ids = new java.util.HashSet<>(insertVerbatim(decomposed));
        ids.addAll(insertVerbatim(composed));
        assertThat(ids).describedAs("two rows: PostgreSQL compares bytes, Sentinel does not normalize").hasSize(2);
        return ids;
    }

    private static Set<UUID> bigColorVerbatim(String color) {
        UUID id = a().inTransaction(tx -> tx.table(WIDGETS).insert(widget("big-color").setColor(color)).getId());
        assertVerbatim(color, a().inTransaction(tx -> tx.table(WIDGETS).get(id)).getColor());
        purge(id);
        return Set.of(id);
    }

    private static Set<UUID> bigGadgetVerbatim() {
        String label = "\u20AC".repeat(TEN_MB / 3);
        UUID id = a().inTransaction(tx -> tx.table(GADGETS).insert(new GadgetsRecord().setLabel(label)).getId());
        assertVerbatim(label, a().inTransaction(tx -> tx.table(GADGETS).get(id)).getLabel());
        sentinel.system(Tenants.SETUP).useTransaction(tx -> tx.table(GADGETS).purge(id));
        return Set.of(id);
    }

    private static Set<UUID> softDeleteVerbatim(String reason) {
        UUID id = a().inTransaction(tx -> tx.table(WIDGETS).insert(widget("to-delete-" + UUID.randomUUID())).getId());
        a().useTransaction(tx -> tx.table(WIDGETS).softDelete(id, reason));
        assertVerbatim(reason, a().inTransaction(tx -> tx.table(WIDGETS).onlyDeleted().get(id)).getDeleteReason());
        return Set.of(id);
    }

    private static Set<UUID> insertQuantityVerbatim(int quantity) {
        UUID id = a().inTransaction(tx -> tx.table(WIDGETS).insert(widget("quantity-" + quantity).setQuantity(quantity)).getId());
        assertThat(a().inTransaction(tx -> tx.table(WIDGETS).get(id)).getQuantity()).isEqualTo(quantity);
        return Set.of(id);
    }

    private static Set<UUID> longServiceActorVerbatim() {
        String name = "s" + "a1_.-".repeat(12) + "z";
        assertThat(name).hasSize(62);
        Actor service = Actor.service(name + "x");
        String seen = sentinel.tenant(tenantA, service).inTransaction(tx -> tx.dsl().fetchValue(DSL.field("current_setting('sentinel.actor_id')", String.class)));
        assertVerbatim("service:" + name + "x", seen);
        return Set.of();
    }

    private static Set<UUID> longRequestIdVerbatim() {
        String requestId = "req:/._-".repeat(16);
        assertThat(requestId).hasSize(128);
        String seen = a().with(TxOptions.defaults().withRequestId(requestId))
                .inTransaction(tx -> tx.dsl().fetchValue(DSL.field("current_setting('sentinel.request_id')", String.class)));
        assertVerbatim(requestId, seen);
        return Set.of();
    }

    private static void purge(UUID id) {
        sentinel.system(Tenants.SETUP).useTransaction(tx -> tx.table(WIDGETS).purge(id));
    }

    private static String randomLetters(int length, long seed) {
        Random random = new Random(seed);
        char[] letters = new char[length];
        for (int i = 0; i < length; i++) {
            letters[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(letters);
    }

    /** Equal code unit for code unit; on a difference, says where, without printing megabytes. */
    private static void assertVerbatim(String expected, String actual) {
        if (expected.equals(actual)) {
            return;
        }
        int at = 0;
        while (actual != null && at < Math.min(expected.length(), actual.length()) && expected.charAt(at) == actual.charAt(at)) {
            at++;
        }
        throw new AssertionError("not read back verbatim: lengths " + expected.length() + " and "
                + (actual == null ? "null" : actual.length()) + ", first difference at index " + at
                + List.of(expected.substring(at, Math.min(at + 8, expected.length())).codePoints().mapToObj(Integer::toHexString).toList(),
                        actual == null ? List.of() : actual.substring(Math.min(at, actual.length()), Math.min(at + 8, actual.length()))
                                .codePoints().mapToObj(Integer::toHexString).toList()));
    }
}
