package dev.modelregistry;

import dev.modelregistry.internal.util.MessageText;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which keys are trusted, and how many valid signatures a version needs to enter (and to be served
 * from) a stage. Set on a registry with {@code setTrustPolicy} (an audited event in the registry's
 * own log), it is checked on every promotion into a stage it names; given to a
 * {@code ModelHandle}, it is checked before every load.
 *
 * <pre>{@code
 * TrustPolicy policy = TrustPolicy.builder()
 *     .trust(releaseKey.trustedKey(), securityKey.trustedKey(), TrustedKey.of("ci-2026", ciPublicBase64))
 *     .require(Stage.STAGING, 1)                                       // any one trusted key
 *     .require(Stage.PRODUCTION, 2, "release-2026", "security-2026", "ci-2026")  // two of these three
 *     .build();
 * }</pre>
 *
 * A signature counts when its key is trusted and listed for the stage, it signed the manifest the
 * version has now, and it verifies with the trusted public key; each key counts once. The policy is
 * validated when built: duplicate key ids, one public key under two ids (which would let one key
 * count twice), a requirement that names an untrusted key or asks for more signatures than it has
 * keys — each refused, naming the key or stage.
 *
 * @param keys         the trusted public keys
 * @param requirements at most one per stage
 */
public record TrustPolicy(List<TrustedKey> keys, List<Requirement> requirements) {
    private static final TrustPolicy NONE = new TrustPolicy(List.of(), List.of());

    /**
     * {@code signatures} valid signatures by distinct keys among {@code keyIds} (every trusted key
     * when empty) are needed to enter {@code stage}.
     */
    public record Requirement(Stage stage, int signatures, List<String> keyIds) {
        public Requirement {
            if (stage == null || stage.equals(Stage.NONE)) {
                throw new ValidationException("A trust requirement needs a stage other than NONE, got " + stage);
            }
            if (signatures < 1) {
                throw new ValidationException("Trust requirement for " + stage + " must ask for at least 1 signature, was " + signatures);
            }
            keyIds = keyIds == null ? List.of() : List.copyOf(new LinkedHashSet<>(keyIds));
        }
    }

    public TrustPolicy {
        keys = keys == null ? List.of() : List.copyOf(keys);
        requirements = requirements == null ? List.of() : List.copyOf(requirements);
        Map<String, TrustedKey> byId = new HashMap<>();
        Map<String, String> idOfKey = new HashMap<>();
        for (TrustedKey k : keys) {
            if (k == null) {
                throw new ValidationException("A trust policy lists a null key");
            }
            if (byId.putIfAbsent(k.keyId(), k) != null) {
                throw new KeyMaterialException(k.keyId(), "Trust policy lists key id " + MessageText.quote(k.keyId()) + " twice");
            }
            // Compare decoded keys: two encodings of one key must not count as two signers.
            String material = Base64.getEncoder().encodeToString(k.toPublicKey().getEncoded());
            String other = idOfKey.putIfAbsent(material, k.keyId());
            if (other != null) {
                throw new KeyMaterialException(k.keyId(), "Trust policy lists one public key under two ids, "
                        + MessageText.quote(other) + " and " + MessageText.quote(k.keyId()) + "; it would count twice");
            }
        }
        Set<Stage> stages = new java.util.HashSet<>();
        for (Requirement r : requirements) {
            if (r == null) {
                throw new ValidationException("A trust policy lists a null requirement");
            }
            if (!stages.add(r.stage())) {
                throw new ValidationException("Trust policy has two requirements for stage " + r.stage());
            }
            for (String id : r.keyIds()) {
                if (!byId.containsKey(id)) {
                    throw new KeyMaterialException(id, "Trust requirement for " + r.stage() + " names key " + MessageText.quote(id)
                            + ", which the policy does not trust; trusted: " + byId.keySet().stream().sorted().toList());
                }
            }
            int eligible = r.keyIds().isEmpty() ? keys.size() : r.keyIds().size();
            if (r.signatures() > eligible) {
                throw new ValidationException("Trust requirement for " + r.stage() + " asks for " + r.signatures()
                        + " signatures but only " + eligible + " key(s) may give one");
            }
        }
    }

    /** Trusts no key and requires nothing: the default of every registry. */
    public static TrustPolicy none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The requirement for entering {@code stage}, if any. */
    public Optional<Requirement> requirementFor(Stage stage) {
        return requirements.stream().filter(r -> r.stage().equals(stage)).findFirst();
    }

    public Optional<TrustedKey> findKey(String keyId) {
        return keys.stream().filter(k -> k.keyId().equals(keyId)).findFirst();
    }

    /**
     * Checks {@code signatures} of {@code version} against the requirement for {@code stage}: each
     * signature is verified against the manifest recomputed from {@code version} as it is now.
     */
    public TrustCheck check(Stage stage, ModelVersion version, List<VersionSignature> signatures) {
        Optional<Requirement> requirement = requirementFor(stage);
        if (requirement.isEmpty()) {
            return new TrustCheck(version.model(), version.version(), stage, 0, List.of(), List.of(), List.of());
        }
        Requirement r = requirement.get();
        List<String> eligible = r.keyIds().isEmpty() ? keys.stream().map(TrustedKey::keyId).toList() : r.keyIds();
        VersionManifest manifest = VersionManifest.of(version);
        byte[] bytes = manifest.bytes();
        Map<String, PublicKey> decoded = new LinkedHashMap<>();
        Set<String> valid = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (VersionSignature s : signatures) {
            String who = "signature by key " + MessageText.quote(s.keyId()) + " (recorded by " + s.signedBy() + " at " + s.signedAt() + ")";
            Optional<TrustedKey> key = findKey(s.keyId());
            if (key.isEmpty()) {
                problems.add(who + " is by a key the policy does not trust");
                continue;
            }
            if (!eligible.contains(s.keyId())) {
                problems.add(who + " is by a key not listed for " + stage);
                continue;
            }
            if (!s.manifestDigest().equals(manifest.digest())) {
                problems.add(who + " covers manifest " + s.manifestDigest() + " but the version's manifest is now "
                        + manifest.digest() + ": the version record changed after it was signed");
                continue;
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(s.signature());
            } catch (IllegalArgumentException e) {
                problems.add(who + " is not base64");
                continue;
            }
            PublicKey pub = decoded.computeIfAbsent(s.keyId(), id -> key.get().toPublicKey());
            if (!Ed25519.verify(pub, bytes, raw)) {
                problems.add(who + " does not verify with the trusted public key of " + MessageText.quote(s.keyId()));
                continue;
            }
            valid.add(s.keyId());
        }
        List<String> missing = eligible.stream().filter(id -> !valid.contains(id)).toList();
        return new TrustCheck(version.model(), version.version(), stage, r.signatures(), List.copyOf(valid), missing, problems);
    }

    /** Collects trusted keys and requirements. */
    public static final class Builder {
        private final List<TrustedKey> keys = new ArrayList<>();
        private final List<Requirement> requirements = new ArrayList<>();

        private Builder() {
        }

        public Builder trust(TrustedKey... keys) {
            this.keys.addAll(List.of(keys));
            return this;
        }

        /** {@code signatures} valid signatures by any of {@code keyIds} (any trusted key when none are named) to enter {@code stage}. */
        public Builder require(Stage stage, int signatures, String... keyIds) {
            requirements.add(new Requirement(stage, signatures, List.of(keyIds)));
            return this;
        }

        /** @throws KeyMaterialException or {@link ValidationException} naming the bad key or stage */
        public TrustPolicy build() {
            return new TrustPolicy(keys, requirements);
        }
    }
}
