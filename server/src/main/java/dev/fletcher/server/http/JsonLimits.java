package dev.fletcher.server.http;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Bounds what a JSON request body may hold, so a hostile one is a 400 (the parser's own error) rather than work:
 * no request of the API nests deeper than a few levels or needs a number of more than a few dozen digits.
 */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {
    /** Deeper than any request of the API, shallow enough that reading it costs nothing. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** More digits than a double or a long can hold. */
    public static final int MAX_NUMBER_LENGTH = 400;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .build());
    }
}
