package io.taskbound.bench;

import io.taskbound.Bound;
import io.taskbound.Job;

/**
 * The advisor scenario's deliberately wrong declarations: the same job names and bodies as
 * Taskbound's contender declares them ({@code TaskboundContender.BenchJobs}), each declared with a
 * bound that does not fit it. An application JVM of the scenario registers either these or the
 * contender's own jobs, never both, so that the advisor judges one declaration of each name.
 */
public class AdvisorJobs {

    /** Computes about 50 ms, declared as the default bound: on the io lane's virtual threads. */
    @Job(name = "bench.cpu", bound = Bound.IO)
    public void cpu(int index) throws InterruptedException {
        Probe.run(JobKind.CPU_50MS, index);
    }

    /** Waits 1 s, declared CPU: on the cpu lane's platform threads, as many as cores. */
    @Job(name = "bench.sleep", bound = Bound.CPU)
    public void sleep(int index) throws InterruptedException {
        Probe.run(JobKind.SLEEP_1S, index);
    }

    /** Holds 80 % of its JVM's heap for 5 s, declared IO: in the application, off the memory lane. */
    @Job(name = "bench.memory.hold", bound = Bound.IO)
    public void hold(int index) throws InterruptedException {
        Probe.run(JobKind.MEMORY_HOLD, index);
    }

    /** Allocates its argument in GB in 1 MB chunks, declared IO: in the application, off the memory lane. */
    @Job(name = "bench.memory.churn", bound = Bound.IO)
    public void churn(int gigabytes) throws InterruptedException {
        Probe.run(JobKind.MEMORY_CHURN, gigabytes);
    }
}
