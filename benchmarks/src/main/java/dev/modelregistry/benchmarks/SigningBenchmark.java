package dev.modelregistry.benchmarks;

import dev.modelregistry.DatasetRef;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.SigningKey;
import dev.modelregistry.TrustCheck;
import dev.modelregistry.TrustPolicy;
import dev.modelregistry.VersionManifest;
import dev.modelregistry.VersionSignature;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What checking a signed version costs when a promotion or a serving handle does it, against the
 * JDK's own Ed25519 verification of the same bytes in the same run:
 * <ul>
 *   <li>{@code trustPolicyCheck}: {@link TrustPolicy#check} — recompute the version's manifest
 *       (canonical JSON of the whole record), compare its digest, decode the trusted key, verify.</li>
 *   <li>{@code rawEd25519Verify} (baseline): {@code Signature.getInstance("Ed25519")} verifying the
 *       precomputed manifest bytes with a decoded key; the floor any signature check pays.</li>
 *   <li>{@code signManifest} and {@code rawEd25519Sign}: the same pair for signing.</li>
 * </ul>
 * The version is a realistic record: an artifact, a dataset, hyperparameters, metrics and labels.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class SigningBenchmark {
    ModelRegistry registry;
    SigningKey key;
    TrustPolicy policy;
    ModelVersion version;
    List<VersionSignature> signatures;
    byte[] manifestBytes;
    byte[] signatureBytes;
    PublicKey publicKey;
    java.security.PrivateKey privateKey;

    @Setup(Level.Trial)
    public void prepare() throws GeneralSecurityException {
        registry = ModelRegistry.inMemory();
        Principal alice = Principal.of("alice");
        version = registry.register(alice, Registration.of("fraud-detector").version("1.5.0")
                .framework("tribuo", "4.3.1")
                .hyperparameter("learningRate", 0.05)
                .hyperparameter("trees", 300)
                .metric("auc", 0.91).metric("f1", 0.84)
                .label("team", "risk")
                .dataset(DatasetRef.gitCommit("s3://data/transactions", "3f2c1e0"))
                .code("https://git.example.org/risk/fraud", "9b1d2aa", "train/Train.java")
                .artifact("model.bin", "application/octet-stream", "weights".repeat(1000).getBytes(StandardCharsets.UTF_8))
                .build());
        key = SigningKey.generate("release-2026");
        registry.sign(alice, "fraud-detector", SemVer.parse("1.5.0"), key);
        signatures = registry.signatures("fraud-detector", SemVer.parse("1.5.0"));
        policy = TrustPolicy.builder().trust(key.trustedKey()).require(Stage.PRODUCTION, 1).build();
        manifestBytes = VersionManifest.of(version).bytes();
        signatureBytes = Base64.getDecoder().decode(signatures.get(0).signature());
        KeyFactory kf = KeyFactory.getInstance("Ed25519");
        publicKey = kf.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(key.publicKeyBase64())));
        privateKey = kf.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(Base64.getDecoder().decode(key.privateKeyBase64())));
        if (!trustPolicyCheck().satisfied() || !rawEd25519Verify()) {
            throw new IllegalStateException("the benchmark's signature does not verify");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        registry.close();
    }

    @Benchmark
    public TrustCheck trustPolicyCheck() {
        return policy.check(Stage.PRODUCTION, version, signatures);
    }

    @Benchmark
    public boolean rawEd25519Verify() throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(publicKey);
        s.update(manifestBytes);
        return s.verify(signatureBytes);
    }

    @Benchmark
    public byte[] signManifest() {
        return key.sign(VersionManifest.of(version));
    }

    @Benchmark
    public byte[] rawEd25519Sign() throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(privateKey);
        s.update(manifestBytes);
        return s.sign();
    }
}
