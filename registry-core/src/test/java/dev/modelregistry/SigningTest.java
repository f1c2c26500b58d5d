package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.serving.ModelHandle;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("signed versions")
class SigningTest {
    private static final String MODEL = "fraud-detector";
    private static final SemVer V1 = SemVer.parse("1.0.0");
    private static final Principal ADMIN = Principal.of("ada", "admin");

    private final SigningKey k1 = SigningKey.generate("k1");
    private final SigningKey k2 = SigningKey.generate("k2");
    private final SigningKey k3 = SigningKey.generate("k3");
    private ModelRegistry registry;

    @BeforeEach
    void registry() {
        registry = ModelRegistry.inMemory();
        registry.register(ADMIN, Registration.of(MODEL).version("1.0.0")
                .artifact("model.bin", "application/octet-stream", "weights".getBytes(StandardCharsets.UTF_8))
                .dataset(DatasetRef.gitCommit("s3://data/transactions", "3f2c1e0")).build());
        registry.promote(ADMIN, MODEL, V1, Stage.STAGING, "");
    }

    @AfterEach
    void close() {
        registry.close();
    }

    private TrustPolicy.Builder trusting(SigningKey... keys) {
        TrustPolicy.Builder b = TrustPolicy.builder();
        for (SigningKey k : keys) {
            b.trust(k.trustedKey());
        }
        return b;
    }

    @Nested
    @DisplayName("the manifest and a signature")
    class Manifest {
        @Test
        @DisplayName("the manifest covers metadata, artifact digests and lineage, and is the same from every registry")
        void manifestContent() {
            ModelVersion v = registry.getVersion(MODEL, V1);
            VersionManifest m = registry.manifest(MODEL, V1);
            assertThat(m.json()).startsWith("{\"format\":\"" + VersionManifest.FORMAT + "\"")
                    .contains(v.artifact("model.bin").sha256().hex())
                    .contains("3f2c1e0")
                    .contains("\"author\":\"ada\"");
            assertThat(m.digest()).isEqualTo(VersionManifest.of(v).digest());
        }

        @Test
        @DisplayName("a signature verifies with the signer's public key and with no other")
        void signAndVerify() {
            VersionSignature s = registry.sign(ADMIN, MODEL, V1, k1);
            assertThat(s.keyId()).isEqualTo("k1");
            assertThat(s.signedBy()).isEqualTo("ada");
            ModelVersion v = registry.getVersion(MODEL, V1);

            TrustCheck good = trusting(k1).require(Stage.PRODUCTION, 1).build().check(Stage.PRODUCTION, v, List.of(s));
            assertThat(good.satisfied()).isTrue();
            assertThat(good.validKeys()).containsExactly("k1");

            // Another key pair published under the same id: the recorded signature does not verify with it.
            SigningKey impostor = SigningKey.generate("k1");
            TrustCheck wrong = trusting(impostor).require(Stage.PRODUCTION, 1).build().check(Stage.PRODUCTION, v, List.of(s));
            assertThat(wrong.satisfied()).isFalse();
            assertThat(wrong.problems()).singleElement().asString().contains("does not verify");
        }

        @Test
        @DisplayName("a key signs a manifest once")
        void signOnce() {
            registry.sign(ADMIN, MODEL, V1, k1);
            assertThatThrownBy(() -> registry.sign(ADMIN, MODEL, V1, k1)).isInstanceOf(AlreadyExistsException.class)
                    .hasMessageContaining("k1");
            assertThat(registry.signatures(MODEL, V1)).hasSize(1);
        }

        @Test
        @DisplayName("a signature by a key the policy does not trust does not count")
        void untrustedKey() {
            registry.setTrustPolicy(ADMIN, trusting(k1).require(Stage.PRODUCTION, 1).build(), "");
            registry.sign(ADMIN, MODEL, V1, k2);
            assertThatThrownBy(() -> registry.promote(ADMIN, MODEL, V1, Stage.PRODUCTION, ""))
                    .isInstanceOf(GateRejectedException.class).hasMessageContaining("does not trust")
                    .hasMessageContaining("k2");
        }
    }

