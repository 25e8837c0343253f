package io.taskbound.settings;

/** How a lane runs its jobs. */
public enum ExecutorKind {
    /** A new virtual thread per job: cheap waiting, for I/O-bound work. */
    VIRTUAL,
    /** A fixed pool of named platform threads: one per core for CPU-bound work. */
    PLATFORM
}
