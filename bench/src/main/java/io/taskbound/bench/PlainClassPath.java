package io.taskbound.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * The bench's classes as a classpath a plain {@code java -cp} can load, for the application JVMs of
 * the process-lane scenarios: Taskbound starts its worker JVMs with its application's {@code
 * java.class.path}, and the bench jar is an executable Spring Boot jar, whose classes and libraries
 * are nested jars that only its launcher can read (a worker started from it finds no classes). The
 * jar is extracted once, with Spring Boot's own {@code -Djarmode=tools extract}, into a jar whose
 * manifest lists the libraries beside it; that one jar is then the classpath. Run from an IDE or
 * from {@code target/classes}, the classpath is plain already and used as it is.
 */
final class PlainClassPath {

    private PlainClassPath() {}

    static String resolve() throws IOException, InterruptedException {
        String classPath = System.getProperty("java.class.path");
        if (classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar") || !bootJar(Path.of(classPath))) {
            return classPath;
        }
        Path jar = Path.of(classPath).toAbsolutePath();
        // One extraction per build of the jar: its size and time name the directory.
        Path directory = Path.of(
                System.getProperty("java.io.tmpdir"),
                "taskbound-bench-plain-" + Files.size(jar) + "-"
                        + Files.getLastModifiedTime(jar).toMillis());
        Path extracted = directory.resolve(jar.getFileName());
        if (Files.exists(extracted)) {
            return extracted.toString();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Process extract = new ProcessBuilder(List.of(
                        java,
                        "-Djarmode=tools",
                        "-jar",
                        jar.toString(),
                        "extract",
                        "--destination",
                        directory.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!extract.waitFor(2, TimeUnit.MINUTES) || extract.exitValue() != 0 || !Files.exists(extracted)) {
            extract.destroyForcibly();
            throw new IOException("Could not extract " + jar + " to " + directory
                    + " with -Djarmode=tools extract: the process-lane scenarios need a plain classpath");
        }
        return extracted.toString();
    }

    private static boolean bootJar(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest() != null
                    && file.getManifest().getMainAttributes().getValue("Spring-Boot-Classes") != null;
        }
    }
}
