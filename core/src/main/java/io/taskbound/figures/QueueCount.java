package io.taskbound.figures;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The waiting jobs of one lane and job name, as the last queue count found them. */
record QueueCount(String lane, String name, long due, long later, long retrying) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The counts in the stored form: an array of {@code [lane, name, due, later, retrying]}. */
    static List<QueueCount> fromJson(String json) {
        List<QueueCount> counts = new ArrayList<>();
        for (JsonNode row : JSON.readTree(json)) {
            counts.add(new QueueCount(
                    row.get(0).asString(),
                    row.get(1).asString(),
                    row.get(2).asLong(),
                    row.get(3).asLong(),
                    row.get(4).asLong()));
        }
        return counts;
    }
}
