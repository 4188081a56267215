package dev.sentinel.bench;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.NoArgGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What every variant shares: the rotation through read ids and held rows, and the values written.
 *
 * @param <H> how the variant holds a row it read (a DTO, a jOOQ record)
 */
abstract class AbstractNotes<H> implements NoteOps {

    /** The body of every inserted note: a realistic few hundred bytes. */
    static final String BODY = "Call the client about the renewal; they asked for a quote covering two more seats, "
            + "the annual plan and the onboarding workshop. Check the open invoice first and mention the new "
            + "reporting feature. Follow up by e-mail with the summary.";

    /** The reason of every soft delete. */
    static final String DELETE_REASON = "benchmark: duplicate";

    /** UUIDv7, the generator Sentinel uses, so hand-written ids sort like Sentinel's. */
    static final NoArgGenerator UUIDS = Generators.timeBasedEpochGenerator();

    private List<UUID> readIds = List.of();
    private int readCursor;
    private final List<H> held = new ArrayList<>();
    private int heldCursor;
    private H pending;
    private int counter;

    @Override
    public final void readFrom(List<UUID> ids) {
        if (ids.size() <= PAGE_SIZE) {
            throw new IllegalArgumentException("readFrom needs more than " + PAGE_SIZE + " ids, got " + ids.size());
        }
        this.readIds = List.copyOf(ids);
        this.readCursor = 0;
    }

    @Override
    public final void hold(int rows) {
        while (held.size() < rows) {
            held.add(insertRow());
        }
    }

    @Override
    public final Object insert() {
        return insertRow();
    }

    @Override
    public final Object update() {
        if (held.isEmpty()) {
            throw new IllegalStateException(name() + ": call hold(n) before update()");
        }
        int slot = heldCursor++ % held.size();
        heldCursor %= held.size();
        H updated = updateRow(held.get(slot), nextTitle(), nextPriority());
        held.set(slot, updated);
        return updated;
    }

    @Override
    public final void prepareSoftDelete() {
        pending = insertRow();
    }

    @Override
    public final Object softDelete() {
        H row = pending;
        if (row == null) {
            throw new IllegalStateException(name() + ": call prepareSoftDelete() before softDelete()");
        }
        pending = null;
        return softDeleteRow(row);
    }

    /**
     * Inserts one row in its own transaction.
     *
     * @return the row as stored
     */
    abstract H insertRow();

    /**
     * Updates title and priority of a held row in its own transaction.
     *
     * @param row the row as last read
     * @param title the new title
     * @param priority the new priority
     * @return the row as stored
     */
    abstract H updateRow(H row, String title, int priority);

    /**
     * Soft-deletes a held row in its own transaction.
     *
     * @param row the row as last read
     * @return the row as stored
     */
    abstract H softDeleteRow(H row);

    /** The next id for {@link #find()}. */
    final UUID nextReadId() {
        UUID id = readIds.get(readCursor);
        readCursor = (readCursor + 1) % readIds.size();
        return id;
    }

    /** The id after which the next {@link #listPage()} starts, so that a full page follows. */
    final UUID nextPageStart() {
        int start = readCursor % (readIds.size() - PAGE_SIZE);
        readCursor = start + 1;
        return readIds.get(start);
    }

    /** A new title, different from every earlier one. */
    final String nextTitle() {
        return "Note " + (++counter);
    }

    /** A new priority, 1 to 97: never the default 0, and (for fewer than 97 held rows) never the row's last one. */
    final int nextPriority() {
        return 1 + counter % 97;
    }
}
