package dev.sentinel.agency.internal.projects;

import static dev.sentinel.agency.db.Tables.TIME_ENTRIES;

import dev.sentinel.agency.projects.TimeTotal;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.impl.DSL;

/**
 * The aggregate that every time total is made of: per key (a project or a person) and currency,
 * minutes, billable minutes and the billable amount, which {@link #fold} then folds into one
 * {@link TimeTotal} per key. Entries without a rate form the group whose currency is null.
 */
final class TimeTotals {

    private static final Field<UUID> KEY = DSL.field(DSL.name("key"), UUID.class);
    private static final Field<String> CURRENCY = DSL.field(DSL.name("currency"), String.class);
    private static final Field<BigDecimal> MINUTES = DSL.field(DSL.name("minutes"), BigDecimal.class);
    private static final Field<BigDecimal> BILLABLE = DSL.field(DSL.name("billable"), BigDecimal.class);
    private static final Field<BigDecimal> AMOUNT = DSL.field(DSL.name("amount"), BigDecimal.class);

    private TimeTotals() {
    }

    /**
     * The select list: key, currency, minutes, billable minutes, amount. Group by the key and
     * {@code time_entries.currency}.
     *
     * @param key the column grouped by
     * @return the fields
     */
    static List<SelectField<?>> columns(Field<UUID> key) {
        var t = TIME_ENTRIES;
        Field<Integer> billableMinutes = DSL.when(t.BILLABLE, t.DURATION_MINUTES).otherwise(0);
        // Summed exactly, divided and rounded once per group: no cent lost to rounding per entry.
        Field<BigDecimal> amount = DSL.round(DSL.sum(DSL.when(t.BILLABLE, t.DURATION_MINUTES.mul(t.HOURLY_RATE)))
                .div(DSL.inline(new BigDecimal(60))), 2);
        return List.of(key.as(KEY), t.CURRENCY.as(CURRENCY), DSL.sum(t.DURATION_MINUTES).as(MINUTES),
                DSL.sum(billableMinutes).as(BILLABLE), amount.as(AMOUNT));
    }

    /**
     * Folds rows of {@link #columns} into one total per key, in key order.
     *
     * @param rows the grouped rows
     * @return the totals
     */
    static List<TimeTotal> fold(List<? extends Record> rows) {
        Map<UUID, long[]> minutes = new TreeMap<>();
        Map<UUID, Map<String, BigDecimal>> amounts = new LinkedHashMap<>();
        for (Record row : rows) {
            UUID key = row.get(KEY);
            long[] sums = minutes.computeIfAbsent(key, k -> new long[2]);
            sums[0] += row.get(MINUTES).longValueExact();
            sums[1] += row.get(BILLABLE).longValueExact();
            String currency = row.get(CURRENCY);
            BigDecimal amount = row.get(AMOUNT);
            Map<String, BigDecimal> perCurrency = amounts.computeIfAbsent(key, k -> new TreeMap<>());
            if (currency != null && amount != null) {
                perCurrency.merge(currency, amount.setScale(2, RoundingMode.UNNECESSARY), BigDecimal::add);
            }
        }
        List<TimeTotal> totals = new ArrayList<>();
        minutes.forEach((key, sums) -> totals.add(new TimeTotal(key, sums[0], sums[1], amounts.get(key))));
        return totals;
    }

    /**
     * The sum of several totals, under another id.
     *
     * @param id the id of the sum, such as the project's
     * @param totals the parts
     * @return the sum
     */
    static TimeTotal sum(UUID id, List<TimeTotal> totals) {
        long all = 0;
        long billable = 0;
        Map<String, BigDecimal> amounts = new TreeMap<>();
        for (TimeTotal total : totals) {
            all += total.totalMinutes();
            billable += total.billableMinutes();
            total.billableAmounts().forEach((currency, amount) -> amounts.merge(currency, amount, BigDecimal::add));
        }
        return new TimeTotal(id, all, billable, amounts);
    }
}
