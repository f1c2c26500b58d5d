package dev.modelregistry.internal.engine;

import dev.modelregistry.AlreadyExistsException;
import dev.modelregistry.LogEntry;
import dev.modelregistry.Names;
import dev.modelregistry.SemVer;
import dev.modelregistry.SigningKey;
import dev.modelregistry.VersionManifest;
import dev.modelregistry.VersionSignature;
import dev.modelregistry.VersionSigned;
import java.util.Base64;
import java.util.List;

/** Plans a signature: the manifest of the version as stored, signed with the host's key, recorded once per key. Pure. */
public final class SigningPlanner {
    private SigningPlanner() {
    }

    public static Command<VersionSignature> sign(SemVer version, SigningKey key) {
        return (state, policies, now, verdicts) -> {
            Moves.requireExists(state);
            VersionManifest manifest = VersionManifest.of(state.require(version));
            for (VersionSignature existing : state.signatures(version)) {
                if (existing.keyId().equals(key.keyId()) && existing.manifestDigest().equals(manifest.digest())) {
                    throw new AlreadyExistsException("Key " + Names.quote(key.keyId()) + " already signed " + state.model() + "@"
                            + version + " (log entry " + existing.sequence() + ")");
                }
            }
            String signature = Base64.getEncoder().encodeToString(key.sign(manifest));
            return Plan.applied(List.of(new VersionSigned(version, key.keyId(), manifest.digest(), signature)), sealed -> {
                LogEntry e = sealed.get(0);
                return new VersionSignature(key.keyId(), manifest.digest(), signature, e.principal(), e.time(), e.sequence());
            });
        };
    }
}
