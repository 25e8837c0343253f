package io.taskbound.process;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The command line a process lane starts its workers with: this JVM's java binary and classpath,
 * the options that keep the worker's stdout for frames only, and the lane's own options.
 */
final class WorkerCommand {

    private WorkerCommand() {}

    /** The command that starts a worker: this JVM's java binary and classpath, and the lane's options. */
    static List<String> command(String lane, ProcessSettings settings) {
        return command(
                lane,
                settings,
                ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("java.class.path"));
    }

    static List<String> command(String lane, ProcessSettings settings, List<String> applicationOptions) {
        return command(lane, settings, applicationOptions, System.getProperty("java.class.path"));
    }

    /**
     * The command, given the options this JVM was started with and the classpath: a class-data or
     * AOT cache the application uses ({@code -XX:AOTCache}, {@code -XX:SharedArchiveFile}) is the
     * workers' too, since they load the same classes from the same classpath, and it cuts their
     * start-up, unless the lane makes a cache of its own; the lane's own options come after it and
     * may replace it.
     */
    static List<String> command(
            String lane, ProcessSettings settings, List<String> applicationOptions, String classPath) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.add("-Xmx" + settings.heap());
        // A heap in trouble is not worth saving: the worker exits at its first OutOfMemoryError, in
        // whichever thread, and its lane fails the run and starts another. The JVM says so on its
        // "tty", stdout unless told otherwise, where it would corrupt the protocol.
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-XX:+DisplayVMOutputToStderr");
        // The JVM's unified logging writes its warnings and errors to stdout too (a class-data cache
        // that does not match, say): all of it to stderr instead, where the lane keeps the tail.
        command.add("-Xlog:disable");
        command.add("-Xlog:all=warning:stderr:uptime,level,tags");
        command.add("-D" + Worker.WORKER_PROPERTY + "=true");
        // So that ps and the tests tell a lane's workers apart.
        command.add("-D" + Worker.WORKER_PROPERTY + ".lane=" + lane);
        if (settings.recycleAboveHeap() != null) {
            command.add("-D" + Worker.RECYCLE_ABOVE_HEAP_PROPERTY + "=" + settings.recycleAboveHeapBytes());
        }
        if (settings.aotCache() == null) {
            applicationOptions.stream()
                    .filter(option -> option.startsWith("-XX:AOTCache=") || option.startsWith("-XX:SharedArchiveFile="))
                    .forEach(command::add);
        }
        command.addAll(settings.jvmOptions());
        command.add("-cp");
        command.add(classPath);
        if (isBootJar(classPath)) {
            // An executable Spring Boot jar keeps the application in nested jars that only Boot's
            // launcher reads; its PropertiesLauncher starts another main class than the jar's.
            command.add("-Dloader.main=" + WorkerMain.class.getName());
            command.add(BOOT_PROPERTIES_LAUNCHER);
        } else {
            command.add(WorkerMain.class.getName());
        }
        return List.copyOf(command);
    }

    /**
     * The java binary and the JVM options of a lane's workers that a class cache depends on: what
     * the JVM that makes the cache runs with.
     */
    static List<String> java(ProcessSettings settings) {
        List<String> java = new ArrayList<>();
        java.add(java());
        java.add("-Xmx" + settings.heap());
        java.addAll(settings.jvmOptions());
        return List.copyOf(java);
    }

    /** {@code command} with {@code options} added after the lane's own, before the classpath. */
    static List<String> withOptions(List<String> command, List<String> options) {
        if (options.isEmpty()) {
            return command;
        }
        List<String> added = new ArrayList<>(command);
        added.addAll(command.indexOf("-cp"), options);
        return List.copyOf(added);
    }

    private static String java() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElseGet(() ->
                        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static final String BOOT_PROPERTIES_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

    /** Whether the application was started as {@code java -jar app.jar} on an executable Spring Boot jar. */
    static boolean isBootJar(String classPath) {
        if (classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(classPath)) {
            Manifest manifest = jar.getManifest();
            String main = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
            return main != null && main.startsWith("org.springframework.boot.loader.");
        } catch (IOException unreadable) {
            return false;
        }
    }
}
