package dev.fletcher.warehouse.jdbc;

/** Closing on a path that is already failing or finishing. */
public final class Closing {
    private Closing() {}

    /** Closes, ignoring null and any failure: the error that led here is the one worth reporting. */
    public static void quietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // Best effort, see above.
            }
        }
    }
}
