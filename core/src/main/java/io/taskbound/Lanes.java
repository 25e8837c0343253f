package io.taskbound;

import java.util.Set;

/**
 * The lanes of the cluster. A paused lane starts no job on any node: claims stop as soon as the
 * pause commits (each claim reads it), jobs already running finish, new jobs queue up. It stays
 * paused, across restarts, until resumed. Reach it with {@link Jobs#lanes()}.
 */
public interface Lanes {

    /**
     * Pauses {@code lane} on every node. Pausing a paused lane changes nothing.
     *
     * @throws IllegalArgumentException if this node has no lane of that name, naming those it has
     */
    void pause(String lane);

    /** Lets {@code lane} run jobs again on every node, waking them at once. */
    void resume(String lane);

    /** The lanes paused now. */
    Set<String> paused();
}