    @Nested
    @DisplayName("the trust policy")
    class Policy {
        @Test
        @DisplayName("N of M: two signatures of three listed keys; one is refused naming the keys still missing")
        void nOfM() {
            registry.setTrustPolicy(ADMIN, trusting(k1, k2, k3).require(Stage.PRODUCTION, 2, "k1", "k2", "k3").build(), "");
            registry.sign(ADMIN, MODEL, V1, k2);
            assertThatThrownBy(() -> registry.promote(ADMIN, MODEL, V1, Stage.PRODUCTION, ""))
                    .isInstanceOf(GateRejectedException.class)
                    .hasMessageContaining("1 of 2").hasMessageContaining("k1").hasMessageContaining("k3")
                    .satisfies(e -> assertThat(((GateRejectedException) e).report().results())
                            .anySatisfy(g -> assertThat(g.outcome()).isEqualTo(GateOutcome.FAILED)));
            assertThat(registry.audit(AuditQuery.builder().eventType(PromotionRejected.class).build())).hasSize(1);

            registry.sign(ADMIN, MODEL, V1, k3);
            PromotionResult r = registry.promote(ADMIN, MODEL, V1, Stage.PRODUCTION, "");
            assertThat(r.applied()).isTrue();
            assertThat(registry.getCurrent(MODEL, Stage.PRODUCTION).version()).isEqualTo(V1);
        }

        @Test
        @DisplayName("key rotation: a version signed by a new key passes once the policy trusts it, and the change is audited")
        void rotation() {
            registry.setTrustPolicy(ADMIN, trusting(k1).require(Stage.PRODUCTION, 1).build(), "2025 key");
            registry.sign(ADMIN, MODEL, V1, k2);
            assertThatThrownBy(() -> registry.promote(ADMIN, MODEL, V1, Stage.PRODUCTION, "")).isInstanceOf(GateRejectedException.class);

            registry.setTrustPolicy(ADMIN, trusting(k1, k2).require(Stage.PRODUCTION, 1).build(), "rotate to the 2026 key");
            assertThat(registry.trustPolicy().findKey("k2")).isPresent();
            assertThat(registry.promote(ADMIN, MODEL, V1, Stage.PRODUCTION, "").applied()).isTrue();
            assertThat(registry.audit(AuditQuery.builder().eventType(TrustPolicyChanged.class).build())).hasSize(2);
            assertThat(registry.verify().intact()).isTrue();
        }

        @Test
        @DisplayName("signatures are checked again when an approval completes a request")
        void recheckedOnApproval() {
            registry.setGatePolicy(ADMIN, GatePolicy.builder()
                    .transition(Stage.STAGING, Stage.PRODUCTION, Gates.manualApproval(1, "approver")).build(), "");
            registry.setTrustPolicy(ADMIN, trusting(k1).require(Stage.PRODUCTION, 1).build(), "");
            registry.sign(ADMIN, MODEL, V1, k1);
            PromotionResult pending = registry.promote(Principal.of("rick", "release-manager"), MODEL, V1, Stage.PRODUCTION, "");
            assertThat(pending.applied()).isFalse();
            // The policy changes while the request waits: k1 is no longer trusted.
            registry.setTrustPolicy(ADMIN, trusting(k2).require(Stage.PRODUCTION, 1).build(), "k1 leaked");
            assertThatThrownBy(() -> registry.approve(Principal.of("ann", "approver"), pending.pendingRequest().orElseThrow().id(), "ok"))
                    .isInstanceOf(GateRejectedException.class).hasMessageContaining("trusted-signatures");
            assertThat(registry.findCurrent(MODEL, Stage.PRODUCTION)).isEmpty();
        }

        @Test
        @DisplayName("a stage without a requirement needs no signature")
        void otherStagesFree() {
            registry.setTrustPolicy(ADMIN, trusting(k1).require(Stage.PRODUCTION, 1).build(), "");
            registry.register(ADMIN, Registration.of(MODEL).version("1.1.0").build());
            assertThat(registry.promote(ADMIN, MODEL, SemVer.parse("1.1.0"), Stage.STAGING, "").applied()).isTrue();
        }
    }

    @Nested
    @DisplayName("bad key material and bad policies")
    class BadInput {
        @Test
        @DisplayName("a public key that is not base64 is refused naming the key id")
        void notBase64() {
            assertThatThrownBy(() -> TrustedKey.of("release", "not base64 !!"))
                    .isInstanceOf(KeyMaterialException.class).hasMessageContaining("\"release\"").hasMessageContaining("base64")
                    .satisfies(e -> assertThat(((KeyMaterialException) e).keyId()).isEqualTo("release"));
        }

