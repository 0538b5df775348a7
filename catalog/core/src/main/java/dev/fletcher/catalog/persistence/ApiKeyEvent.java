package dev.fletcher.catalog.persistence;

import java.time.Instant;

/**
 * One change to the keys.
 *
 * @param action {@code created} or {@code revoked}
 * @param by     who made the change
 */
public record ApiKeyEvent(String keyId, String name, String role, String action, Instant at, String by) {
}
