package dev.fletcher.catalog.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One live API key: its public id, name, role and the hash of the whole key; never the key itself. */
@Entity
@Table(name = "api_key")
class ApiKeyEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "key_id", nullable = false, length = 32)
    String keyId;

    @Column(nullable = false, length = 64)
    String name;

    @Column(nullable = false, length = 16)
    String role;

    @Column(name = "secret_hash", nullable = false, length = 64)
    String secretHash;

    /** Reserved for keys limited to named feature views or metrics (JSON); null for the role's full reach. */
    @Column
    String scope;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "created_by", nullable = false, length = 64)
    String createdBy;
}
