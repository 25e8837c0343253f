package io.taskbound.advice;

/**
 * What one lane of this node is doing at one look: what the {@link LaneWatch} is given by the
 * engine, which reads it off the lane's dispatcher.
 *
 * @param lane the lane's name
 * @param concurrency jobs it runs at once on this node
 * @param running jobs started here and not yet finished
 * @param held jobs this node claimed ahead and holds for a free slot
 * @param workWaiting whether work waits for a slot: jobs are held, or the lane's last claim took
 *     all it asked for, or it was woken for new work while full
 */
public record LaneLoad(String lane, int concurrency, int running, int held, boolean workWaiting) {

    /** Every slot runs a job and work waits for one. */
    boolean saturated() {
        return running >= concurrency && (held > 0 || workWaiting);
    }
}
