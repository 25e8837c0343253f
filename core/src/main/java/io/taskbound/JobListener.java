package io.taskbound;

/**
 * Told about each job's state changes on this node: enqueued, started, succeeded, failed (will
 * retry), dead, cancelled. In Spring, every bean of this type is registered with the engine.
 *
 * <p>What a listener can count on:
 * <ul>
 *   <li><b>After commit only.</b> An event is delivered once the change it reports is committed; an
 *       enqueue whose transaction rolls back, or an outcome not written yet, tells nothing.
 *   <li><b>In order per job, per node.</b> The events of one job that this node emits arrive in the
 *       order they happened (enqueued, started, failed, started, succeeded). Each node tells its own
 *       listeners what happened on it: a job enqueued on one node and run on another is reported
 *       enqueued on the first and started on the second.
 *   <li><b>Off the hot path.</b> Events are delivered on one Taskbound thread ({@code
 *       taskbound-events}) per node, one at a time, in the order they were emitted, never on the
 *       thread that enqueued or ran the job.
 *   <li><b>A slow listener loses events rather than slowing jobs.</b> Events wait in a bounded
 *       queue; while it is full, new events are dropped, counted, and warned about every few
 *       seconds. Jobs never wait for a listener. Delivery is best effort: events still queued when
 *       the node crashes are lost.
 *   <li><b>A listener that throws</b> has its exception logged; delivery goes on with the next
 *       listener and the next event.
 * </ul>
 *
 * <p>Events are emitted from when the engine starts until it stops. A listener that needs every
 * change, across nodes and crashes, reads the store instead ({@link Jobs#info}).
 */
@FunctionalInterface
public interface JobListener {

    /** Called on the {@code taskbound-events} thread; keep it short, or hand the work on. */
    void onEvent(JobEvent event);
}
