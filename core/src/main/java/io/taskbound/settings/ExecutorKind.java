package io.taskbound.settings;

import java.util.Optional;

/**
 * The executors built into Taskbound. A lane names one of these ({@code virtual}, {@code platform}
 * or {@code process}, in any case), or an executor registered by name.
 */
public enum ExecutorKind {
    /** A new virtual thread per job: cheap waiting, for I/O-bound work. */
    VIRTUAL,
    /** A fixed pool of named platform threads: one per core for CPU-bound work. */
    PLATFORM,
    /**
     * A pool of warm worker JVMs on the application's classpath, one job per worker at a time: for
     * memory-bound or crash-prone work, which then cannot take the application down with it.
     */
    PROCESS;

    /** The built-in executor called {@code name}, in any case; empty for any other name. */
    public static Optional<ExecutorKind> named(String name) {
        for (ExecutorKind kind : values()) {
            if (kind.name().equalsIgnoreCase(name)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
