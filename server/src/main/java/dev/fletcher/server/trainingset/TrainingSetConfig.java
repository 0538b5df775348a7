package dev.fletcher.server.trainingset;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits of training-set requests, under {@code fletcher.training-sets.}. */
@ConfigMapping(prefix = "fletcher.training-sets")
public interface TrainingSetConfig {
    /** The most entity rows a JSON request may carry; more belong in Flight DoPut or {@code entity_sql}. */
    @WithDefault("100000")
    int maxJsonRows();

    /** How long uploaded entity rows wait for their DoGet before they are deleted. */
    @WithDefault("1h")
    Duration uploadExpiry();

    /** The most uploads waiting for their DoGet at once. */
    @WithDefault("64")
    int maxPendingUploads();
}
