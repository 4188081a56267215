package dev.sentinel.schema.tools.lint;

import java.util.Objects;

/**
 * One broken rule: where, which rule, what is wrong and how to fix it. Immutable.
 *
 * @param table the table as {@code schema.table}, or {@code null} for a finding about a role
 * @param object the object within (a constraint, index, policy, trigger, column or privilege), or
 *     the role or object for a finding about the application role
 * @param rule the rule broken
 * @param message what is wrong and why it matters, in one or two sentences
 * @param fix what to change, in words (often the SQL)
 */
public record Finding(String table, String object, Rule rule, String message, String fix) {

    /** Checks that everything but {@code table} is present. */
    public Finding {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fix, "fix");
    }

    /**
     * The finding on one line: {@code [rule-id] table (object): message Fix: fix}.
     *
     * @return the line
     */
    @Override
    public String toString() {
        return "[" + rule.id() + "] " + (table == null ? object : table + " (" + object + ")") + ": " + message
                + " Fix: " + fix;
    }
}
