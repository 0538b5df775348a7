package dev.fletcher.server.problem;

/** What a refused request asked for, in the words of its problem's title and the server's log. */
public enum Subject {
    CATALOG("catalog request"),
    TRAINING_SET("training-set request"),
    ONLINE("online request"),
    METRICS_QUERY("metrics query"),
    MONITOR("monitor request"),
    ANALYSIS("analysis request"),
    KEYS("key request"),
    ACCESS("request");

    private final String words;

    Subject(String words) {
        this.words = words;
    }

    @Override
    public String toString() {
        return words;
    }
}
