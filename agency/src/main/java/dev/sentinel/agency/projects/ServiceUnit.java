package dev.sentinel.agency.projects;

import java.util.Locale;

/** The unit a service is sold in, stored as text in {@code agency.services.unit}. */
public enum ServiceUnit {
    /** Per hour; the price is the default rate of time booked as this service. */
    HOUR,
    /** Per day. */
    DAY,
    /** Per item. */
    ITEM,
    /** Per month. */
    MONTH;

    /**
     * The value stored in the database.
     *
     * @return the lower-case name
     */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }
}
