package dev.fletcher.catalog.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** The single catalog-wide row; its optimistic lock serialises applies that change something. */
@Entity
@Table(name = "catalog_head")
class CatalogHeadEntity {
    static final int ID = 1;

    @Id
    Integer id;

    @Column(name = "catalog_version", nullable = false)
    long catalogVersion;

    @Version
    @Column(name = "lock_version", nullable = false)
    long lockVersion;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;
}
