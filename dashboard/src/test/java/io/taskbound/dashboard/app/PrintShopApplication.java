package io.taskbound.dashboard.app;

import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A small web application with a couple of jobs, on which the dashboard's API is tested. */
@SpringBootApplication
public class PrintShopApplication {

    @Bean
    Printer printer() {
        return new Printer();
    }

    public static class Printer {

        /** Keys whose {@link #flaky} runs fail until the key is removed. */
        public final Set<String> broken = ConcurrentHashMap.newKeySet();

        @Job(name = "printer.print")
        public String print(String text) {
            return "printed " + text;
        }

        /** Logs {@code lines} lines and half its progress, then fails while {@code key} is broken. */
        @Job(name = "printer.flaky", bound = Bound.CPU, maxAttempts = 1)
        public String flaky(String key, int lines, JobContext context) {
            for (int line = 1; line <= lines; line++) {
                context.log("line " + line + " of " + key);
            }
            context.progress(50);
            if (broken.contains(key)) {
                throw new IllegalStateException("printer jammed on " + key);
            }
            return "printed " + key;
        }
    }
}
