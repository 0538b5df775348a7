package dev.fletcher.catalog.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One creation or revocation of a key, written once and never changed. */
@Entity
@Table(name = "api_key_event")
class ApiKeyEventEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "key_id", nullable = false, length = 32)
    String keyId;

    @Column(nullable = false, length = 64)
    String name;

    @Column(nullable = false, length = 16)
    String role;

    @Column(nullable = false, length = 16)
    String action;

    @Column(name = "acted_at", nullable = false)
    Instant actedAt;

    @Column(name = "acted_by", nullable = false, length = 64)
    String actedBy;
}
