package io.taskbound.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskbound.engine.TaskboundEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code taskbound.lanes.<lane>.process.*}: the worker JVMs of a lane on the process executor. */
class TaskboundProcessLaneAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = ShopContexts.shopApplication();

    private ApplicationContextRunner onFreshDatabase() {
        return ShopContexts.onDatabase(contextRunner, ShopContexts.freshDatabaseUrl());
    }

    @Test
    void aProcessLanesPropertiesReachItsWorkerJvms() {
        // The shop's mailer job is on the network lane. An eager lane starts its worker with the
        // engine, so the worker's command line shows what the properties made of it.
        String marker = "-Dtaskbound.test.marker=" + UUID.randomUUID();
        onFreshDatabase()
                .withPropertyValues(
                        "taskbound.lanes.network.executor=process",
                        "taskbound.lanes.network.concurrency=1",
                        "taskbound.lanes.network.process.eager-start=true",
                        "taskbound.lanes.network.process.heap=96m",
                        "taskbound.lanes.network.process.recycle-above-heap=48m",
                        "taskbound.lanes.network.process.idle-timeout=10m",
                        "taskbound.lanes.network.process.jvm-options=-XX:+UseSerialGC," + marker)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    List<String> worker = await("the network lane's worker")
                            .atMost(Duration.ofSeconds(30))
                            .until(() -> workerWith(marker), Optional::isPresent)
                            .orElseThrow();
                    assertThat(worker)
                            .contains(
                                    "-Xmx96m",
                                    "-XX:+UseSerialGC",
                                    "-Dtaskbound.worker.lane=network",
                                    "-Dtaskbound.worker.recycle-above-heap-bytes=" + 48 * 1024 * 1024);
                });
    }

    @Test
    void healthListsAProcessLanesWorkersWithTheirPidAndState() {
        onFreshDatabase()
                .withPropertyValues(
                        "taskbound.lanes.network.executor=process",
                        "taskbound.lanes.network.concurrency=1",
                        "taskbound.lanes.network.process.eager-start=true",
                        "taskbound.lanes.network.process.jvm-options=-XX:+UseSerialGC,-XX:TieredStopAtLevel=1")
                .run(context -> {
                    TaskboundHealthIndicator health =
                            new TaskboundHealthIndicator(context.getBean(TaskboundEngine.class));
                    List<Map<String, Object>> workers = await("the network lane's worker ready")
                            .atMost(Duration.ofSeconds(30))
                            .until(
                                    () -> workers(health, "network"),
                                    list -> list.size() == 1
                                            && "IDLE".equals(list.getFirst().get("state")));

                    Map<String, Object> worker = workers.getFirst();
                    long pid = (Long) worker.get("pid");
                    assertThat(ProcessHandle.of(pid))
                            .hasValueSatisfying(
                                    process -> assertThat(process.parent().map(ProcessHandle::pid))
                                            .hasValue(ProcessHandle.current().pid()));
                    assertThat(worker).containsEntry("jobsRun", 0).containsKey("startedAt");
                    assertThat(worker).doesNotContainKeys("jobId", "heapUsedBytes");
                    assertThat(lanes(health).get("io")).as("a thread lane").doesNotContainKey("workers");
                });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> lanes(TaskboundHealthIndicator health) {
        return (Map<String, Map<String, Object>>)
                health.health(true).getDetails().get("lanes");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> workers(TaskboundHealthIndicator health, String lane) {
        return (List<Map<String, Object>>) lanes(health).get(lane).get("workers");
    }

    @Test
    void aBadHeapFailsStartupNamingThePropertyAndHowToWriteIt() {
        onFreshDatabase()
                .withPropertyValues(
                        "taskbound.lanes.network.executor=process", "taskbound.lanes.network.process.heap=lots")
                .run(context -> {
                    assertThat(context).hasFailed();
                    // The engine's own message is the cause of the one that names the property.
                    assertThat(ShopContexts.causeOfType(context.getStartupFailure(), IllegalArgumentException.class))
                            .hasMessageContaining("Invalid taskbound.lanes.network.process.heap")
                            .hasMessageContaining("Worker heap \"lots\"")
                            .hasMessageContaining("\"256m\" or \"2g\"");
                });
    }

    @Test
    void processPropertiesOnALaneThatIsNotOnTheProcessExecutorFailStartup() {
        onFreshDatabase()
                .withPropertyValues("taskbound.lanes.network.process.eager-start=true")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("taskbound.lanes.network.process is set")
                        .hasMessageContaining("set taskbound.lanes.network.executor=process"));
    }

    // The arguments of this JVM's live child whose command line holds marker.
    private static Optional<List<String>> workerWith(String marker) {
        return ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .map(TaskboundProcessLaneAutoConfigurationTests::arguments)
                .filter(arguments -> arguments.contains(marker))
                .findFirst();
    }

    // The JDK gives no arguments for a command line longer than a page, as a worker's classpath
    // makes it; Linux has them all in /proc.
    private static List<String> arguments(ProcessHandle process) {
        Optional<String[]> given = process.info().arguments();
        if (given.isPresent()) {
            return List.of(given.get());
        }
        try {
            byte[] line = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return List.of(new String(line, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
