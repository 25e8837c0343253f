package io.taskbound;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A node of the cluster, as its heartbeat last recorded it.
 *
 * @param heartbeatAge how long ago its last heartbeat was, by the database's clock
 */
public record NodeInfo(UUID id, String name, Instant startedAt, Duration heartbeatAge) {}
