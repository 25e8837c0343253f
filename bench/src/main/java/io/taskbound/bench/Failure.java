package io.taskbound.bench;

/** A scenario that a contender did not finish: it failed, or overran the run's time cap. */
public record Failure(String scenario, String contender, String reason) {

    static final String PREFIX = "FAILED ";
}
