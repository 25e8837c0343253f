package io.taskbound.lane;

import io.taskbound.JobExecutor;
import io.taskbound.job.JobCatalog;
import io.taskbound.process.ProcessExecutor;
import io.taskbound.process.ProcessSettings;
import io.taskbound.process.WorkerBoot;
import io.taskbound.settings.ExecutorKind;
import io.taskbound.settings.LaneSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The executors a node may give its lanes: the built-in {@code virtual}, {@code platform} and {@code
 * process}, made anew for each lane at each start (their threads and workers carry the lane's
 * name), and the ones registered by name, shared by every lane that names them.
 */
public final class LaneExecutors {

    private final Map<String, JobExecutor> registered;
    private final JobCatalog jobs;
    private final BiFunction<String, ProcessSettings, ProcessSettings> processSettings;
    private final WorkerBoot workerBoot;

    /**
     * @param jobs the registered jobs, which a process lane's workers look up by name
     * @param processSettings the worker JVMs of a lane on the {@code process} executor, from the
     *     lane's name and the defaults for its concurrency
     * @param workerBoot how those workers make their jobs' objects
     */
    public LaneExecutors(
            Map<String, JobExecutor> registered,
            JobCatalog jobs,
            BiFunction<String, ProcessSettings, ProcessSettings> processSettings,
            WorkerBoot workerBoot) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.processSettings = Objects.requireNonNull(processSettings, "processSettings");
        this.workerBoot = Objects.requireNonNull(workerBoot, "workerBoot");
        registered.forEach((name, executor) -> {
            Objects.requireNonNull(executor, name);
            if (ExecutorKind.named(name).isPresent()) {
                throw new IllegalArgumentException("Executor name \"" + name
                        + "\" is taken by a built-in executor; register yours under another name");
            }
        });
        this.registered = Map.copyOf(registered);
    }

    /** Fails, naming the lane, the executor and the ones available, unless every lane's executor exists. */
    public void check(Map<String, LaneSettings> lanes) {
        lanes.forEach((lane, settings) -> {
            if (settings.executorKind().isEmpty() && !registered.containsKey(settings.executor())) {
                throw new IllegalStateException("Lane \"" + lane + "\" names executor \"" + settings.executor()
                        + "\", which is not registered on this node (available: " + available()
                        + "); register a JobExecutor under that name, or set taskbound.lanes." + lane
                        + ".executor to one of these");
            }
        });
    }

    /** The executor of {@code lane}: a new one for a built-in kind, else the one registered. */
    public JobExecutor forLane(String lane, LaneSettings settings) {
        return settings.executorKind()
                .<JobExecutor>map(kind -> switch (kind) {
                    case VIRTUAL -> new VirtualThreadExecutor(lane);
                    case PLATFORM -> new PlatformThreadExecutor(lane, settings.concurrency(), settings.priority());
                    case PROCESS ->
                        new ProcessExecutor(
                                lane,
                                processSettings.apply(lane, ProcessSettings.defaults(settings.concurrency())),
                                jobs,
                                workerBoot);
                })
                .orElseGet(() -> {
                    check(Map.of(lane, settings));
                    return registered.get(settings.executor());
                });
    }

    private String available() {
        List<String> names = new ArrayList<>(List.of("virtual", "platform", "process"));
        names.addAll(new TreeSet<>(registered.keySet()));
        return String.join(", ", names);
    }
}
