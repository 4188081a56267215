package dev.sentinel.core.lifecycle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The order in which a purge empties the tenant tables: every table before the tables it
 * references, so that at each commit between batches no remaining row of the tenant points at a
 * row already deleted. A self-reference is no constraint on the order (the table is emptied before
 * the purge moves on). Tables in a cycle of references come in name order: the purge deletes with
 * foreign keys unchecked (its transactions set {@code session_replication_role = replica}), so a
 * cycle cannot stop it, and until the cycle's tables are empty a row of the closed tenant may point
 * at another of its rows already deleted, which only the closed tenant could see. Ties in name
 * order, so the order does not change from one run to the next. Stateless.
 */
final class PurgeOrder {

    private PurgeOrder() {
    }

    /**
     * Orders tables, children first.
     *
     * @param tables the tables
     * @param references pairs {child, parent} of foreign keys among them (others are ignored)
     * @return the tables in purge order
     */
    static List<String> childrenFirst(Collection<String> tables, List<String[]> references) {
        Map<String, Set<String>> parents = new HashMap<>();
        Map<String, Set<String>> children = new HashMap<>();
        for (String table : tables) {
            parents.put(table, new HashSet<>());
            children.put(table, new HashSet<>());
        }
        for (String[] reference : references) {
            String child = reference[0];
            String parent = reference[1];
            if (!child.equals(parent) && parents.containsKey(child) && parents.containsKey(parent)) {
                parents.get(child).add(parent);
                children.get(parent).add(child);
            }
        }
        List<String> order = new ArrayList<>();
        TreeSet<String> remaining = new TreeSet<>(tables);
        while (!remaining.isEmpty()) {
            // A table no remaining table references goes next; in a cycle, the first by name.
            String next = remaining.stream()
                    .filter(table -> children.get(table).stream().noneMatch(remaining::contains))
                    .findFirst()
                    .orElse(remaining.first());
            order.add(next);
            remaining.remove(next);
        }
        return order;
    }
}
