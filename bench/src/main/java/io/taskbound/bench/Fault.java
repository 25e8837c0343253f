package io.taskbound.bench;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The cases of the faults scenario: what the orchestrator breaks while one contender's worker JVMs
 * run jobs on one database. {@code nodes} worker JVMs run; the kill cases {@code kill -9} the last
 * {@code killed} of them, the restart case stops and starts the PostgreSQL server.
 */
public enum Fault {
    KILL_ONE_OF_TWO("kill-1-of-2", 2, 1),
    KILL_TWO_OF_THREE("kill-2-of-3", 3, 2),
    PG_RESTART("pg-restart", 2, 0);

    private final String id;
    private final int nodes;
    private final int killed;

    Fault(String id, int nodes, int killed) {
        this.id = id;
        this.nodes = nodes;
        this.killed = killed;
    }

    /** The case's name in the report, such as {@code kill-2-of-3}. */
    public String id() {
        return id;
    }

    /** Worker JVMs of the contender that run the case together. */
    public int nodes() {
        return nodes;
    }

    /** Worker JVMs killed with SIGKILL; 0 for the restart. */
    public int killed() {
        return killed;
    }

    public boolean kill() {
        return killed > 0;
    }

    /** The nodes killed: the last ones, so that node 0 always survives. */
    public List<Integer> victims() {
        return IntStream.range(nodes - killed, nodes).boxed().toList();
    }
}
