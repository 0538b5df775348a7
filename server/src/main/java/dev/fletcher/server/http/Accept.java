package dev.fletcher.server.http;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Picks the answer type an {@code Accept} header prefers among those an endpoint offers, by quality. */
public final class Accept {
    private Accept() {
    }

    /**
     * @param accept  the header, or null
     * @param absent  the type answered when there is no header
     * @param offered media ranges the endpoint serves (e.g. {@code *}{@code /*}, {@code text/*}) to the type each means
     * @return the preferred type, or empty when the header allows none of them
     */
    public static Optional<String> best(String accept, String absent, Map<String, String> offered) {
        if (accept == null || accept.isBlank()) {
            return Optional.of(absent);
        }
        String best = null;
        double bestQuality = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String media = parts[0].strip().toLowerCase(Locale.ROOT);
            double quality = 1;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].strip();
                if (parameter.startsWith("q=")) {
                    try {
                        quality = Double.parseDouble(parameter.substring(2));
                    } catch (NumberFormatException ignored) {
                        quality = 0;
                    }
                }
            }
            String type = offered.get(media);
            if (type != null && quality > bestQuality) {
                best = type;
                bestQuality = quality;
            }
        }
        return Optional.ofNullable(best);
    }
}
