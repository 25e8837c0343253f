package io.taskbound.process;

import io.taskbound.Bound;
import io.taskbound.JobContext;
import io.taskbound.JobError;
import io.taskbound.job.ArgumentCodec;
import io.taskbound.job.ArgumentDecodingException;
import io.taskbound.job.JobDefinition;
import io.taskbound.job.JobMdc;
import io.taskbound.job.UnrunnableJobException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * The jobs a worker JVM calls: each job's object asked of the worker's {@link WorkerBeans} once and
 * kept, like a singleton bean, its arguments decoded and its result encoded by an {@link
 * ArgumentCodec} on the application's mapper, as the engine does in its own JVM, and each call
 * measured.
 */
final class WorkerCalls {

    /** Sends a frame to the lane; a job's log lines and progress leave while it runs. */
    interface Frames {
        void send(WorkerProtocol.Message message) throws java.io.IOException;
    }

    private final ArgumentCodec codec;
    private final WorkerBeans beans;
    private final Map<Class<?>, Object> made = new ConcurrentHashMap<>();
    // A worker runs the same few jobs over and over: each is looked up once, by what names it.
    private final Map<Callee, JobDefinition> defined = new ConcurrentHashMap<>();
    private final Frames frames;

    WorkerCalls(Frames frames, WorkerBeans beans) {
        this.frames = frames;
        this.beans = beans;
        // The engine's default mapper unless the worker booted the application's own.
        this.codec = new ArgumentCodec(
                beans.mapper().orElseGet(() -> JsonMapper.builder().build()));
    }

    /** Runs {@code run} on this thread and says how it ended; never throws for the job's sake. */
    WorkerProtocol.Message call(WorkerProtocol.Run run) {
        Meter meter = new Meter();
        JobDefinition definition;
        Object[] arguments;
        try {
            definition = defined(run);
            arguments = codec.decodeArguments(definition, run.argumentsJson());
        } catch (Throwable e) {
            // A class or method this JVM cannot find, a constructor that fails, or arguments that do
            // not fit: the job cannot be called here, now or later. A constructor that threw may not.
            boolean retryable = !(e instanceof ArgumentDecodingException
                    || e instanceof ClassNotFoundException
                    || e instanceof NoSuchMethodException);
            return failed(e, retryable, meter);
        }
        Object returned;
        // The job in the MDC, as on the application's threads: the worker's own log lines say so.
        try (JobMdc.Scope scope = JobMdc.open(run.jobId(), run.jobName(), run.attempt(), run.lane())) {
            returned = definition.invoke(arguments, new Context(run, frames));
        } catch (Throwable e) {
            return failed(e, !(e instanceof UnrunnableJobException), meter);
        }
        WorkerProtocol.Measured measured = meter.stop();
        try {
            return new WorkerProtocol.Result(codec.encodeResult(definition, returned), measured);
        } catch (RuntimeException e) {
            String message = "Result of job \"" + run.jobName() + "\" ("
                    + definition.resultType().getTypeName() + ") cannot be written as JSON: " + e.getMessage()
                    + "; return a plain data object (a record or DTO) instead";
            return new WorkerProtocol.Failed(
                    "io.taskbound.process.UnstorableResult",
                    message,
                    JobError.of(e).stackTrace(),
                    false,
                    measured);
        }
    }

    private static WorkerProtocol.Failed failed(Throwable error, boolean retryable, Meter meter) {
        JobError described = JobError.of(error, retryable);
        return new WorkerProtocol.Failed(
                described.type(), described.message(), described.stackTrace(), retryable, meter.stop());
    }

    /** What a run names to call: the key of the definitions a worker has looked up. */
    private record Callee(String jobName, String lane, String beanClass, String method, List<String> parameterTypes) {
        Callee(WorkerProtocol.Run run) {
            this(run.jobName(), run.lane(), run.beanClass(), run.method(), run.parameterTypes());
        }
    }

    private JobDefinition defined(WorkerProtocol.Run run) throws Exception {
        Callee callee = new Callee(run);
        JobDefinition definition = defined.get(callee);
        if (definition == null) {
            // One thread calls jobs; a definition made twice by a race would be the same anyway.
            definition = define(run);
            defined.put(callee, definition);
        }
        return definition;
    }

