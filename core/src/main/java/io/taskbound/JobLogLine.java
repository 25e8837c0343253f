package io.taskbound;

import java.time.Instant;

/** A line a job wrote through {@link JobContext#log}, with the attempt that wrote it. */
public record JobLogLine(long id, int attempt, Instant at, String message) {}
