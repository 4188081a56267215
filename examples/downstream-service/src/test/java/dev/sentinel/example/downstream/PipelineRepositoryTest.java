package dev.sentinel.example.downstream;

import static dev.sentinel.example.downstream.db.Tables.PIPELINES;
import static dev.sentinel.example.downstream.db.Tables.PIPELINE_ITEMS;
import static dev.sentinel.example.downstream.db.Tables.PIPELINE_STAGES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.core.Actor;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.UniqueViolationException;
import dev.sentinel.core.audit.AuditEntry;
import dev.sentinel.core.audit.AuditFilter;
import dev.sentinel.core.db.enums.ActorType;
import dev.sentinel.example.downstream.PipelineRepository.StageSpec;
import dev.sentinel.example.downstream.db.enums.PipelineItemsPriority;
import dev.sentinel.example.downstream.db.enums.PipelinesType;
import dev.sentinel.example.downstream.db.tables.records.PipelineItemsRecord;
import dev.sentinel.example.downstream.db.tables.records.PipelineStagesRecord;
import dev.sentinel.example.downstream.db.tables.records.PipelinesRecord;
import dev.sentinel.testing.SentinelDatabase;
import java.util.List;
import java.util.UUID;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The board's rules, on the service's own tables, each tenant seeing only its own board. */
class PipelineRepositoryTest {

    @RegisterExtension
    static final SentinelDatabase db = SentinelDatabase.builder()
            .serviceMigrations("classpath:db/migration")   // the service's own, after Sentinel's
            .build();

    private static Sentinel sentinel;

    private UUID acme;
    private UUID aliceId;
    private Actor alice;

    @BeforeAll
    static void start() {
        // Exactly as the service starts; the extension has applied the migrations, so none is pending.
        sentinel = SalesService.start(db.appDataSource(), db.systemDataSource(), db.ownerDataSource());
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @BeforeEach
    void tenantWithAMember() {
        acme = SalesFixture.tenant(sentinel);
        aliceId = SalesFixture.member(sentinel, acme);
        alice = Actor.user(aliceId);
    }

    private PipelinesRecord salesPipeline() {
        return sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(PipelineRepository.class).create("sales", "Sales", PipelinesType.SALES,
                List.of(StageSpec.open("lead", "Lead"), StageSpec.open("qualified", "Qualified"),
                        StageSpec.terminal("won", "Won"), StageSpec.terminal("lost", "Lost"))));
    }

    private String stageKeyOf(PipelineItemsRecord item) {
        return sentinel.tenant(acme, alice).inTransaction(tx -> tx.table(PIPELINE_STAGES).get(item.getStageId()).getKey());
    }

    @Test
    void aPipelineIsCreatedWithItsStagesInOrder() {
        PipelinesRecord sales = salesPipeline();

        List<PipelineStagesRecord> stages = sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(PipelineRepository.class).stages(sales.getId()));

