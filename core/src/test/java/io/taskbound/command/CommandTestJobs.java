package io.taskbound.command;

import io.taskbound.Job;

/**
 * A job of the application's own: a node runs its lanes, and so the built-in command job, only when
 * it has one (a node that only enqueues runs nothing).
 */
public class CommandTestJobs {

    @Job(name = "app.noop")
    public void noop() {}
}
