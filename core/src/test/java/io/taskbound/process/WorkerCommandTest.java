package io.taskbound.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line a process lane starts its workers with. */
class WorkerCommandTest {

    private static final ProcessSettings SETTINGS =
            ProcessSettings.defaults(1).withHeap("512m").withJvmOptions(List.of("-XX:+UseSerialGC"));

    @Test
    void workersUseTheApplicationsClassDataCacheBeforeTheLanesOwnOptions() {
        List<String> command = WorkerCommand.command(
                "memory", SETTINGS, List.of("-Xmx2g", "-XX:AOTCache=/app/app.aot", "-Dspring.profiles.active=prod"));

        assertThat(command).contains("-Xmx512m", "-XX:AOTCache=/app/app.aot").doesNotContain("-Xmx2g");
        assertThat(command.indexOf("-XX:AOTCache=/app/app.aot")).isLessThan(command.indexOf("-XX:+UseSerialGC"));
        assertThat(command).noneMatch(option -> option.startsWith("-Dspring.profiles"));
    }

    @Test
    void theJvmsOwnLoggingGoesToStderrWhereItCannotCorruptTheFrames() {
        List<String> command = WorkerCommand.command("memory", SETTINGS, List.of());

        assertThat(command)
                .contains("-XX:+DisplayVMOutputToStderr", "-Xlog:disable", "-Xlog:all=warning:stderr:uptime,level,tags")
                .contains("-Dtaskbound.worker=true", "-Dtaskbound.worker.lane=memory")
                .noneMatch(option -> option.startsWith("-XX:AOTCache") || option.startsWith("-XX:SharedArchiveFile"));
        assertThat(command.getLast()).isEqualTo(WorkerMain.class.getName());
    }
}
