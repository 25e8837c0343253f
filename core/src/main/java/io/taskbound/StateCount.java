package io.taskbound;

/**
 * How many jobs are in one state: counted exactly up to a threshold, above it estimated from
 * PostgreSQL's statistics, so that a count never scans millions of rows.
 *
 * @param exact whether {@code count} was counted, or else estimated
 */
public record StateCount(long count, boolean exact) {}
