package dev.sentinel.example.downstream;

import static dev.sentinel.core.db.Tables.TENANT_MEMBERS;
import static dev.sentinel.example.downstream.db.Tables.PIPELINES;
import static dev.sentinel.example.downstream.db.Tables.PIPELINE_ITEMS;
import static dev.sentinel.example.downstream.db.Tables.PIPELINE_STAGES;

import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.MissingScopeException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.Tx;
import dev.sentinel.core.UniqueViolationException;
import dev.sentinel.example.downstream.db.enums.PipelineItemsPriority;
import dev.sentinel.example.downstream.db.enums.PipelinesType;
import dev.sentinel.example.downstream.db.tables.records.PipelineItemsRecord;
import dev.sentinel.example.downstream.db.tables.records.PipelineStagesRecord;
import dev.sentinel.example.downstream.db.tables.records.PipelinesRecord;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Pipelines, their stages and the items on them, for one tenant, inside one transaction. The
 * generic repository ({@code tx.table(...)}) does the reading and writing, with the tenant
 * predicate, soft deletes, UUIDv7 ids, timestamps and optimistic locking; this class adds the
 * board's rules:
 *
 * <ul>
 *   <li>a pipeline has at least one open (non-terminal) stage, and its stage keys are distinct;</li>
 *   <li>a new item starts in the pipeline's first open stage, and only an active pipeline takes new items;</li>
 *   <li>an item moves only between stages of its own pipeline, and not at all once it is in a
 *       terminal stage (closed: won, lost, done);</li>
 *   <li>only a member of the tenant can be assigned an item.</li>
 * </ul>
 *
 * <p>A broken rule throws a {@link dev.sentinel.core.SentinelException} subclass before anything
 * is written. Every change is audited by the tables' triggers, with no call here. Reach it with
 * {@code tx.attach(PipelineRepository.class)} (registered in {@link SalesService#start}), one per
 * transaction. Not thread-safe, like the {@link Tx} it wraps.
 */
public final class PipelineRepository {

    /**
     * A stage to create with a pipeline.
     *
     * @param key short name, unique within the pipeline, e.g. {@code qualified}
     * @param name display name
     * @param terminal whether items in it are closed
     */
    public record StageSpec(String key, String name, boolean terminal) {

        /**
         * An open stage, which items move through.
         *
         * @param key short name
         * @param name display name
         * @return the stage
         */
        public static StageSpec open(String key, String name) {
            return new StageSpec(key, name, false);
        }

        /**
         * A terminal stage, which closes the items that reach it.
         *
         * @param key short name
         * @param name display name
         * @return the stage
         */
        public static StageSpec terminal(String key, String name) {
            return new StageSpec(key, name, true);
        }
    }

    private final Tx tx;

    /**
     * A repository bound to a transaction in a tenant scope.
     *
     * @param tx the transaction
     * @throws MissingScopeException if {@code tx} is the system scope, which belongs to no tenant
     */
    public PipelineRepository(Tx tx) {
        this.tx = Objects.requireNonNull(tx, "tx");
        tx.requireTenantId("PipelineRepository");
    }

    /**
     * Creates a pipeline with its stages, in the order given.
     *
     * @param key short name, unique among the tenant's live pipelines, e.g. {@code sales}
     * @param name display name
     * @param type what the pipeline is for
     * @param stages the stages, first to last
     * @return the new pipeline
     * @throws InvalidInputException if there are no stages, two share a key, or all are terminal
     * @throws UniqueViolationException if a live pipeline of this tenant has the key already
     */
    public PipelinesRecord create(String key, String name, PipelinesType type, List<StageSpec> stages) {
        if (stages == null || stages.isEmpty()) {
            throw new InvalidInputException("Pipeline '" + key + "' needs at least one stage; pass its stages in order");
        }
        Set<String> keys = new HashSet<>();
        for (StageSpec stage : stages) {
            if (!keys.add(stage.key())) {
                throw new InvalidInputException("Pipeline '" + key + "' has two stages with the key '" + stage.key()
                        + "'; stage keys must be distinct within a pipeline");
            }
        }
        if (stages.stream().allMatch(StageSpec::terminal)) {
            throw new InvalidInputException("Pipeline '" + key + "' has only terminal stages, so no item could ever be open;"
                    + " add an open stage (StageSpec.open) for new items to start in");
        }
        PipelinesRecord pipeline = tx.table(PIPELINES).insert(new PipelinesRecord().setKey(key).setName(name).setType(type));
        for (int position = 0; position < stages.size(); position++) {
            StageSpec stage = stages.get(position);
            tx.table(PIPELINE_STAGES).insert(new PipelineStagesRecord()
                    .setPipelineId(pipeline.getId())
                    .setKey(stage.key())
                    .setName(stage.name())
                    .setPosition(position)
                    .setIsTerminal(stage.terminal()));
        }
        return pipeline;
    }

    /**
     * The stages of a pipeline, first to last.
     *
     * @param pipelineId the pipeline
     * @return its stages in order; empty if the pipeline is not this tenant's
     */
    public List<PipelineStagesRecord> stages(UUID pipelineId) {
        // jOOQ directly, for the order by position; the explicit tenant predicate as the generic
        // repository writes it (row-level security would filter without it, but the predicate lets
        // the planner use the tenant-first keys, and Citus route the query).
        return tx.dsl().selectFrom(PIPELINE_STAGES)
                .where(PIPELINE_STAGES.TENANT_ID.eq(tenantId()), PIPELINE_STAGES.PIPELINE_ID.eq(pipelineId))
                .orderBy(PIPELINE_STAGES.POSITION)
                .fetch();
    }

    /**
     * Adds an item to a pipeline, in its first open stage.
     *
     * @param pipelineKey the pipeline's key
     * @param title what the item is, 1 to 500 characters
     * @param priority how urgent
     * @return the new item
     * @throws NotFoundException if the tenant has no live pipeline with that key
     * @throws InvalidStateTransitionException if the pipeline is inactive, or has no open stage
     */
    public PipelineItemsRecord addItem(String pipelineKey, String title, PipelineItemsPriority priority) {
        PipelinesRecord pipeline = tx.table(PIPELINES).list(PIPELINES.KEY.eq(pipelineKey), PageRequest.first(1)).items().stream()
                .findFirst()
                .orElseThrow(() -> new NotFoundException("No live pipeline with the key '" + pipelineKey
                        + "' in this tenant; create it first, or check the key"));
        if (!pipeline.getIsActive()) {
            throw new InvalidStateTransitionException("Pipeline '" + pipelineKey + "' is inactive and takes no new items;"
                    + " reactivate it, or add the item to another pipeline");
        }
        PipelineStagesRecord firstOpen = stages(pipeline.getId()).stream()
                .filter(stage -> !stage.getIsTerminal())
                .findFirst()
                .orElseThrow(() -> new InvalidStateTransitionException("Pipeline '" + pipelineKey + "' has no open stage"
                        + " for new items to start in; add one"));
        return tx.table(PIPELINE_ITEMS).insert(new PipelineItemsRecord()
                .setPipelineId(pipeline.getId())
                .setStageId(firstOpen.getId())
                .setTitle(title)
                .setPriority(priority));
    }

    /**
     * Moves an item to another stage of its pipeline. Moving it to the stage it is in changes
     * nothing.
     *
     * @param itemId the item
     * @param stageKey the key of the target stage in the item's pipeline
     * @return the item as stored
     * @throws NotFoundException if the item is not a live item of this tenant, or its pipeline has no such stage
     * @throws InvalidStateTransitionException if the item is closed (in a terminal stage)
     * @throws dev.sentinel.core.StaleRecordException if another transaction changed the item meanwhile
     */
    public PipelineItemsRecord move(UUID itemId, String stageKey) {
        PipelineItemsRecord item = tx.table(PIPELINE_ITEMS).get(itemId);
        List<PipelineStagesRecord> stages = stages(item.getPipelineId());
        PipelineStagesRecord current = stages.stream().filter(stage -> stage.getId().equals(item.getStageId())).findFirst().orElseThrow();
        PipelineStagesRecord target = stages.stream().filter(stage -> stage.getKey().equals(stageKey)).findFirst()
                .orElseThrow(() -> new NotFoundException("The item's pipeline has no stage '" + stageKey + "'; its stages are "
                        + stages.stream().map(PipelineStagesRecord::getKey).collect(Collectors.joining(", "))));
        if (target.getId().equals(current.getId())) {
            return item;
        }
        if (current.getIsTerminal()) {
            throw new InvalidStateTransitionException("Item " + itemId + " is closed in the terminal stage '" + current.getKey()
                    + "' and cannot move to '" + stageKey + "'; add a new item to start over");
        }
        return tx.table(PIPELINE_ITEMS).update(item.setStageId(target.getId()));
    }

    /**
     * Assigns an item to a member of the tenant.
     *
     * @param itemId the item
     * @param userId the member's user id
     * @return the item as stored
     * @throws NotFoundException if the item is not a live item of this tenant
     * @throws InvalidInputException if the user is not a member of this tenant
     */
    public PipelineItemsRecord assign(UUID itemId, UUID userId) {
        PipelineItemsRecord item = tx.table(PIPELINE_ITEMS).get(itemId);
        // Sentinel's own table, read with Sentinel's generated classes; its policies show a tenant
        // only its own members. The foreign key would refuse a non-member too, but this names the fix.
        boolean member = tx.dsl().fetchExists(TENANT_MEMBERS,
                TENANT_MEMBERS.TENANT_ID.eq(tenantId()), TENANT_MEMBERS.USER_ID.eq(userId));
        if (!member) {
            throw new InvalidInputException("User " + userId + " is not a member of this tenant; only members can be"
                    + " assigned items: add them to the tenant first");
        }
        return tx.table(PIPELINE_ITEMS).update(item.setAssigneeId(userId));
    }

    private UUID tenantId() {
        return tx.tenantId().orElseThrow();
    }
}