    private JobDefinition define(WorkerProtocol.Run run) throws Exception {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Class<?> beanClass = Class.forName(run.beanClass(), true, loader);
        Class<?>[] types = new Class<?>[run.parameterTypes().size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = type(run.parameterTypes().get(i), loader);
        }
        Method method = beanClass.getMethod(run.method(), types);
        method.setAccessible(true);
        Object bean = made.get(beanClass);
        if (bean == null) {
            bean = beans.bean(beanClass);
            made.put(beanClass, bean);
        }
        Parameter[] declared = method.getParameters();
        boolean takesContext = declared.length > 0 && JobContext.class.equals(declared[declared.length - 1].getType());
        List<JobDefinition.Parameter> parameters = new ArrayList<>();
        for (int i = 0; i < declared.length - (takesContext ? 1 : 0); i++) {
            parameters.add(new JobDefinition.Parameter(declared[i].getName(), declared[i].getParameterizedType()));
        }
        // Only the name, the method and its parameters matter to the codec and the call; where the
        // job runs and how often it may was the application's business.
        return new JobDefinition(
                run.jobName(),
                bean,
                method,
                Bound.MEMORY,
                run.lane(),
                0,
                null,
                0,
                List.copyOf(parameters),
                takesContext);
    }

    private static Class<?> type(String name, ClassLoader loader) throws ClassNotFoundException {
        return switch (name) {
            case "boolean" -> boolean.class;
            case "byte" -> byte.class;
            case "char" -> char.class;
            case "short" -> short.class;
            case "int" -> int.class;
            case "long" -> long.class;
            case "float" -> float.class;
            case "double" -> double.class;
            default -> Class.forName(name, false, loader);
        };
    }

    /**
     * Wall and CPU time and allocation of the calling thread, and the heap's peak, from its creation
     * to {@link #stop}. The job runs on the worker's main thread alone, so its thread's counters are
     * the job's (threads the job starts are not counted, but the peak heap sees what they hold).
     */
    private static final class Meter {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
        private static final long RECYCLE_ABOVE_HEAP = Long.getLong(Worker.RECYCLE_ABOVE_HEAP_PROPERTY, -1);
        private final long startNanos = System.nanoTime();
        private final long startCpu = THREADS.getCurrentThreadCpuTime();
        private final long startAllocated = allocated();

        Meter() {
            heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
        }

        WorkerProtocol.Measured stop() {
            long cpu = THREADS.getCurrentThreadCpuTime();
            long allocated = allocated();
            long peak = 0;
            for (MemoryPoolMXBean pool : heapPools()) {
                peak += pool.getPeakUsage().getUsed();
            }
            long wall = System.nanoTime() - startNanos;
            return new WorkerProtocol.Measured(
                    wall,
                    startCpu < 0 || cpu < 0 ? -1 : cpu - startCpu,
                    startAllocated < 0 || allocated < 0 ? -1 : allocated - startAllocated,
                    peak,
                    heapUsed());
        }

        /**
         * The heap in use after the run, which the lane compares with its recycling threshold. Read
         * as it is, it counts the garbage the next collection frees, and a worker would be recycled
         * for a job that merely churned; a collection after every job to read only what stays
         * reachable would cost every job a full GC. So the heap is collected only when the plain
         * reading is above the threshold, and read again: jobs under it pay nothing, and one over it
         * pays one collection, a fraction of a worker's start. (With -XX:+DisableExplicitGC the
         * collection does nothing, and the worker is recycled on the plain reading.)
         */
        private static long heapUsed() {
            long used = MEMORY.getHeapMemoryUsage().getUsed();
            if (RECYCLE_ABOVE_HEAP >= 0 && used > RECYCLE_ABOVE_HEAP) {
                System.gc();
                used = MEMORY.getHeapMemoryUsage().getUsed();
            }
            return used;
        }

        private static long allocated() {
            return THREADS instanceof com.sun.management.ThreadMXBean counters
                            && counters.isThreadAllocatedMemorySupported()
                            && counters.isThreadAllocatedMemoryEnabled()
                    ? counters.getCurrentThreadAllocatedBytes()
                    : -1;
        }

        // The heap pools of the JVM's collector: fixed for the JVM's life.
        private static final List<MemoryPoolMXBean> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .toList();

        private static List<MemoryPoolMXBean> heapPools() {
            return HEAP_POOLS;
        }
    }

    /**
     * The job's context in the worker: log lines and progress go to the lane as frames. A timeout or
     * cancellation ends the whole worker, so the job is never asked to stop here.
     */
    private record Context(WorkerProtocol.Run run, Frames frames) implements JobContext {

        @Override
        public UUID jobId() {
            return run.jobId();
        }

        @Override
        public String jobName() {
            return run.jobName();
        }

        @Override
        public Optional<Instant> fireTime() {
            return Optional.ofNullable(run.fireTime());
        }

        @Override
        public int attempt() {
            return run.attempt();
        }

        @Override
        public void log(String message) {
            send(new WorkerProtocol.Log(message));
        }

        @Override
        public void progress(int percent) {
            send(new WorkerProtocol.Progress(percent));
        }

        @Override
        public boolean isCancellationRequested() {
            return false;
        }

        private void send(WorkerProtocol.Message message) {
            try {
                frames.send(message);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("The worker's lane is gone", e);
            }
        }
    }
}
