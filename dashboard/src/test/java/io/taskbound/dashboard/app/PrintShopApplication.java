package io.taskbound.dashboard.app;

import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.Recurring;
import java.util.List;
import java.util.Map;
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

        /** Generic parameters, for the job catalogue's type names. */
        @Job(name = "printer.batch", maxAttempts = 2, timeout = "PT1M", priority = 3)
        public int batch(List<Long> ids, Map<String, Integer> copies) {
            return ids.size();
        }

        /** A schedule declared in code, once a year: the API may pause, resume and trigger it, not change it. */
        @Recurring(id = "printer.clean", cron = "0 0 3 1 1 *", zone = "Europe/Paris")
        @Job(name = "printer.clean")
        public void clean() {}
    }
}
