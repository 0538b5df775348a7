package dev.fletcher.catalog.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One kept evaluation of a monitor at one time. */
@Entity
@Table(name = "monitor_evaluation")
class MonitorEvaluationEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(nullable = false, length = 64)
    String monitor;

    @Column(name = "evaluated_at", nullable = false)
    Instant evaluatedAt;

    @Column(name = "metric_value")
    Double value;

    @Column(nullable = false, length = 16)
    String state;

    @Column(length = 2000)
    String detail;

    @Column(name = "ran_at", nullable = false)
    Instant ranAt;
}
