package dev.fletcher.server.arrow;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.jboss.logging.Logger;

/**
 * Owns the server's one Arrow root allocator. Every user of Arrow memory takes a named child, so a leak names
 * its owner, and the root is closed after everything else at shutdown.
 */
@ApplicationScoped
public class ArrowMemory {
    /** Later than every other shutdown observer (default priority 2500). */
    static final int CLOSE_LAST = Integer.MAX_VALUE - 1000;

    private static final Logger LOG = Logger.getLogger(ArrowMemory.class);

    private final RootAllocator root = new RootAllocator();

    /** A child allocator for one component or call; the caller closes it. */
    public BufferAllocator child(String name) {
        return root.newChildAllocator(name, 0, Long.MAX_VALUE);
    }

    /** Bytes currently held by all children. */
    public long allocatedBytes() {
        return root.getAllocatedMemory();
    }

    void close(@Observes @Priority(CLOSE_LAST) ShutdownEvent event) {
        try {
            root.close();
        } catch (IllegalStateException leak) {
            // A leak at shutdown is a bug worth seeing, but must not stop the rest of the shutdown.
            LOG.errorf("Arrow memory was still held at shutdown: %s", leak.getMessage());
        }
    }
}
