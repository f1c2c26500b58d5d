package dev.modelregistry;

/**
 * Where a version came from, as links: the training script, the container image digest it was built
 * with, and the environment file (conda/pip lock). Empty strings mean "not recorded".
 */
public record Links(String trainingScript, String containerImageDigest, String environmentFile) {
    public static final Links NONE = new Links("", "", "");
    static final int MAX_LENGTH = 2048;

    public Links {
        trainingScript = Names.checkText("training script link", trainingScript, MAX_LENGTH);
        containerImageDigest = Names.checkText("container image digest", containerImageDigest, MAX_LENGTH);
        environmentFile = Names.checkText("environment file link", environmentFile, MAX_LENGTH);
    }
}
