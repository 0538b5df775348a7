package dev.fletcher.catalog.persistence;

import java.time.Instant;
import java.util.Optional;

/**
 * A live API key as stored: everything but the key, of which only a hash is kept.
 *
 * @param keyId      the key's public part, which finds its row
 * @param secretHash lower-case hex SHA-256 of the whole key
 * @param scope      reserved for keys limited to named feature views or metrics (a JSON document); empty for now
 */
public record StoredApiKey(String keyId, String name, String role, String secretHash, Optional<String> scope,
                           Instant createdAt, String createdBy) {
}
