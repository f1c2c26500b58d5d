package dev.modelregistry.internal.engine;

import static dev.modelregistry.internal.engine.PlannerFixture.NOW;
import static dev.modelregistry.internal.engine.PlannerFixture.PRODUCTION;
import static dev.modelregistry.internal.engine.PlannerFixture.log;
import static dev.modelregistry.internal.engine.PlannerFixture.policies;
import static dev.modelregistry.internal.engine.PlannerFixture.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.AlreadyExistsException;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Principal;
import dev.modelregistry.SigningKey;
import dev.modelregistry.TrustPolicy;
import dev.modelregistry.TrustedKey;
import dev.modelregistry.VersionManifest;
import dev.modelregistry.VersionSignature;
import dev.modelregistry.VersionSigned;
import dev.modelregistry.internal.engine.PlannerFixture.Committed;
import dev.modelregistry.internal.engine.PlannerFixture.Log;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The signing planner")
class SigningPlannerTest {
    private static final Principal SAM = Principal.of("sam", "signer");
    private final SigningKey release = SigningKey.generate("release-2026");
    private final SigningKey security = SigningKey.generate("security-2026");
    private final Log log = log().register("1.0.0", "2.0.0");

    private Committed<VersionSignature> sign(String version, SigningKey key) {
        return log.write(SAM, policies(), SigningPlanner.sign(v(version), key));
    }

    private static boolean verifies(TrustedKey key, VersionManifest manifest, String base64) throws GeneralSecurityException {
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initVerify(key.toPublicKey());
        ed25519.update(manifest.bytes());
        return ed25519.verify(Base64.getDecoder().decode(base64));
    }

    @Test
    @DisplayName("records a signature of the version's manifest that verifies with the key's public half only")
    void signs() throws GeneralSecurityException {
        VersionManifest manifest = VersionManifest.of(log.state.require(v("1.0.0")));
        Committed<VersionSignature> c = sign("1.0.0", release);
        VersionSignature s = c.value();

        assertThat(c.events()).containsExactly(new VersionSigned(v("1.0.0"), "release-2026", manifest.digest(), s.signature()));
        assertThat(s).isEqualTo(new VersionSignature("release-2026", manifest.digest(), s.signature(), "sam", NOW,
                c.entries().get(0).sequence()));
        assertThat(verifies(release.trustedKey(), manifest, s.signature())).isTrue();
        assertThat(verifies(security.trustedKey(), manifest, s.signature())).isFalse();
        assertThat(verifies(release.trustedKey(), VersionManifest.of(log.state.require(v("2.0.0"))), s.signature())).isFalse();
    }

    @Test
    @DisplayName("records what a trust policy then counts as a valid signature")
    void trusted() {
        sign("1.0.0", release);
        TrustPolicy policy = TrustPolicy.builder().trust(release.trustedKey()).require(PRODUCTION, 1).build();

        assertThat(policy.check(PRODUCTION, log.state.require(v("1.0.0")), log.state.signatures(v("1.0.0"))).validKeys())
                .containsExactly("release-2026");
    }

    @Test
    @DisplayName("refuses a second signature of the same manifest by the same key, naming the first")
    void oncePerKey() {
        long first = sign("1.0.0", release).entries().get(0).sequence();

        assertThatThrownBy(() -> sign("1.0.0", release)).isInstanceOf(AlreadyExistsException.class)
                .hasMessage("Key \"release-2026\" already signed fraud-detector@1.0.0 (log entry " + first + ")");
        assertThat(log.state.signatures(v("1.0.0"))).hasSize(1);
    }

    @Test
    @DisplayName("accepts a signature by another key, and by the same key of another version")
    void otherKeyOrVersion() {
        sign("1.0.0", release);
        sign("1.0.0", security);
        sign("2.0.0", release);

        assertThat(log.state.signatures(v("1.0.0"))).extracting(VersionSignature::keyId).containsExactly("release-2026", "security-2026");
        assertThat(log.state.signatures(v("2.0.0"))).extracting(VersionSignature::keyId).containsExactly("release-2026");
    }

    @Test
    @DisplayName("refuses a version the model does not have")
    void unknownVersion() {
        assertThatThrownBy(() -> sign("3.0.0", release)).isInstanceOf(NotFoundException.class)
                .hasMessage("Model fraud-detector has no version 3.0.0; its highest is 2.0.0");
    }
}
