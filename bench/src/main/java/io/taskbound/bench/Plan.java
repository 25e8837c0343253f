package io.taskbound.bench;

/**
 * A query plan a worker captured, as it prints it: the scenario, the contender, the call it belongs
 * to and the plans' text, written by the report to a file of its own.
 */
public record Plan(String scenario, String contender, String call, String text) {

    static final String PREFIX = "PLAN ";

    /** A line a worker wants shown in the bench's output as it runs. */
    static final String NOTE_PREFIX = "NOTE ";
}
