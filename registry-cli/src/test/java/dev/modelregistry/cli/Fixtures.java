package dev.modelregistry.cli;

import dev.modelregistry.AuditQuery;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionResult;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Signature;
import dev.modelregistry.Signature.Field;
import dev.modelregistry.Stage;
import dev.modelregistry.AccessPolicy;
import dev.modelregistry.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The registry the tests start from, built through the public API: fraud-detector 1.5.0 and 2.0.0
 * (a fine-tune of 1.5.0 on a newer snapshot), both evaluated on the holdout set, 2.0.0 in
 * Production after 1.5.0; fraud-distilled 1.0.0 distilled from 1.5.0; standard roles.
 */
final class Fixtures {
    static final String MODEL = "fraud-detector";
    static final DatasetRef HOLDOUT = DatasetRef.parse("s3://data/holdout@v3");
    static final DatasetRef SNAPSHOT_1 = DatasetRef.gitCommit("s3://data/transactions", "3f2c1e0");
    static final DatasetRef SNAPSHOT_2 = DatasetRef.gitCommit("s3://data/transactions", "77a0c4e");
    static final Principal ADMIN = Principal.of("platform-admin", "admin");
    static final Principal PIPELINE = Principal.of("training-pipeline", "data-scientist");

    private Fixtures() {
    }

    static void populate(ModelRegistry registry) {
        registry.setAccessPolicy(ADMIN, AccessPolicy.standardRoles(), "governed registry");
        ModelVersion v15 = registry.register(PIPELINE, Registration.of(MODEL).version("1.5.0")
                .tag("fraud-detector-2023-10-27").framework("tribuo", "4.3.1")
                .signature(Signature.of(List.of(Field.of("amount", "double"), Field.of("hour", "int")),
                        List.of(Field.of("fraud_probability", "double"))))
                .hyperparameter("learningRate", 0.05).metric("auc", 0.912)
                .artifact("model.bin", "application/octet-stream", "weights v1".getBytes(StandardCharsets.UTF_8))
                .dataset(SNAPSHOT_1).code("https://git.example.org/risk/fraud", "9b1d2aa", "train/Train.java")
                .modelCard(ModelCard.builder().intendedUse("Score card-not-present transactions.").limitations("Not for new merchants.").build())
                .reason("nightly retrain").build());
        ModelVersion v2 = registry.register(PIPELINE, Registration.of(MODEL).version("2.0.0")
                .signature(Signature.of(List.of(Field.of("amount", "double")), List.of(Field.of("fraud_probability", "double"))))
                .hyperparameter("learningRate", 0.03).metric("auc", 0.934)
                .artifact("model.bin", "application/octet-stream", "weights v2".getBytes(StandardCharsets.UTF_8))
                .dataset(SNAPSHOT_2).parent(MODEL, v15.version(), "fine-tune").reason("new feature set").build());
        registry.recordEvaluation(PIPELINE, MODEL, v15.version(), evaluation(0.912, 0.84, 0.83, 21), "holdout");
        registry.recordEvaluation(PIPELINE, MODEL, v2.version(), evaluation(0.934, 0.70, 0.85, 24), "holdout");
        registry.register(PIPELINE, Registration.of("fraud-distilled").version("1.0.0")
                .dataset(SNAPSHOT_1).parent(MODEL, v15.version(), "distillation").build());
        Principal releaser = Principal.of("release-bot", "release-manager");
        for (ModelVersion v : List.of(v15, v2)) {
            registry.promote(releaser, MODEL, v.version(), Stage.STAGING, "offline eval passed");
            PromotionResult r = registry.promote(releaser, MODEL, v.version(), Stage.PRODUCTION, "release");
            if (!r.applied()) {
                throw new IllegalStateException("fixture promotion did not apply: " + r.report().summary());
            }
        }
        registry.promote(releaser, "fraud-distilled", SemVer.parse("1.0.0"), Stage.STAGING, "try");
        registry.promote(releaser, "fraud-distilled", SemVer.parse("1.0.0"), Stage.PRODUCTION, "ship");
    }

    static Evaluation evaluation(double auc, double tprFemale, double tprMale, double p99) {
        return new Evaluation(HOLDOUT, Map.of("auc", auc),
                Map.of("gender:female", Map.of("tpr", tprFemale), "gender:male", Map.of("tpr", tprMale)),
                Map.of("latency_p99_ms", p99));
    }

    /** Every entry's hash, in audit order: equal lists mean nothing was written. */
    static List<String> trail(ModelRegistry registry) {
        return registry.audit(AuditQuery.all()).stream().map(LogEntry::hash).map(Object::toString).toList();
    }
}
