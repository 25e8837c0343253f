package io.taskbound.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Markdown the process-lane scenarios add to their report: a table with a column per
 * contender, since they compare contenders case by case, and the notes their cases left (the
 * memory cases' one job as its store keeps it, the overhead's start times and commands).
 */
final class ProcessLaneTables {

    private ProcessLaneTables() {}

    /**
     * A scenario's figures with a column per contender, one line per case and metric, each the
     * median with the minimum and maximum over runs: the process-lane scenarios compare contenders
     * case by case, which a list of every row, as the other scenarios have, makes hard to read.
     */
    static void byContender(StringBuilder md, List<Report.Row> scenarioRows, List<String> contenders) {
        List<String> present = contenders.stream()
                .filter(c -> scenarioRows.stream().anyMatch(r -> r.contender().equals(c)))
                .toList();
        md.append("| case | metric | ")
                .append(String.join(" | ", present))
                .append(" |\n|---|---|")
                .append("---|".repeat(present.size()))
                .append("\n");
        Map<String, Map<String, Report.Row>> lines = new LinkedHashMap<>();
        for (Report.Row row : scenarioRows) {
            lines.computeIfAbsent(row.fault() + "|" + row.metric(), k -> new LinkedHashMap<>())
                    .put(row.contender(), row);
        }
        lines.forEach((line, byContender) -> {
            Report.Row first = byContender.values().iterator().next();
            md.append("| ")
                    .append(first.fault())
                    .append(" | ")
                    .append(first.metric())
                    .append(" |");
            for (String contender : present) {
                Report.Row row = byContender.get(contender);
                md.append(" ")
                        .append(
                                row == null
                                        ? "—"
                                        : row.runs() == 1
                                                ? Report.format(row.median())
                                                : Report.format(row.median()) + " (" + Report.format(row.min()) + "–"
                                                        + Report.format(row.max()) + ")")
                        .append(" |");
            }
            md.append("\n");
        });
    }

    /** The notes of one scenario, one line each: contender, case, text. */
    static void notes(StringBuilder md, List<Plan> notes) {
        if (!notes.isEmpty()) {
            md.append("\n");
        }
        for (Plan note : notes) {
            md.append("- ")
                    .append(note.contender())
                    .append(", ")
                    .append(note.call())
                    .append(": ")
                    .append(note.text())
                    .append("\n");
        }
    }
}