        assertThat(sales.getTenantId()).isEqualTo(acme);
        assertThat(sales.getType()).isEqualTo(PipelinesType.SALES);
        assertThat(sales.getIsActive()).isTrue();
        assertThat(stages).extracting(PipelineStagesRecord::getKey).containsExactly("lead", "qualified", "won", "lost");
        assertThat(stages).extracting(PipelineStagesRecord::getPosition).containsExactly(0, 1, 2, 3);
        assertThat(stages).extracting(PipelineStagesRecord::getIsTerminal).containsExactly(false, false, true, true);
    }

    @Test
    void anItemStartsInTheFirstOpenStageAndMovesThroughThePipeline() {
        salesPipeline();

        PipelineItemsRecord card = sentinel.tenant(acme, alice).inTransaction(tx -> {
            PipelineRepository board = tx.attach(PipelineRepository.class);
            PipelineItemsRecord item = board.addItem("sales", "Globex: website relaunch", PipelineItemsPriority.HIGH);
            return board.move(item.getId(), "qualified");
        });

        assertThat(stageKeyOf(card)).isEqualTo("qualified");
        assertThat(card.getPriority()).isEqualTo(PipelineItemsPriority.HIGH);
        assertThat(card.getVersion()).describedAs("one update after the insert").isEqualTo(1);
    }

    @Test
    void aNewItemSkipsTerminalStagesThatComeFirst() {
        sentinel.tenant(acme, alice).useTransaction(tx -> tx.attach(PipelineRepository.class).create("support", "Support", PipelinesType.SUPPORT,
                List.of(StageSpec.terminal("spam", "Spam"), StageSpec.open("triage", "Triage"), StageSpec.terminal("done", "Done"))));

        PipelineItemsRecord ticket = sentinel.tenant(acme, alice).inTransaction(tx ->
                tx.attach(PipelineRepository.class).addItem("support", "Printer on fire", PipelineItemsPriority.URGENT));

        assertThat(stageKeyOf(ticket)).isEqualTo("triage");
    }

    @Test
    void everyChangeIsInTheTenantsAuditTrailWithWhoAndWhat() {
        salesPipeline();
        PipelineItemsRecord card = sentinel.tenant(acme, alice).inTransaction(tx -> {
            PipelineRepository board = tx.attach(PipelineRepository.class);
            return board.move(board.addItem("sales", "Initech: support contract", PipelineItemsPriority.NORMAL).getId(), "won");
        });

        List<AuditEntry> trail = sentinel.tenant(acme, alice).inTransaction(tx ->
                tx.audit().list(AuditFilter.all().entity("public.pipeline_items", card.getId()), 10).entries());

        assertThat(trail).extracting(AuditEntry::action).containsExactly("update", "insert");
        AuditEntry move = trail.get(0);
        assertThat(move.actorType()).isEqualTo(ActorType.USER);
        assertThat(move.actorId()).isEqualTo(aliceId);
        assertThat(move.diff()).describedAs("the diff names the changed column, old and new")
                .contains("\"stage_id\"").contains(card.getStageId().toString());
    }

    @Test
    void aClosedItemCannotMoveAndNothingIsWritten() {
        salesPipeline();
        PipelineItemsRecord won = sentinel.tenant(acme, alice).inTransaction(tx -> {
            PipelineRepository board = tx.attach(PipelineRepository.class);
            return board.move(board.addItem("sales", "Umbrella: audit", PipelineItemsPriority.LOW).getId(), "won");
        });

        assertThatThrownBy(() -> sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(PipelineRepository.class).move(won.getId(), "lead")))
                .isInstanceOf(InvalidStateTransitionException.class)
                .hasMessageContaining("closed in the terminal stage 'won'");

        PipelineItemsRecord after = sentinel.tenant(acme, alice).inTransaction(tx -> tx.table(PIPELINE_ITEMS).get(won.getId()));
        assertThat(stageKeyOf(after)).isEqualTo("won");
        assertThat(after.getVersion()).isEqualTo(won.getVersion());
    }

    @Test
    void anItemMovesOnlyToAStageOfItsOwnPipeline() {
        salesPipeline();
        sentinel.tenant(acme, alice).useTransaction(tx -> tx.attach(PipelineRepository.class).create("support", "Support", PipelinesType.SUPPORT,
                List.of(StageSpec.open("triage", "Triage"), StageSpec.terminal("done", "Done"))));
        PipelineItemsRecord item = sentinel.tenant(acme, alice).inTransaction(tx ->
                tx.attach(PipelineRepository.class).addItem("sales", "Hooli: pilot", PipelineItemsPriority.NORMAL));

        assertThatThrownBy(() -> sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(PipelineRepository.class).move(item.getId(), "triage")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no stage 'triage'")
                .hasMessageContaining("lead, qualified, won, lost");
    }

    @Test
    void theDatabaseKeepsAnItemsStageInsideItsPipelineEvenForRawSql() {
        salesPipeline();
        PipelinesRecord support = sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(PipelineRepository.class).create("support", "Support",
                PipelinesType.SUPPORT, List.of(StageSpec.open("triage", "Triage"))));
        PipelineItemsRecord item = sentinel.tenant(acme, alice).inTransaction(tx ->
                tx.attach(PipelineRepository.class).addItem("sales", "Pied Piper: compression", PipelineItemsPriority.URGENT));
        UUID triage = sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(PipelineRepository.class).stages(support.getId()).get(0).getId());

        assertThatThrownBy(() -> sentinel.tenant(acme, alice).useTransaction(tx -> tx.dsl().update(PIPELINE_ITEMS)
                .set(PIPELINE_ITEMS.STAGE_ID, triage)
                .where(PIPELINE_ITEMS.ID.eq(item.getId()))
                .execute()))
                .isInstanceOfSatisfying(dev.sentinel.core.ConstraintViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo("pipeline_items_stage_fkey"));
    }

    @Test
    void aPipelineNeedsDistinctStagesAndAnOpenOneAndABadOneWritesNothing() {
        assertThatThrownBy(() -> sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(PipelineRepository.class).create("ops", "Ops",
                PipelinesType.INTERNAL, List.of(StageSpec.open("todo", "To do"), StageSpec.open("todo", "Again")))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("two stages with the key 'todo'");
        assertThatThrownBy(() -> sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(PipelineRepository.class).create("ops", "Ops",
                PipelinesType.INTERNAL, List.of(StageSpec.terminal("done", "Done")))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("only terminal stages");
        assertThatThrownBy(() -> sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(PipelineRepository.class).create("ops", "Ops",
                PipelinesType.INTERNAL, List.of())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at least one stage");
        // A stage key the table's CHECK refuses: the pipeline inserted before it is rolled back too.
        assertThatThrownBy(() -> sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(PipelineRepository.class).create("ops", "Ops",
                PipelinesType.INTERNAL, List.of(StageSpec.open("To Do", "To do")))))
                .isInstanceOfSatisfying(dev.sentinel.core.ConstraintViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo("pipeline_stages_key_format"));

        long pipelines = sentinel.tenant(acme, alice).inTransaction(tx -> tx.table(PIPELINES).withDeleted().count(DSL.noCondition()));
        assertThat(pipelines).isZero();
    }

    @Test
    void aKeyIsUniqueAmongLivePipelinesAndADeletedPipelineFreesIt() {
        PipelinesRecord first = salesPipeline();

        assertThatThrownBy(this::salesPipeline)
                .isInstanceOfSatisfying(UniqueViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo("pipelines_key_live_key"));

        sentinel.tenant(acme, alice).useTransaction(tx -> tx.table(PIPELINES).softDelete(first.getId(), "replaced by a new sales process"));
        PipelinesRecord second = salesPipeline();
        assertThat(second.getId()).isNotEqualTo(first.getId());
        assertThatThrownBy(() -> sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(PipelineRepository.class).addItem("nope", "x",
                PipelineItemsPriority.LOW)))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("No live pipeline with the key 'nope'");
    }

    @Test
    void anInactivePipelineTakesNoNewItems() {
        PipelinesRecord sales = salesPipeline();
        sentinel.tenant(acme, alice).useTransaction(tx -> tx.table(PIPELINES).update(tx.table(PIPELINES).get(sales.getId()).setIsActive(false)));

        assertThatThrownBy(() -> sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(PipelineRepository.class).addItem("sales", "Late lead",
                PipelineItemsPriority.NORMAL)))
                .isInstanceOf(InvalidStateTransitionException.class)
                .hasMessageContaining("inactive");
        long items = sentinel.tenant(acme, alice).inTransaction(tx -> tx.table(PIPELINE_ITEMS).count(DSL.noCondition()));
        assertThat(items).isZero();
    }

    @Test
    void aPipelineWrittenWithoutTheRepositoryAndWithoutAnOpenStageTakesNoItems() {
        // The generic repository does not know the board's rules: a pipeline written through it
        // directly may lack an open stage, and the repository then refuses items with a typed error.
        sentinel.tenant(acme, alice).useTransaction(tx -> {
            PipelinesRecord archive = tx.table(PIPELINES).insert(new PipelinesRecord().setKey("archive").setName("Archive"));
            tx.table(PIPELINE_STAGES).insert(new PipelineStagesRecord().setPipelineId(archive.getId()).setKey("archived")
                    .setName("Archived").setPosition(0).setIsTerminal(true));
        });

        assertThatThrownBy(() -> sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(PipelineRepository.class).addItem("archive", "Old lead",
                PipelineItemsPriority.LOW)))
                .isInstanceOf(InvalidStateTransitionException.class)
                .hasMessageContaining("no open stage");
    }

    @Test
    void onlyAMemberOfTheTenantCanBeAssigned() {
        salesPipeline();
        UUID otherTenant = SalesFixture.tenant(sentinel);
        UUID outsider = SalesFixture.member(sentinel, otherTenant);
        PipelineItemsRecord item = sentinel.tenant(acme, alice).inTransaction(tx ->
                tx.attach(PipelineRepository.class).addItem("sales", "Soylent: catering", PipelineItemsPriority.NORMAL));

        assertThatThrownBy(() -> sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(PipelineRepository.class).assign(item.getId(), outsider)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a member of this tenant");

        PipelineItemsRecord assigned = sentinel.tenant(acme, alice).inTransaction(tx -> tx.attach(PipelineRepository.class).assign(item.getId(), aliceId));
        assertThat(assigned.getAssigneeId()).isEqualTo(aliceId);
    }

    @Test
    void anotherTenantSeesNoneOfTheBoardThroughTheRepositoryOrRawSql() {
        PipelinesRecord sales = salesPipeline();
        PipelineItemsRecord item = sentinel.tenant(acme, alice).inTransaction(tx ->
                tx.attach(PipelineRepository.class).addItem("sales", "Acme's secret deal", PipelineItemsPriority.HIGH));
        UUID globex = SalesFixture.tenant(sentinel);
        Actor bob = Actor.user(SalesFixture.member(sentinel, globex));

        sentinel.tenant(globex, bob).useTransaction(tx -> {
            PipelineRepository board = tx.attach(PipelineRepository.class);
            assertThat(board.stages(sales.getId())).isEmpty();
            assertThatThrownBy(() -> board.addItem("sales", "x", PipelineItemsPriority.LOW)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> board.move(item.getId(), "won")).isInstanceOf(NotFoundException.class);
            assertThat(tx.dsl().fetchCount(PIPELINE_ITEMS)).describedAs("raw SQL without a tenant filter").isZero();
            assertThat(tx.dsl().fetchCount(DSL.table("pipelines"))).describedAs("plain SQL by table name").isZero();
        });
    }

    @Test
    void theRepositoriesRefuseTheSystemScope() {
        assertThatThrownBy(() -> sentinel.system(SalesFixture.ONBOARDING).useTransaction(PipelineRepository::new))
                .isInstanceOf(MissingScopeException.class)
                .hasMessageContaining("tenant scope");
        assertThatThrownBy(() -> sentinel.system(SalesFixture.ONBOARDING).useTransaction(BookingRepository::new))
                .isInstanceOf(MissingScopeException.class);
    }
}
