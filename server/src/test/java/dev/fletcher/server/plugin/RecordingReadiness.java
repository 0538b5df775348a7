package dev.fletcher.server.plugin;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;

/** A readiness registry that keeps what is registered, so a test can call the checks. */
public final class RecordingReadiness implements HealthRegistry {
    public final Map<String, HealthCheck> checks = new LinkedHashMap<>();

    @Override
    public HealthRegistry register(String id, HealthCheck check) {
        checks.put(id, check);
        return this;
    }

    @Override
    public HealthRegistry register(String id, AsyncHealthCheck check) {
        throw new UnsupportedOperationException();
    }

    @Override
    public HealthRegistry remove(String id) {
        checks.remove(id);
        return this;
    }
}
