package io.taskbound.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link FaultNode} running in a child JVM, as the test sees it: started with this JVM's
 * executable and class path, its output drained to {@code target/fault-nodes/<test>-<name>.log} (so that
 * it never blocks on a full pipe), killed with SIGKILL.
 */
final class ChildNode implements AutoCloseable {

    private static final Path LOGS = Path.of("target", "fault-nodes");

    private final String name;
    private final Process process;
    private final Path log;
    private final CompletableFuture<UUID> ready = new CompletableFuture<>();

    private ChildNode(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        Thread.ofPlatform().daemon().name("fault-node-" + name + "-output").start(this::drain);
    }

    /**
     * Starts node {@code name} of test {@code test} on the database at {@code jdbcUrl}; each of its
     * jobs works for {@code work}.
     */
    static ChildNode start(String test, String name, String jdbcUrl, Duration work) {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A small heap, one GC thread and the quick compiler: several nodes start at once on a
        // machine with few cores, and each runs jobs that only sleep.
        List<String> command = List.of(
                java,
                "-cp",
                classPath(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                FaultNode.class.getName(),
                jdbcUrl,
                name,
                Long.toString(work.toMillis()));
        try {
            Files.createDirectories(LOGS);
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            return new ChildNode(name, process, LOGS.resolve(test + "-" + name + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start fault node " + name + ": " + command, e);
        }
    }

    /**
     * This JVM's class path. Surefire may start tests from a manifest-only jar, whose manifest
     * lists the class path; it then gives the real one as {@code surefire.test.class.path}.
     */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /** Waits for the node's engine to be started; returns its node id. */
    UUID awaitReady(Duration timeout) throws InterruptedException {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("Fault node " + name + " did not start within " + timeout + "; see " + log, e);
        }
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Kills the nodes with SIGKILL, all before waiting for any, and checks that each process is
     * gone: no shutdown hook, no graceful stop, no last heartbeat.
     */
    static void kill(List<ChildNode> nodes) throws InterruptedException {
        for (ChildNode node : nodes) {
            assertThat(node.process.isAlive())
                    .as("node %s alive before the kill", node.name)
                    .isTrue();
            node.process.destroyForcibly();
        }
        for (ChildNode node : nodes) {
            assertThat(node.process.waitFor(10, TimeUnit.SECONDS))
                    .as("node %s died", node.name)
                    .isTrue();
            // 128 + 9: the process ended by SIGKILL, not by an exit of its own.
            assertThat(node.process.exitValue())
                    .as("exit status of node %s", node.name)
                    .isEqualTo(137);
            assertThat(node.process.toHandle().isAlive()).isFalse();
            assertThat(ProcessHandle.of(node.process.pid()).filter(ProcessHandle::isAlive))
                    .as("process %s of node %s", node.process.pid(), node.name)
                    .isEmpty();
        }
    }

    /** Kills the node if it still runs; for clean-up after a test, passed or failed. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        try (BufferedReader output =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = output.readLine()) != null) {
                file.write(line);
                file.write(System.lineSeparator());
                if (line.startsWith(FaultNode.READY)) {
                    file.flush();
                    ready.complete(UUID.fromString(
                            line.substring(FaultNode.READY.length()).strip()));
                }
            }
        } catch (IOException | RuntimeException e) {
            ready.completeExceptionally(e);
        } finally {
            ready.completeExceptionally(
                    new IllegalStateException("Fault node " + name + " ended before it was ready; see " + log));
        }
    }
}
