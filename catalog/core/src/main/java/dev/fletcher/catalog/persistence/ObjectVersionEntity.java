package dev.fletcher.catalog.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One version of one object, written once and never changed. */
@Entity
@Table(name = "catalog_object_version")
class ObjectVersionEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(nullable = false, length = 32)
    String kind;

    @Column(nullable = false, length = 64)
    String name;

    @Column(nullable = false)
    int version;

    @Column(name = "catalog_version", nullable = false)
    long catalogVersion;

    @Enumerated(EnumType.STRING)
    @Column(name = "change_type", nullable = false, length = 16)
    ChangeType changeType;

    @Column(nullable = false)
    String spec;

    @Column(name = "changed_at", nullable = false)
    Instant changedAt;

    /** Who made the change; null for changes older than this column. */
    @Column(name = "changed_by", length = 64)
    String changedBy;
}
