package io.taskbound.run;

import io.taskbound.figures.JobLoad;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The jobs running on this node now, so that a cancellation can reach the thread that runs one. */
public final class RunningJobs {

    private final Map<UUID, DefaultJobContext> runs = new ConcurrentHashMap<>();

    void add(UUID jobId, DefaultJobContext run) {
        runs.put(jobId, run);
    }

    /** Forgets a run; a later run of the same job (re-claimed after recovery) keeps its own entry. */
    void remove(UUID jobId, DefaultJobContext run) {
        runs.remove(jobId, run);
    }

    /**
     * Asks a running job to stop: its context reports the request, and its thread is interrupted so
     * that a job blocked in a wait wakes up. Returns whether the job runs on this node.
     */
    public boolean requestCancellation(UUID jobId) {
        DefaultJobContext run = runs.get(jobId);
        if (run == null) {
            return false;
        }
        run.requestCancellation();
        return true;
    }

    public void requestCancellation(Collection<UUID> jobIds) {
        jobIds.forEach(this::requestCancellation);
    }

    /** Forgets every run, when the engine stops. */
    public void clear() {
        runs.clear();
    }

    /** The ids of the jobs this node holds: running, or claimed and waiting for a thread. */
    public java.util.Set<UUID> ids() {
        return java.util.Set.copyOf(runs.keySet());
    }

    /** Each job this node holds: its lane, its name, and whether it has started or waits for a slot. */
    public List<JobLoad> loads() {
        List<JobLoad> loads = new ArrayList<>(runs.size());
        runs.values()
                .forEach(
                        run -> loads.add(new JobLoad(run.job().lane(), run.job().name(), run.started())));
        return loads;
    }

    public int size() {
        return runs.size();
    }
}
