package dev.fletcher.server.arrow;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks that server Arrow memory is released once a call has ended. */
public final class MemoryAssertions {
    private MemoryAssertions() {
    }

    /**
     * Waits up to 5 s for the server's Arrow memory to settle back to {@code idle}, then asserts it did: a call's
     * last bytes reach the client just before the server closes what produced them, so a check made the moment the
     * answer arrives can come too early; memory that is never released still fails.
     */
    public static void assertReturnsTo(ArrowMemory memory, long idle) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (memory.allocatedBytes() != idle && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(memory.allocatedBytes()).as("server Arrow memory after the call").isEqualTo(idle);
    }
}
