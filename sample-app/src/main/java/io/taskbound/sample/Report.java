package io.taskbound.sample;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A sales report that a CPU-bound job renders. */
@Entity
@Table(name = "report")
public class Report {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String title;
    private int samples;
    private String status;
    private Double mean;
    private Double p95;

    @Column(name = "rendered_at")
    private Instant renderedAt;

    protected Report() {}

    public Report(String title, int samples) {
        this.title = title;
        this.samples = samples;
        this.status = "PENDING";
    }

    public Long getId() {
        return id;
    }

    public String getTitle() {
        return title;
    }

    public int getSamples() {
        return samples;
    }

    public String getStatus() {
        return status;
    }

    public Double getMean() {
        return mean;
    }

    public Double getP95() {
        return p95;
    }

    public Instant getRenderedAt() {
        return renderedAt;
    }

    void rendered(double mean, double p95, Instant at) {
        this.mean = mean;
        this.p95 = p95;
        this.renderedAt = at;
        this.status = "RENDERED";
    }
}
