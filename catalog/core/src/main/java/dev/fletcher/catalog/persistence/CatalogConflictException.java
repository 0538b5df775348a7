package dev.fletcher.catalog.persistence;

import java.util.OptionalLong;

/** Another apply committed while this one ran; nothing of this one was written. */
public class CatalogConflictException extends RuntimeException {
    private final OptionalLong currentVersion;

    public CatalogConflictException(OptionalLong currentVersion, Throwable cause) {
        super(message(currentVersion), cause);
        this.currentVersion = currentVersion;
    }

    private static String message(OptionalLong currentVersion) {
        String now = currentVersion.isPresent() ? " (now at version " + currentVersion.getAsLong() + ")" : "";
        return "the catalog changed while this apply ran" + now + "; re-read and apply again";
    }

    /** The same conflict, now naming the version the catalog moved to. */
    public CatalogConflictException withCurrentVersion(long version) {
        return new CatalogConflictException(OptionalLong.of(version), getCause());
    }

    public OptionalLong currentVersion() {
        return currentVersion;
    }
}
