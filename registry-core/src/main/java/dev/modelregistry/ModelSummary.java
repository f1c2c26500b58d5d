package dev.modelregistry;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An overview of one model: when it was created, how many versions it has, the highest and the
 * most recently registered one, the version currently in each occupied stage, and how long its log is.
 */
public record ModelSummary(
        ModelName name,
        Instant createdAt,
        int versionCount,
        SemVer highestVersion,
        SemVer latestVersion,
        Map<Stage, SemVer> currentByStage,
        long logLength) {
    public ModelSummary {
        currentByStage = Map.copyOf(currentByStage);
    }

    public Optional<SemVer> current(Stage stage) {
        return Optional.ofNullable(currentByStage.get(stage));
    }
}
