package dev.fletcher.server.problem;

/** Problems shared by the REST mappers and the HTTP fallback route. */
public final class ProblemAnswers {
    /** An API key (as dev.fletcher.server.auth.ApiKeys makes them): its public id, then its secret. */
    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile(
            "(fk_[a-z2-7]{12})_[A-Za-z0-9_-]+");

    private ProblemAnswers() {
    }

    /** The request path for a problem's {@code instance}, with the secret of any API key in it left out. */
    public static String path(String rawPath) {
        return rawPath == null ? null : KEY.matcher(rawPath).replaceAll("$1_...");
    }

    static Problem notFound(String rawPath) {
        String path = path(rawPath);
        return new Problem("about:blank", "Not Found", 404, "nothing is served at " + path
                + "; the API lives under /api/v1 (see /q/openapi)", path, null);
    }
}
