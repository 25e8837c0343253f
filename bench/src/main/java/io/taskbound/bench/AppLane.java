package io.taskbound.bench;

import java.util.List;

/**
 * Where the application of the memory and gc-isolation scenarios runs its memory-bound jobs, for a
 * contender that has lanes (Taskbound): its {@code memory} lane on the {@code process} executor
 * (worker JVMs, with {@code workerJvmOptions}) or on the {@code platform} executor, inside the
 * application; on worker JVMs, started with the lane ({@code eagerStart}) or at its first job (the
 * default). Contenders without lanes ignore it: their jobs all run inside the application.
 */
public record AppLane(String executor, boolean eagerStart, List<String> workerJvmOptions) {

    public static final String PROCESS = "process";

    public static final String PLATFORM = "platform";

    /** The worker heap of the memory lane when it runs on worker JVMs: the scenario's budget. */
    public static final String WORKER_HEAP = "256m";

    public AppLane {
        workerJvmOptions = List.copyOf(workerJvmOptions);
    }

    public boolean process() {
        return executor.equals(PROCESS);
    }
}
