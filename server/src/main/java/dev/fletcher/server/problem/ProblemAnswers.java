package dev.fletcher.server.problem;

/** Problems shared by the REST mappers and the HTTP fallback route. */
final class ProblemAnswers {
    private ProblemAnswers() {
    }

    static Problem notFound(String path) {
        return new Problem("about:blank", "Not Found", 404, "nothing is served at " + path
                + "; the API lives under /api/v1 (see /q/openapi)", path, null);
    }
}
