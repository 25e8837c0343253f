package io.taskbound;

/** What a schedule does when a fire time comes while its previous job is still queued or running. */
public enum OverlapPolicy {
    /** Skip this fire time: at most one job of the schedule is queued or running. The default. */
    SKIP,
    /** Fire anyway: jobs of the schedule may run side by side. */
    ALLOW
}
