package io.taskbound.store;

import java.time.Instant;
import java.util.UUID;

/** A line of a job's own log. */
public record LogLine(UUID jobId, int attempt, Instant loggedAt, String message) {}