        @Test
        @DisplayName("an RSA key where an Ed25519 key belongs is refused naming the key id")
        void rsaKey() throws Exception {
            String rsa = Base64.getEncoder().encodeToString(KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic().getEncoded());
            assertThatThrownBy(() -> TrustedKey.of("legacy-rsa", rsa))
                    .isInstanceOf(KeyMaterialException.class).hasMessageContaining("legacy-rsa").hasMessageContaining("Ed25519");
        }

        @Test
        @DisplayName("a private key loaded with another key's public half is refused")
        void mismatchedHalves() {
            assertThatThrownBy(() -> SigningKey.of("k1", k1.privateKeyBase64(), k2.publicKeyBase64()))
                    .isInstanceOf(KeyMaterialException.class).hasMessageContaining("do not belong to one key pair");
            SigningKey reloaded = SigningKey.of("k1", k1.privateKeyBase64(), k1.publicKeyBase64());
            assertThat(reloaded.trustedKey()).isEqualTo(k1.trustedKey());
        }

        @Test
        @DisplayName("invalid key ids, unknown keys, one key under two ids and impossible counts are refused")
        void badPolicies() {
            assertThatThrownBy(() -> SigningKey.generate("../etc")).isInstanceOf(KeyMaterialException.class).hasMessageContaining("../etc");
            assertThatThrownBy(() -> trusting(k1).require(Stage.PRODUCTION, 1, "k9").build())
                    .isInstanceOf(KeyMaterialException.class).hasMessageContaining("\"k9\"");
            assertThatThrownBy(() -> TrustPolicy.builder().trust(k1.trustedKey(), TrustedKey.of("k1-copy", k1.publicKeyBase64()))
                    .build()).isInstanceOf(KeyMaterialException.class).hasMessageContaining("count twice");
            assertThatThrownBy(() -> trusting(k1).trust(TrustedKey.of("k1", k2.publicKeyBase64())).build())
                    .isInstanceOf(KeyMaterialException.class).hasMessageContaining("twice");
            assertThatThrownBy(() -> trusting(k1, k2).require(Stage.PRODUCTION, 3).build())
                    .isInstanceOf(ValidationException.class).hasMessageContaining("3 signatures");
            assertThatThrownBy(() -> trusting(k1).require(Stage.NONE, 1).build()).isInstanceOf(ValidationException.class);
        }

        @Test
        @DisplayName("a policy naming a stage the lifecycle does not have changes nothing")
        void unknownStage() {
            long before = registry.audit(AuditQuery.builder().build()).size();
            assertThatThrownBy(() -> registry.setTrustPolicy(ADMIN, trusting(k1).require(Stage.of("CANARY"), 1).build(), ""))
                    .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("CANARY");
            assertThat(registry.audit(AuditQuery.builder().build())).hasSize((int) before);
            assertThat(registry.trustPolicy()).isEqualTo(TrustPolicy.none());
        }

        @Test
        @DisplayName("a handle refuses a trust policy that requires nothing for its stage")
        void handleWithoutRequirement() {
            assertThatThrownBy(() -> ModelHandle.builder(registry, MODEL, Stage.PRODUCTION, (file, v) -> file)
                    .trustPolicy(trusting(k1).require(Stage.STAGING, 1).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PRODUCTION");
        }
    }

    @Nested
    @DisplayName("access")
    class Access {
        @Test
        @DisplayName("signing needs SIGN (the signer role has it) and setting the trust policy needs MANAGE_ACCESS; refusals are recorded")
        void permissions() {
            registry.setAccessPolicy(ADMIN, AccessPolicy.standardRoles(), "");
            Principal rick = Principal.of("rick", "release-manager");
            assertThatThrownBy(() -> registry.sign(rick, MODEL, V1, k1)).isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("SIGN");
            assertThat(registry.signatures(MODEL, V1)).isEmpty();
            assertThat(registry.sign(Principal.of("ci", "signer"), MODEL, V1, k1).signedBy()).isEqualTo("ci");
            assertThatThrownBy(() -> registry.setTrustPolicy(rick, trusting(k1).build(), ""))
                    .isInstanceOf(AccessDeniedException.class);
            assertThat(registry.audit(AuditQuery.builder().eventType(AccessDenied.class).build())).hasSize(2);
        }
    }
}
