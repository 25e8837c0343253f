package io.taskbound.job;

import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The job a thread runs, in SLF4J's mapped diagnostic context while it runs, so that the
 * application's own log lines say which job wrote them ({@code %X{taskbound.job.id}} in a Logback
 * pattern; a JSON encoder writes every key). Set on the thread that calls the job's method, in the
 * application's JVM and in a worker JVM, and around each {@code JobContext} line written to SLF4J.
 */
public final class JobMdc {

    public static final String ID = "taskbound.job.id";
    public static final String NAME = "taskbound.job.name";
    public static final String ATTEMPT = "taskbound.job.attempt";
    public static final String LANE = "taskbound.lane";

    private JobMdc() {}

    /**
     * Puts the job's keys in this thread's context until the scope is closed, which restores what
     * the thread had under them before (nothing, on a pool thread between jobs).
     */
    public static Scope open(UUID id, String name, int attempt, String lane) {
        return new Scope(
                replace(ID, id.toString()),
                replace(NAME, name),
                replace(ATTEMPT, Integer.toString(attempt)),
                replace(LANE, lane));
    }

    /** Whether this thread's context holds job {@code id} already. */
    public static boolean holds(UUID id) {
        return id.toString().equals(MDC.get(ID));
    }

    private static @Nullable String replace(String key, String value) {
        String before = MDC.get(key);
        MDC.put(key, value);
        return before;
    }

    /** The job's keys in the context; closing it puts back what was there. */
    public record Scope(
            @Nullable String id,
            @Nullable String name,
            @Nullable String attempt,
            @Nullable String lane) implements AutoCloseable {

        @Override
        public void close() {
            restore(ID, id);
            restore(NAME, name);
            restore(ATTEMPT, attempt);
            restore(LANE, lane);
        }

        private static void restore(String key, @Nullable String value) {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        }
    }
}
