package io.taskbound.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * One case of the faults scenario for one contender, run by the orchestrator: it creates the
 * database and the contender's schema, starts the case's worker JVMs, enqueues through a client of
 * the contender in its own JVM that runs no jobs (so that no node is favoured by its own enqueues),
 * breaks things, and counts the jobs' effects with plain JDBC.
 */
final class FaultRun {

    /** The client enqueues one job at a time at this rate, as request handlers would. */
    static final int ENQUEUES_PER_SECOND = 20;

    /** Worker JVMs of one case start at once on two cores; three have taken 40 s on a busy machine. */
    private static final Duration START_UP = Duration.ofMinutes(2);

    /** Kill cases: how long after the stream the orchestrator waits for every node to be killed to run a job. */
    private static final Duration BUSY_WAIT = Duration.ofSeconds(30);

    /** Starts a worker JVM with its output going to {@code log}. */
    interface Spawner {
        Process spawn(String contender, List<String> workerArgs, Path log) throws IOException;
    }

    /** The case's figures, and why it failed if it did (its worker JVMs or its recovery), or null. */
    record Outcome(List<Result> results, @Nullable String failure) {}

    private final BenchServer server;
    private final boolean quick;
    private final Spawner spawner;
    private final Path logs;

    FaultRun(BenchServer server, boolean quick, Spawner spawner) throws IOException {
        this.server = server;
        this.quick = quick;
        this.spawner = spawner;
        this.logs = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "taskbound-bench-faults"));
    }

    /** How long after the fault every job must have had its effect and be stored as finished. */
    Duration deadline() {
        return Duration.ofSeconds(quick ? 60 : 120);
    }

    /** Seconds of enqueueing before the restart, and again after it. */
    private int restartStreamSeconds() {
        return quick ? 5 : 10;
    }

    Outcome run(String contenderName, Fault fault) throws Exception {
        String url = server.createDatabase();
        List<Process> workers = new ArrayList<>();
        Contender client = Contenders.create(contenderName);
        try (HikariDataSource dataSource = pool(url)) {
            try {
                FaultProbe.createTables(dataSource);
                // Creates the schema; never started, so it only enqueues.
                client.prepareFaults(dataSource);
                for (int node = 0; node < fault.nodes(); node++) {
                    List<String> args = List.of(
                            contenderName,
                            String.valueOf(quick),
                            String.valueOf(node),
                            String.valueOf(fault.nodes()),
                            Scenario.FAULTS.id() + "=" + url);
                    workers.add(spawner.spawn(contenderName, args, log(contenderName, fault, node)));
                }
                String notStarted = awaitStarted(dataSource, workers, contenderName, fault);
                if (notStarted != null) {
                    return new Outcome(List.of(), fault.id() + ": " + notStarted);
                }
                Case run = new Case(contenderName, fault, client, dataSource, workers);
                return fault.kill() ? run.kill() : run.restart();
            } finally {
                stop(workers);
                try {
                    client.close();
                } catch (Exception e) {
                    // The client only enqueued; how it closes after a fault is not measured.
                }
            }
        } finally {
            server.dropDatabase(url);
        }
    }

    /**
     * Ends the worker JVMs that are left: SIGTERM first, so that a JVM that exits writes the shared
     * class-data archive the next workers start from, then SIGKILL for any that has not exited.
     */
    private static void stop(List<Process> workers) throws InterruptedException {
        workers.forEach(Process::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Process worker : workers) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !worker.waitFor(left, TimeUnit.NANOSECONDS)) {
                worker.destroyForcibly();
            }
        }
        for (Process worker : workers) {
            worker.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Null once every worker JVM has started its contender; otherwise why not, with the log's last lines. */
    private @Nullable String awaitStarted(DataSource dataSource, List<Process> workers, String contender, Fault fault)
            throws Exception {
        long deadline = System.nanoTime() + START_UP.toNanos();
        while (FaultProbe.arrived(dataSource, "started") < workers.size()) {
            for (int node = 0; node < workers.size(); node++) {
                if (!workers.get(node).isAlive()) {
                    return "worker JVM " + node + " exited ("
                            + workers.get(node).exitValue() + ") while starting; " + tail(contender, fault, node);
                }
            }
            if (System.nanoTime() > deadline) {
                return "worker JVMs not started within " + START_UP.toSeconds() + " s";
            }
            Thread.sleep(50);
        }
        return null;
    }

    private Path log(String contender, Fault fault, int node) {
        return logs.resolve(contender + "-" + fault.id() + "-node" + node + ".log");
    }

    private String tail(String contender, Fault fault, int node) {
        return LogTail.of(log(contender, fault, node));
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        config.setPoolName("bench-faults");
        return new HikariDataSource(config);
    }

    /** One case in progress. */
    private final class Case {
        private final String contender;
        private final Fault fault;
        private final Contender client;
        private final DataSource dataSource;
        private final List<Process> workers;
        private final List<Result> results = new ArrayList<>();
        private final AtomicInteger enqueueRetries = new AtomicInteger();

        Case(String contender, Fault fault, Contender client, DataSource dataSource, List<Process> workers) {
            this.contender = contender;
            this.fault = fault;
            this.client = client;
            this.dataSource = dataSource;
            this.workers = workers;
        }

        /**
         * Enqueues the case's jobs, then, once every node to be killed is running a job (or after
         * {@link #BUSY_WAIT}), kills those nodes with SIGKILL and waits for the survivors to finish
         * everything.
         */
        Outcome kill() throws Exception {
            int jobs = Scenario.FAULTS.size(quick);
            long start = System.nanoTime();
            for (int index = 0; index < jobs; index++) {
                pace(start, index);
                enqueue(index);
            }
            long busyDeadline = System.nanoTime() + BUSY_WAIT.toNanos();
            int busy;
            while ((busy = victimsRunning()) < fault.killed() && System.nanoTime() < busyDeadline) {
                Thread.sleep(20);
            }
            long killedAt = System.currentTimeMillis();
            for (int victim : fault.victims()) {
                workers.get(victim).destroyForcibly();
            }
            for (int victim : fault.victims()) {
                workers.get(victim).waitFor();
            }
            emit("victims_running", busy);
            boolean done = awaitDone(jobs, killedAt);
            String failure = count(jobs, done);
            if (done) {
                emit("recovery_s", (FaultProbe.lastStart(dataSource) - killedAt) / 1000.0);
            }
            String dead = survivorsDead();
            return new Outcome(results, dead != null ? dead : failure);
        }

        /**
         * Enqueues a stream while the nodes run; halfway, stops the PostgreSQL server and starts it
         * again; waits for every job enqueued to have had its effect and be stored as finished.
         */
        Outcome restart() throws Exception {
            AtomicBoolean enqueuing = new AtomicBoolean(true);
            AtomicInteger enqueued = new AtomicInteger();
            List<Exception> producerFailure = new ArrayList<>();
            Thread producer = Thread.ofPlatform()
                    .daemon()
                    .name("bench-fault-producer")
                    .start(() -> {
                        long start = System.nanoTime();
                        try {
                            for (int index = 0; enqueuing.get(); index++) {
                                pace(start, index);
                                enqueue(index);
                                enqueued.set(index + 1);
                            }
                        } catch (Exception e) {
                            synchronized (producerFailure) {
                                producerFailure.add(e);
                            }
                        }
                    });
            long downAt;
            long upAt;
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(restartStreamSeconds()));
                downAt = System.currentTimeMillis();
                server.restart();
                upAt = System.currentTimeMillis();
                Thread.sleep(TimeUnit.SECONDS.toMillis(restartStreamSeconds()));
            } finally {
                enqueuing.set(false);
            }
            producer.join(deadline().toMillis());
            synchronized (producerFailure) {
                if (!producerFailure.isEmpty()) {
                    throw new IllegalStateException(
                            "the client's enqueues failed for good: " + producerFailure.getFirst(),
                            producerFailure.getFirst());
                }
            }
            int jobs = enqueued.get();
            boolean done = awaitDone(jobs, downAt);
            String failure = count(jobs, done);
            emit("outage_s", (upAt - downAt) / 1000.0);
            long firstAfter = FaultProbe.firstStartFrom(dataSource, upAt);
            if (firstAfter > 0) {
                emit("recovery_s", (firstAfter - downAt) / 1000.0);
            }
            long working = FaultProbe.nodesStartingFrom(dataSource, upAt);
            emit("nodes_working", working);
            emit("enqueue_retries", enqueueRetries.get());
            String dead = survivorsDead();
            // Alive means working: a JVM whose job system stopped after the outage runs nothing.
            emit("app_alive", dead == null && working == fault.nodes() ? 1 : 0);
            return new Outcome(results, dead != null ? dead : failure);
        }

        /** The client's enqueue, tried again while it fails (the database may be down), as a careful caller does. */
        private void enqueue(int index) throws Exception {
            long deadline = System.nanoTime() + deadline().toNanos();
            while (true) {
                try {
                    client.enqueueOnce(JobKind.EFFECT, index);
                    return;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    enqueueRetries.incrementAndGet();
                    Thread.sleep(100);
                }
            }
        }

        private static void pace(long start, int index) throws InterruptedException {
            long wait = start + index * TimeUnit.SECONDS.toNanos(1) / ENQUEUES_PER_SECOND - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }

        /** Nodes to be killed that are running a job: one whose body started less than its work ago. */
        private int victimsRunning() throws Exception {
            long since = System.currentTimeMillis() - FaultProbe.WORK.toMillis() + 300;
            int running = 0;
            for (int victim : fault.victims()) {
                if (FaultProbe.startsOn(dataSource, victim, since) > 0) {
                    running++;
                }
            }
            return running;
        }

        /** Whether every job had its effect and is stored as finished before the deadline after the fault. */
        private boolean awaitDone(long jobs, long faultAtMillis) throws InterruptedException {
            long deadline = faultAtMillis + deadline().toMillis();
            while (System.currentTimeMillis() < deadline) {
                try {
                    if (FaultProbe.jobsWithEffect(dataSource, jobs) >= jobs
                            && client.finishedInStore(dataSource, jobs) >= jobs) {
                        return true;
                    }
                } catch (Exception e) {
                    // The database may still be coming back.
                }
                Thread.sleep(250);
            }
            return false;
        }

        /** Emits lost, duplicates and unfinished; returns why the case failed, or null. */
        private @Nullable String count(long jobs, boolean done) throws Exception {
            long withEffect = FaultProbe.jobsWithEffect(dataSource, jobs);
            long lost = jobs - withEffect;
            long unfinished = Math.max(0, jobs - client.finishedInStore(dataSource, jobs));
            emit("jobs", jobs);
            emit("lost", lost);
            emit("duplicates", FaultProbe.effects(dataSource) - withEffect);
            emit("unfinished", unfinished);
            if (done) {
                return null;
            }
            return fault.id() + ": " + lost + " of " + jobs + " jobs had no effect and " + unfinished
                    + " were not stored as finished " + deadline().toSeconds() + " s after the fault";
        }

        /** Null if every worker JVM that was not killed is still running; otherwise which are not. */
        private @Nullable String survivorsDead() {
            List<String> dead = new ArrayList<>();
            for (int node = 0; node < workers.size(); node++) {
                if (!fault.victims().contains(node) && !workers.get(node).isAlive()) {
                    dead.add("node " + node + " (exit " + workers.get(node).exitValue() + "; "
                            + tail(contender, fault, node) + ")");
                }
            }
            return dead.isEmpty() ? null : fault.id() + ": worker JVM(s) died: " + String.join(", ", dead);
        }

        private void emit(String metric, double value) {
            results.add(new Result(
                    Scenario.FAULTS.id(), contender, metric, value, fault.nodes(), fault.id(), client.settings()));
        }
    }
}
