package io.taskbound.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK AOT cache a process lane makes of its workers' classes, so that a worker loads and links
 * them from a file mapped at its start instead of from the jars (JDK 24's AOT cache; JDK 25 adds
 * method profiles to it). The lane makes it in the two steps the JDK offers, without a build step:
 *
 * <ol>
 *   <li>With no cache yet, the lane's next worker <em>records</em> ({@code -XX:AOTMode=record}):
 *       it runs as any worker, and writes what it loaded and linked when it exits. The lane retires
 *       it after its first job, so that the recording holds a job's classes too, and gives it time
 *       to write.
 *   <li>Once it exited, the lane <em>makes</em> the cache from the recording, in a JVM of its own
 *       ({@code -XX:AOTMode=create}) beside the application, into a temporary file moved into place
 *       when done. Workers started after that use it ({@code -XX:AOTCache}); the JVM's default mode
 *       starts without a cache it cannot use, and says so on the worker's stderr.
 * </ol>
 *
 * <p>The cache lives in the lane's {@link ProcessSettings#aotCache() directory} under a name that
 * holds a fingerprint of what it was made from: the java binary and its version, the classpath's
 * jars (each one's path, size and modification time, and those its manifest's {@code Class-Path}
 * adds) and the workers' JVM options. A new build or a new JDK therefore records a new cache on its
 * first start, which replaces the old; an application restarted on the same build uses its cache
 * from its first worker on. A recording an application stopped before it was made into a cache is
 * made at the lane's next start.
 *
 * <p>The JDK takes classes for its cache only from jars on the classpath: an application started
 * from class directories (an IDE, {@code spring-boot:run}) or as an executable jar (whose classes
 * are nested jars only Spring Boot's launcher reads) gets no cache, and the lane says so once.
 */
final class WorkerCache {

    private static final Logger log = LoggerFactory.getLogger(WorkerCache.class);

    /** The oldest JDK with {@code -XX:AOTMode} and {@code -XX:AOTCache}. */
    static final int FIRST_JDK = 24;

    /** A make that takes longer has gone wrong; the lane gives up on the cache until its next start. */
    private static final Duration MAKE_TIMEOUT = Duration.ofMinutes(10);

    /** Recordings cut short (the worker died with its job) before the lane gives up until its next start. */
    private static final int RECORDINGS = 3;

    private static final int TAIL_IN_MESSAGE = 10;

    /** Where the lane's cache is on its way: what the next worker starts with follows from it. */
    private enum Step {
        /** No cache: the next worker records one. */
        RECORD,
        /** A worker records; the others start without a cache meanwhile. */
        RECORDING,
        /** A recording is being made into a cache. */
        MAKING,
        /** The cache is there: every worker uses it. */
        READY,
        /** Recording or making failed: no cache until the lane's next start. */
        GIVEN_UP
    }

    /** What a worker starts with: options for its JVM, and whether it is the one that records. */
    record Start(List<String> options, boolean records) {
        static final Start PLAIN = new Start(List.of(), false);
    }

    private final String lane;
    private final Path directory;
    private final String prefix;
    private final Path cache;
    private final Path recording;
    private final List<String> makeCommand;
    private Step step;
    private int recordings;

    private WorkerCache(String lane, Path directory, String fingerprint, List<String> java, String classPath) {
        this.lane = lane;
        this.directory = directory;
        this.prefix = "taskbound-" + lane + "-";
        this.cache = directory.resolve(prefix + fingerprint + ".aot");
        // One recording per application: several on one host may share the directory.
        this.recording = directory.resolve(
                prefix + fingerprint + "-" + ProcessHandle.current().pid() + ".aotconf");
        List<String> make = new ArrayList<>(java);
        make.add("-cp");
        make.add(classPath);
        this.makeCommand = List.copyOf(make);
        this.step = Files.isRegularFile(cache) ? Step.READY : Step.RECORD;
    }

    /**
     * The cache of lane {@code lane} as {@code settings} asks for it, its workers started on {@code
     * java} (the java binary and the workers' JVM options) from {@code classPath}; empty, and said
     * in the log, when the settings name no directory or when this JVM or classpath cannot have one.
     */
    static Optional<WorkerCache> open(String lane, ProcessSettings settings, List<String> java, String classPath) {
        Path directory = settings.aotCache();
        if (directory == null) {
            return Optional.empty();
        }
        String refused = refusal(Runtime.version().feature(), classPath);
        if (refused != null) {
            log.warn("Lane {} makes no AOT cache for its workers in {}: {}", lane, directory, refused);
            return Optional.empty();
        }
        try {
            Files.createDirectories(directory);
            WorkerCache cache =
                    new WorkerCache(lane, directory.toAbsolutePath(), fingerprint(java, classPath), java, classPath);
            cache.makeLeftRecording();
            return Optional.of(cache);
        } catch (IOException | UncheckedIOException e) {
            log.warn("Lane {} makes no AOT cache for its workers: cannot use the directory {}: {}", lane, directory, e);
            return Optional.empty();
        }
    }

    /**
     * Why a JVM of version {@code jdk} cannot make an AOT cache of {@code classPath}, or null when
     * it can.
     */
    static @Nullable String refusal(int jdk, String classPath) {
        if (jdk < FIRST_JDK) {
            return "it needs JDK " + FIRST_JDK + " or later, this is JDK " + jdk;
        }
        if (WorkerCommand.isBootJar(classPath)) {
            return "the application runs as an executable Spring Boot jar, whose classes the JDK cannot cache;"
                    + " extract it (java -Djarmode=tools -jar app.jar extract) and run the extracted jar";
        }
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            List<Path> entries = new ArrayList<>(List.of(path));
            entries.addAll(manifestClassPath(path));
            for (Path each : entries) {
                if (Files.isDirectory(each) && !isEmpty(each)) {
                    return "its classpath has the class directory " + each + ", and the JDK caches classes only"
                            + " from jars: run the application from jars";
                }
            }
        }
        return null;
    }

    private static boolean isEmpty(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        } catch (IOException unreadable) {
            return false;
        }
    }

    /**
     * What the cache depends on, as 16 hex digits: the java binary and its version, each jar of
     * {@code classPath} with its size and time (and the jars its manifest's Class-Path adds), and the
     * workers' options in {@code java}.
     */
    static String fingerprint(List<String> java, String classPath) {
        StringBuilder made = new StringBuilder(Runtime.version().toString()).append('\n');
        java.forEach(part -> made.append(part).append('\n'));
        for (String entry : classPath.split(File.pathSeparator)) {
            Path jar = Path.of(entry).toAbsolutePath();
            describe(jar, made);
            manifestClassPath(jar).forEach(added -> describe(added, made));
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(made.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    private static void describe(Path file, StringBuilder made) {
        made.append(file);
        try {
            made.append(' ')
                    .append(Files.size(file))
                    .append(' ')
                    .append(Files.getLastModifiedTime(file).toMillis());
        } catch (IOException absent) {
            made.append(" absent");
        }
        made.append('\n');
    }

    // The jars an extracted Spring Boot jar lists beside it, say: a new build changes those alone.
    private static List<Path> manifestClassPath(Path jar) {
        if (!Files.isRegularFile(jar)) {
            return List.of();
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String listed =
                    manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (listed == null || listed.isBlank()) {
                return List.of();
            }
            // URLs, relative to the jar or absolute (file:/...), as the JDK reads them.
            return Stream.of(listed.trim().split("\\s+"))
                    .map(url -> Path.of(jar.toUri().resolve(url)))
                    .toList();
        } catch (IOException | RuntimeException unreadable) {
            return List.of();
        }
    }

    /** What the lane's next worker starts with. */
    synchronized Start next() {
        return switch (step) {
            case READY -> new Start(List.of("-XX:AOTCache=" + cache), false);
            case RECORD -> {
                step = Step.RECORDING;
                log.info("Lane {}: its next worker records an AOT cache of its classes into {}", lane, recording);
                yield new Start(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + recording), true);
            }
            case RECORDING, MAKING, GIVEN_UP -> Start.PLAIN;
        };
    }

    /** The worker that was to record did not start: the next one records instead. */
    synchronized void notRecorded() {
        if (step == Step.RECORDING) {
            step = Step.RECORD;
        }
    }

    /**
     * The worker that recorded has exited: its recording is made into the cache, in the background;
     * a recording cut short (the worker died) is tried again with the next worker, a few times.
     */
    synchronized void recorded() {
        if (step != Step.RECORDING) {
            return;
        }
        if (sizeOf(recording) > 0) {
            step = Step.MAKING;
            Thread.ofVirtual().name(prefix + "aot-cache-make").start(this::make);
            return;
        }
        deleteQuietly(recording);
        if (++recordings < RECORDINGS) {
            log.info(
                    "Lane {}: the worker recording its AOT cache exited without writing it; the next worker records",
                    lane);
            step = Step.RECORD;
        } else {
            log.warn(
                    "Lane {}: {} workers exited without writing the AOT cache they recorded; its workers start"
                            + " without one until the application restarts",
                    lane,
                    RECORDINGS);
            step = Step.GIVEN_UP;
        }
    }

    // A recording of an earlier run of the application, never made into a cache: made now.
    private void makeLeftRecording() throws IOException {
        if (step == Step.READY) {
            return;
        }
        String stem = stem();
        try (Stream<Path> files = Files.list(directory)) {
            Optional<Path> left = files.filter(
                            file -> file.getFileName().toString().startsWith(stem)
                                    && file.getFileName().toString().endsWith(".aotconf")
                                    && sizeOf(file) > 0)
                    .findFirst();
            if (left.isPresent()) {
                Files.move(left.get(), recording, StandardCopyOption.REPLACE_EXISTING);
                step = Step.MAKING;
                Thread.ofVirtual().name(prefix + "aot-cache-make").start(this::make);
            }
        }
    }

    private void make() {
        long began = System.nanoTime();
        Path made = directory.resolve(
                cache.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Path output = directory.resolve(
                cache.getFileName() + "." + ProcessHandle.current().pid() + ".log");
        List<String> command = new ArrayList<>(makeCommand);
        command.addAll(
                command.indexOf("-cp"),
                List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + recording, "-XX:AOTCache=" + made));
        boolean done = false;
        try {
            Process making = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!making.waitFor(MAKE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                making.destroyForcibly();
                log.warn(
                        "Lane {}: making its workers' AOT cache took over {}; stopped{}",
                        lane,
                        MAKE_TIMEOUT,
                        tail(output));
            } else if (making.exitValue() != 0 || sizeOf(made) <= 0) {
                log.warn(
                        "Lane {}: making its workers' AOT cache failed (exit status {}){}",
                        lane,
                        making.exitValue(),
                        tail(output));
            } else {
                Files.move(made, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                done = true;
                log.info(
                        "Lane {}: made its workers' AOT cache {} ({} MB) in {} ms; workers started from now on use it",
                        lane,
                        cache,
                        sizeOf(cache) / (1024 * 1024),
                        (System.nanoTime() - began) / 1_000_000);
                deleteOthers();
            }
        } catch (IOException e) {
            log.warn("Lane {}: could not make its workers' AOT cache: {}", lane, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteQuietly(made);
            deleteQuietly(output);
            deleteQuietly(recording);
            synchronized (this) {
                step = done ? Step.READY : Step.GIVEN_UP;
            }
        }
    }

    // The name this cache's recordings start with, whichever application recorded them.
    private String stem() {
        String name = cache.getFileName().toString();
        return name.substring(0, name.length() - ".aot".length()) + "-";
    }

    // Caches and recordings of this lane from other builds or options, which no worker of this build reads.
    private void deleteOthers() throws IOException {
        String stem = stem();
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(file -> {
                        String name = file.getFileName().toString();
                        return name.startsWith(prefix)
                                && !file.equals(cache)
                                && (name.endsWith(".aot") || name.endsWith(".aotconf") && !name.startsWith(stem));
                    })
                    .forEach(WorkerCache::deleteQuietly);
        }
    }

    private static String tail(Path output) {
        try {
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_IN_MESSAGE), lines.size());
            return last.isEmpty() ? "" : "; its last lines:\n" + String.join("\n", last);
        } catch (IOException unreadable) {
            return "";
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : -1;
        } catch (IOException unreadable) {
            return -1;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A file left behind is made again or replaced; nothing depends on its absence.
        }
    }

    @Override
    public String toString() {
        return "WorkerCache[" + lane + ", " + cache + "]";
    }
}
