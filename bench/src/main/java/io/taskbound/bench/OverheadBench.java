package io.taskbound.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Bound;
import io.taskbound.JobEvent;
import io.taskbound.JobExecutor;
import io.taskbound.bench.api.ApiApplication;
import io.taskbound.bench.contender.TaskboundContender.BenchJobs;
import io.taskbound.engine.TaskboundEngine;
import io.taskbound.lane.PlatformThreadExecutor;
import io.taskbound.process.ProcessExecutor;
import io.taskbound.process.ProcessSettings;
import io.taskbound.registry.JobRegistry;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.store.StandalonePersistence;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The process-overhead scenario, in an application JVM of its own: how long a worker JVM takes to
 * start, with and without a class-data cache, and what running a job in a warm worker costs over
 * running it on a thread of the application.
 */
final class OverheadBench {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SCENARIO = Scenario.PROCESS_OVERHEAD.id();
    private static final String CONTENDER = "taskbound";
    private static final String LANE = Bound.MEMORY.defaultLane();
    private static final Duration TRAINING_EXIT = Duration.ofMinutes(2);

    private final boolean quick;
    private final String url;
    private final Path scratch;

    OverheadBench(boolean quick, String url) throws Exception {
        this.quick = quick;
        this.url = url;
        this.scratch = Files.createTempDirectory("taskbound-bench-overhead-");
    }

