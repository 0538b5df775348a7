package dev.fletcher.catalog.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The current definition of one live catalog object. */
@Entity
@Table(name = "catalog_object")
class StoredObjectEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(nullable = false, length = 32)
    String kind;

    @Column(nullable = false, length = 64)
    String name;

    @Column(nullable = false)
    int version;

    @Column(nullable = false)
    String spec;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;
}
