package io.taskbound.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.registry.JobRegistry;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOT cache a process lane makes for its workers: recorded by its first worker, made once that
 * worker exited, and used by the workers after it, in this run of the application and the next.
 */
class WorkerCacheTest {

    private static final String LANE = "cached";

    public static class CacheJobs {

        /** The options of the worker JVM that runs it. */
        @Job(lane = LANE, maxAttempts = 1)
        public String options() {
            return String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
        }
    }

    @TempDir
    Path temporary;

    private final HikariDataSource dataSource = TestDatabase.create();
    private TestEngine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        dataSource.close();
    }

    @Test
    void theFirstWorkerRecordsTheCacheAndTheWorkersAfterItStartFromIt() throws IOException {
        Path caches = temporary.resolve("aot");
        String jars = jarClassPath();
        // With -XX:AOTMode=on a JVM refuses to start without the cache it is given: a worker that
        // starts from the lane's cache and runs a job proves the cache was made and is usable.
        ProcessSettings settings = ProcessSettings.defaults(1)
                .withJvmOptions(List.of("-XX:+UseSerialGC", "-XX:AOTMode=on"))
                .withAotCache(caches);
        start(settings, jars);

        assertThat(runOptions()).as("the first worker records").contains("-XX:AOTMode=record");
        Path cache = await("the cache made from the first worker's recording")
                .atMost(Duration.ofMinutes(3))
                .until(() -> only(caches, ".aot"), found -> found != null);
        assertThat(runOptions())
                .as("a worker after it starts from the cache")
                .contains("-XX:AOTCache=" + cache)
                .doesNotContain("AOTMode=record");
        assertThat(files(caches)).as("the recording is deleted once made").containsExactly(cache);

        engine.close();
        start(settings, jars);
        assertThat(runOptions())
                .as("the application's next run starts its first worker from the cache")
                .contains("-XX:AOTCache=" + cache);
    }

    @Test
    void aCacheIsRefusedWhereTheJdkCannotMakeOne(@TempDir Path directory) throws IOException {
        Path classes = Files.createDirectories(directory.resolve("classes"));
        Files.writeString(classes.resolve("A.class"), "not empty");
        Path bootJar = jar(
                directory.resolve("app.jar"),
                Map.of("Main-Class", "org.springframework.boot.loader.launch.JarLauncher"));
        Path plainJar = jar(directory.resolve("plain.jar"), Map.of());
        Path listsClasses = jar(directory.resolve("lists.jar"), Map.of("Class-Path", "plain.jar classes/"));

        assertThat(WorkerCache.refusal(21, plainJar.toString())).isEqualTo("it needs JDK 24 or later, this is JDK 21");
        assertThat(WorkerCache.refusal(25, plainJar + File.pathSeparator + classes))
                .contains("class directory " + classes, "run the application from jars");
        assertThat(WorkerCache.refusal(25, listsClasses.toString()))
                .as("a directory its manifest adds")
                .contains("class directory " + classes);
        assertThat(WorkerCache.refusal(25, bootJar.toString()))
                .contains("executable Spring Boot jar", "-Djarmode=tools -jar app.jar extract");
        assertThat(WorkerCache.refusal(25, plainJar + File.pathSeparator + directory.resolve("empty-or-absent")))
                .isNull();
    }

    @Test
    void aNewBuildOrNewOptionsMakeANewCache(@TempDir Path directory) throws IOException {
        Path library = jar(directory.resolve("library.jar"), Map.of());
        Path application = jar(directory.resolve("app.jar"), Map.of("Class-Path", "library.jar"));
        List<String> java = List.of("java", "-Xmx256m");
        String before = WorkerCache.fingerprint(java, application.toString());

        assertThat(WorkerCache.fingerprint(java, application.toString())).isEqualTo(before);
        assertThat(WorkerCache.fingerprint(List.of("java", "-Xmx512m"), application.toString()))
                .isNotEqualTo(before);
        Files.setLastModifiedTime(
                library, FileTime.fromMillis(Files.getLastModifiedTime(library).toMillis() + 1000));
        assertThat(WorkerCache.fingerprint(java, application.toString()))
                .as("a library the manifest lists, rebuilt")
                .isNotEqualTo(before);
    }

    private void start(ProcessSettings settings, String classPath) {
        TaskboundSettings engineSettings = TestSettings.fast()
                .withLane(
                        LANE,
                        new LaneSettings("cached", 1, 30, 1, null, 1, Duration.ofMillis(10), Duration.ofMillis(10)));
        JobRegistry jobs = new JobRegistry(engineSettings);
        jobs.register(new CacheJobs(), CacheJobs.class);
        ProcessExecutor executor = new ProcessExecutor(LANE, settings, jobs, WorkerBoot.PLAIN, classPath);
        engine = TestEngine.startWithExecutors(dataSource, engineSettings, Map.of("cached", executor), new CacheJobs());
    }

    private String runOptions() {
        return engine.jobs().enqueue(CacheJobs::options).await(Duration.ofMinutes(1));
    }

    private static Path only(Path directory, String suffix) throws IOException {
        List<Path> found = files(directory).stream()
                .filter(file -> file.getFileName().toString().endsWith(suffix))
                .toList();
        return found.size() == 1 ? found.getFirst() : null;
    }

    private static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }

    /** This JVM's classpath with each class directory packed into a jar: what the JDK caches from. */
    private String jarClassPath() throws IOException {
        List<String> entries = new ArrayList<>();
        int packed = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                entries.add(pack(path, temporary.resolve("classes-" + packed++ + ".jar"))
                        .toString());
            } else if (Files.isRegularFile(path)) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static Path pack(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest(Map.of()));
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(
                        new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Path jar(Path jar, Map<String, String> attributes) throws IOException {
        try (OutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest(attributes))) {
            out.flush();
        }
        return jar;
    }

    private static Manifest manifest(Map<String, String> attributes) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.forEach((name, value) -> manifest.getMainAttributes().putValue(name, value));
        return manifest;
    }
}
