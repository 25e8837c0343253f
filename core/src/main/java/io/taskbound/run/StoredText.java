package io.taskbound.run;

import org.jspecify.annotations.Nullable;

/** Text bound for PostgreSQL, which cannot store the NUL character in text or jsonb. */
final class StoredText {

    private StoredText() {}

    /** {@code text} with each NUL replaced by U+FFFD, the replacement character. */
    static @Nullable String clean(@Nullable String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }

    /** Whether JSON text holds an escaped NUL, which jsonb rejects. */
    static boolean holdsNul(@Nullable String json) {
        return json != null && json.contains("\\u0000");
    }
}
