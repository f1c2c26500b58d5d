package dev.modelregistry.s3;

import dev.modelregistry.ModelName;
import dev.modelregistry.Sha256;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;

/**
 * The bucket layout, in one place:
 *
 * <pre>
 * &lt;prefix&gt;/artifacts/sha256/ab/abcdef…                 content with SHA-256 abcdef…, write-once
 * &lt;prefix&gt;/artifacts/tmp/&lt;uuid&gt;                       an upload whose digest is not known yet
 * &lt;prefix&gt;/models/&lt;model&gt;/log/&lt;20-digit seq&gt;.json     one append, starting at that sequence number
 * &lt;prefix&gt;/models/&lt;model&gt;/snapshot/&lt;20-digit seq&gt;.jsonl  the log segment ending at that sequence number
 * </pre>
 */
final class S3Keys {
    private static final String SEQ_FORMAT = "%020d";
    private final String bucket;
    private final String root;

    S3Keys(String bucket, String prefix) {
        this.bucket = bucket;
        this.root = prefix.isEmpty() ? "" : prefix + "/";
    }

    String bucket() {
        return bucket;
    }

    String artifactsPrefix() {
        return root + "artifacts/";
    }

    String artifact(Sha256 digest) {
        String hex = digest.hex();
        return artifactsPrefix() + "sha256/" + hex.substring(0, 2) + "/" + hex;
    }

    String newTemporaryArtifact() {
        return tmpPrefix() + UUID.randomUUID();
    }

    String tmpPrefix() {
        return artifactsPrefix() + "tmp/";
    }

    URI uri(String key) {
        return URI.create("s3://" + bucket + "/" + key);
    }

    String modelsPrefix() {
        return root + "models/";
    }

    String logPrefix(ModelName model) {
        return modelsPrefix() + model.value() + "/log/";
    }

    String log(ModelName model, long sequence) {
        return logPrefix(model) + String.format(SEQ_FORMAT, sequence) + ".json";
    }

    String snapshotPrefix(ModelName model) {
        return modelsPrefix() + model.value() + "/snapshot/";
    }

    String snapshot(ModelName model, long sequence) {
        return snapshotPrefix(model) + String.format(SEQ_FORMAT, sequence) + ".jsonl";
    }

    /** The sequence number a log or snapshot key names, if it is one of ours. */
    static Optional<Long> sequenceOf(String key, String keyPrefix, String suffix) {
        if (!key.startsWith(keyPrefix) || !key.endsWith(suffix)) {
            return Optional.empty();
        }
        String digits = key.substring(keyPrefix.length(), key.length() - suffix.length());
        if (digits.length() != 20 || !digits.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(digits));
    }
}