    void run() throws Exception {
        note(SETTINGS);
        int starts = quick ? 3 : 10;
        Boot plain = Boot.PLAIN;
        coldStartsOrNote("no-cache", plain, List.of(), null, starts);
        Path archive = scratch.resolve("worker.jsa");
        List<String> cds = List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive);
        coldStartsOrNote("cds", plain, cds, cds, starts);
        Path aot = scratch.resolve("worker.aot");
        coldStartsOrNote("aot", plain, List.of("-XX:AOTCache=" + aot), List.of("-XX:AOTCacheOutput=" + aot), starts);
        Boot spring = Boot.spring(url);
        int springStarts = quick ? 2 : 5;
        coldStartsOrNote("spring-no-cache", spring, List.of(), null, springStarts);
        Path springAot = scratch.resolve("spring-worker.aot");
        coldStartsOrNote(
                "spring-aot",
                spring,
                List.of("-XX:AOTCache=" + springAot),
                List.of("-XX:AOTCacheOutput=" + springAot),
                springStarts);
        // The client compiler alone: less for the JIT to do while the context starts, on few cores.
        Path springAotC1 = scratch.resolve("spring-worker-c1.aot");
        List<String> c1 = List.of("-XX:TieredStopAtLevel=1");
        coldStartsOrNote(
                "spring-aot-c1",
                spring,
                concat(c1, List.of("-XX:AOTCache=" + springAotC1)),
                concat(c1, List.of("-XX:AOTCacheOutput=" + springAotC1)),
                springStarts);
        int jobs = Scenario.PROCESS_OVERHEAD.size(quick);
        int warmUp = quick ? 5 : 20;
        double[][] process =
                roundTrips(registry -> new ProcessExecutor(LANE, workerSettings(), registry), warmUp, jobs);
        double[][] platform = roundTrips(registry -> new PlatformThreadExecutor(LANE, 1, 30), warmUp, jobs);
        emitRoundTrips("process", process);
        emitRoundTrips("platform", platform);
        emit("overhead", "overhead_p50_ms", Worker.percentile(process[0], 50) - Worker.percentile(platform[0], 50));
        emit("overhead", "overhead_p99_ms", Worker.percentile(process[0], 99) - Worker.percentile(platform[0], 99));
    }

    /** One warm worker of the scenario's budget, started with the lane, the defaults otherwise. */
    private static ProcessSettings workerSettings() {
        return ProcessSettings.defaults(1).withHeap(AppLane.WORKER_HEAP).withEagerStart(true);
    }

    /**
     * {@link #coldStarts} of one case, or a note saying why the case was not measured (a JVM older
     * than 25 refuses the AOT options; a worker that does not start): the other cases go on.
     */
    private void coldStartsOrNote(String name, Boot boot, List<String> options, List<String> training, int times) {
        try {
            coldStarts(name, boot, options, training, times);
        } catch (Exception e) {
            note(name + ": not measured: " + e.getMessage() + " (see the workers' stderr in " + scratch + ")");
        }
    }

    /**
     * Starts a worker {@code times} times with {@code options} and times each from the process's start
     * to the first byte of its READY frame (the first thing it writes to stdout); with {@code
     * training}, one start with those options first, to its exit, which writes the cache.
     */
    private void coldStarts(String name, Boot boot, List<String> options, List<String> training, int times)
            throws Exception {
        if (training != null) {
            Process trained = start(command(training), boot, name + "-training");
            awaitReady(trained);
            trained.getOutputStream().close();
            if (!trained.waitFor(TRAINING_EXIT.toSeconds(), TimeUnit.SECONDS)) {
                trained.destroyForcibly();
                throw new IllegalStateException(name + ": the training start did not exit within " + TRAINING_EXIT);
            }
        }
        List<String> command = command(options);
        double[] millis = new double[times];
        for (int i = 0; i < times; i++) {
            long began = System.nanoTime();
            Process worker = start(command, boot, name + "-" + i);
            awaitReady(worker);
            millis[i] = (System.nanoTime() - began) / 1e6;
            // End of stdin: the worker exits, as it does when its application goes away.
            worker.getOutputStream().close();
            if (!worker.waitFor(30, TimeUnit.SECONDS)) {
                worker.destroyForcibly();
            }
        }
        emit(name, "start_p50_ms", Worker.percentile(millis, 50));
        emit(name, "start_p99_ms", Worker.percentile(millis, 99));
        // A cache the JVM cannot use is not fatal: it says so on stderr and starts without.
        List<String> said = Files.readAllLines(scratch.resolve(name + "-0.err")).stream()
                .limit(3)
                .toList();
        note(name + " cold starts (ms): " + java.util.Arrays.toString(millis) + "; command: "
                + String.join(" ", command) + "; the first start's stderr: "
                + (said.isEmpty() ? "empty" : String.join(" | ", said)));
    }

    /** The command the process executor starts a worker with, {@code options} as the lane's JVM options. */
    @SuppressWarnings("unchecked")
    private static List<String> command(List<String> options) throws Exception {
        Class<?> worker = Class.forName("io.taskbound.process.WorkerCommand");
        Method command = worker.getDeclaredMethod("command", String.class, ProcessSettings.class);
        command.setAccessible(true);
        ProcessSettings settings =
                ProcessSettings.defaults(1).withHeap(AppLane.WORKER_HEAP).withJvmOptions(options);
        return (List<String>) command.invoke(null, LANE, settings);
    }

    private Process start(List<String> command, Boot boot, String name) throws Exception {
        Process worker = new ProcessBuilder(command)
                .redirectError(scratch.resolve(name + ".err").toFile())
                .start();
        DataOutputStream frames = new DataOutputStream(worker.getOutputStream());
        boot.writeStart(frames);
        frames.flush();
        return worker;
    }

    /**
     * What a worker is told to boot by the lane's first frame (see the README's protocol), START:
     * nothing, so that it makes job objects with their no-arg constructors and says READY at once;
     * or, as the starter's lane tells it, the bench's Spring Boot application ({@link
     * ApiApplication}: the starter, JPA, a web server the worker does not start) on the bench's
     * database, booted lazily with no web server.
     */
    private record Boot(@Nullable String beans, Map<String, String> settings) {

        static final Boot PLAIN = new Boot(null, Map.of());

        static Boot spring(String url) {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("application", ApiApplication.class.getName());
            settings.put("profiles", "");
            settings.put("property.spring.datasource.url", url);
            settings.put("property.spring.datasource.username", "postgres");
            settings.put("property.spring.main.banner-mode", "off");
            return new Boot("io.taskbound.autoconfigure.SpringWorkerBeans", settings);
        }

        // The frame's fields: strings as a 4-byte length (-1 for none) and UTF-8, a count of settings.
        void writeStart(DataOutputStream frames) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream fields = new DataOutputStream(bytes);
            string(fields, beans);
            fields.writeInt(settings.size());
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                string(fields, setting.getKey());
                string(fields, setting.getValue());
            }
            frames.writeInt(bytes.size());
            frames.writeByte('B');
            bytes.writeTo(frames);
        }

        private static void string(DataOutputStream fields, @Nullable String value) throws IOException {
            if (value == null) {
                fields.writeInt(-1);
                return;
            }
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            fields.writeInt(utf8.length);
            fields.write(utf8);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> both = new java.util.ArrayList<>(first);
        both.addAll(second);
        return List.copyOf(both);
    }

    private static void awaitReady(Process worker) throws Exception {
        InputStream frames = worker.getInputStream();
        if (frames.read() < 0) {
            worker.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("A worker exited before it was ready (exit " + worker.exitValue() + ")");
        }
    }

    /**
     * Runs {@code warmUp} and then {@code jobs} no-op jobs on the memory lane, one at a time, on an
     * engine whose memory lane is the executor {@code executor} makes (from the engine's registry,
     * where a process executor looks its jobs up) wrapped in a {@link TimedExecutor}; returns the
     * measured jobs' run times and their enqueue-to-SUCCEEDED latencies, in ms.
     */
    private double[][] roundTrips(Function<JobRegistry, JobExecutor> executor, int warmUp, int jobs) throws Exception {
        Map<UUID, CompletableFuture<Long>> succeeded = new ConcurrentHashMap<>();
        try (HikariDataSource dataSource = pool(url);
                StandalonePersistence persistence = StandalonePersistence.open(dataSource)) {
            TaskboundSettings defaults = TaskboundSettings.defaults();
            LaneSettings memory = defaults.lane(LANE);
            TaskboundSettings settings = defaults.withLane(
                    LANE,
                    new LaneSettings(
                            "timed",
                            memory.concurrency(),
                            memory.priority(),
                            memory.batchSize(),
                            memory.timeout(),
                            memory.maxAttempts(),
                            memory.initialBackoff(),
                            memory.maxBackoff()));
            JobRegistry registry = new JobRegistry(settings);
            registry.register(new BenchJobs(), BenchJobs.class);
            TimedExecutor timed = new TimedExecutor(executor.apply(registry));
            TaskboundEngine engine = TaskboundEngine.builder()
                    .registry(registry)
                    .dataSource(dataSource)
                    .entityManagerFactory(persistence.entityManagerFactory())
                    .transactionManager(persistence.transactionManager())
                    .executor("timed", timed)
                    .listener(event -> {
                        if (event.kind() == JobEvent.Kind.SUCCEEDED) {
                            succeeded
                                    .computeIfAbsent(event.jobId(), id -> new CompletableFuture<>())
                                    .complete(System.nanoTime());
                        }
                    })
                    .build();
            engine.start();
            try {
                one(engine, succeeded, warmUp, 0);
                timed.reset();
                double[] latencies = one(engine, succeeded, jobs, warmUp);
                return new double[][] {timed.millis(), latencies};
            } finally {
                engine.stop();
            }
        }
    }

    private static double[] one(
            TaskboundEngine engine, Map<UUID, CompletableFuture<Long>> succeeded, int jobs, int firstIndex)
            throws Exception {
        double[] latencies = new double[jobs];
        Function<UUID, CompletableFuture<Long>> future =
                id -> succeeded.computeIfAbsent(id, x -> new CompletableFuture<>());
        for (int i = 0; i < jobs; i++) {
            long began = System.nanoTime();
            UUID id =
                    engine.jobs().enqueue(BenchJobs::memoryNoop, firstIndex + i).id();
            long done = future.apply(id).get(30, TimeUnit.SECONDS);
            latencies[i] = (done - began) / 1e6;
        }
        return latencies;
    }

    private void emitRoundTrips(String name, double[][] measured) {
        emit(name, "run_p50_ms", Worker.percentile(measured[0], 50));
        emit(name, "run_p99_ms", Worker.percentile(measured[0], 99));
        emit(name, "latency_p50_ms", Worker.percentile(measured[1], 50));
        emit(name, "latency_p99_ms", Worker.percentile(measured[1], 99));
    }

    private static void emit(String name, String metric, double value) {
        Result result = new Result(SCENARIO, CONTENDER, metric, value, null, name, SETTINGS);
        System.out.println(Result.PREFIX + JSON.writeValueAsString(result));
        System.out.flush();
    }

    private static void note(String text) {
        System.out.println(Plan.PREFIX + JSON.writeValueAsString(new Plan(SCENARIO, CONTENDER, "note", text)));
        System.out.flush();
    }

    private static final String SETTINGS =
            "Taskbound's process executor as it is: io.taskbound.process.WorkerCommand.command"
                    + " for the cold starts (worker heap -Xmx" + AppLane.WORKER_HEAP
                    + ", the lane's JVM options the case's);"
                    + " for the round trips an engine with the defaults whose memory lane names an executor registered with"
                    + " TaskboundEngine.Builder.executor: a ProcessExecutor (1 worker, eager start) or a PlatformThreadExecutor"
                    + " (1 thread), each wrapped to time runs";

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(20);
        config.setPoolName("overhead");
        return new HikariDataSource(config);
    }
}
