package dev.sentinel.core.internal;

import dev.sentinel.core.InvalidInputException;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.JSON;
import org.jooq.JSONB;
import org.jooq.Param;

/**
 * Refuses text that PostgreSQL cannot store as sent: a Java string with an unpaired UTF-16
 * surrogate has no UTF-8 form, and pgjdbc would silently send {@code '?'} in its place, so the value
 * read back would differ from the value written. Checks the SQL text and every text bind value
 * ({@code String}, {@code JSON}, {@code JSONB} and arrays of them) before a statement is sent, and
 * throws {@link InvalidInputException} naming the position.
 *
 * <p>NUL characters need no check here: PostgreSQL rejects them itself (SQLSTATE 22021), which
 * {@link ErrorTranslator} turns into {@link InvalidInputException}. Statements run on a raw JDBC
 * connection taken from jOOQ bypass this listener.
 */
public final class TextGuard implements ExecuteListener {
    private static final long serialVersionUID = 1L;

    @Override
    public void prepareStart(ExecuteContext context) {
        String sql = context.sql();
        if (sql != null) {
            check(sql, "the SQL text");
        }
    }

    @Override
    public void bindStart(ExecuteContext context) {
        Param<?>[] params = context.params();
        if (params == null) {
            return;
        }
        for (int i = 0; i < params.length; i++) {
            checkValue(params[i] == null ? null : params[i].getValue(), i + 1);
        }
    }

    private static void checkValue(Object value, int position) {
        switch (value) {
            case null -> {
            }
            case String text -> check(text, "bind value " + position);
            case JSON json -> check(json.data(), "bind value " + position);
            case JSONB jsonb -> check(jsonb.data(), "bind value " + position);
            case Object[] array -> {
                for (Object element : array) {
                    checkValue(element, position);
                }
            }
            default -> {
            }
        }
    }

    /**
     * Throws if the text holds an unpaired UTF-16 surrogate.
     *
     * @param text the text, or {@code null}
     * @param where names the text in the message
     * @throws InvalidInputException naming the position of the first unpaired surrogate
     */
    static void check(String text, String where) {
        int index = firstUnpairedSurrogate(text);
        if (index >= 0) {
            throw new InvalidInputException("Invalid text in " + where + ": an unpaired UTF-16 surrogate (U+"
                    + Integer.toHexString(text.charAt(index)).toUpperCase(java.util.Locale.ROOT) + ") at index " + index
                    + " has no UTF-8 form, so PostgreSQL cannot store it; nothing was sent");
        }
    }

    /**
     * The index of the first unpaired surrogate.
     *
     * @param text the text, or {@code null}
     * @return the index, or -1 if every surrogate is paired
     */
    static int firstUnpairedSurrogate(String text) {
        if (text == null) {
            return -1;
        }
        for (int i = 0, length = text.length(); i < length; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
