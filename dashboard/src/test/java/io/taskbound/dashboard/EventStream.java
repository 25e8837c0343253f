package io.taskbound.dashboard;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The events of one open server-sent event stream, as they arrive, with their data read as JSON. */
final class EventStream implements Flow.Subscriber<String> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Event(String name, JsonNode data) {}

    final List<Event> events = new CopyOnWriteArrayList<>();
    volatile CompletableFuture<HttpResponse<Void>> response;
    private volatile Flow.Subscription subscription;
    private String name = "message";
    private final StringBuilder data = new StringBuilder();

    List<Event> named(String wanted) {
        return events.stream().filter(event -> event.name().equals(wanted)).toList();
    }

    void close() {
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
        response.cancel(true);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
        if (line.isEmpty()) {
            if (!data.isEmpty()) {
                events.add(new Event(name, JSON.readTree(data.toString())));
            }
            name = "message";
            data.setLength(0);
        } else if (line.startsWith("event:")) {
            name = line.substring("event:".length()).trim();
        } else if (line.startsWith("data:")) {
            data.append(line.substring("data:".length()));
        }
    }

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}
}
