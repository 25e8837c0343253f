package io.taskbound.event;

/**
 * Job events on one node since the engine started.
 *
 * @param queued events waiting for the listeners now
 * @param delivered events handed to every listener (a listener that threw counts as handed)
 * @param dropped events lost because the queue was full (listeners too slow), or still queued when
 *     the engine stopped
 * @param listenerFailures calls of a listener that threw
 */
public record EventStats(int queued, long delivered, long dropped, long listenerFailures) {

    /** The figures of a node with no listener. */
    public static final EventStats NONE = new EventStats(0, 0, 0, 0);
}
