package dev.modelregistry.testkit.contract;

import dev.modelregistry.ApprovalRecorded;
import dev.modelregistry.ArtifactRef;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.EventStore;
import dev.modelregistry.Evaluation;
import dev.modelregistry.EvaluationRecorded;
import dev.modelregistry.GateOutcome;
import dev.modelregistry.GateReport;
import dev.modelregistry.GateResult;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelCreated;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.PromotionRequested;
import dev.modelregistry.Registration;
import dev.modelregistry.RegistryEvent;
import dev.modelregistry.RequestClosed;
import dev.modelregistry.SemVer;
import dev.modelregistry.Sha256;
import dev.modelregistry.Signature;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.StageChanged;
import dev.modelregistry.VersionRegistered;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One model's log as a writer builds it for {@link EventStoreContractTests}: entries made through
 * the public API (the event records, {@link Registration}) and sealed with {@link LogEntry#seal}, as
 * the core's commit loop seals them, numbered on from the log's end and chained onto its last hash.
 */
public final class SealedLog {
    /** When the entries happen, give or take their sequence number in seconds. */
    public static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private final ModelName model;
    private final List<LogEntry> entries = new ArrayList<>();

    public SealedLog(ModelName model) {
        this.model = model;
    }

    public ModelName model() {
        return model;
    }

    public long end() {
        return entries.size();
    }

    public List<LogEntry> entries() {
        return List.copyOf(entries);
    }

    /** The entries {@code events} would be after the end of this log, sealed but not appended. */
    public List<LogEntry> next(String principal, RegistryEvent... events) {
        List<LogEntry> out = new ArrayList<>();
        Sha256 prev = entries.isEmpty() ? LogEntry.GENESIS : entries.get(entries.size() - 1).hash();
        long sequence = end();
        for (RegistryEvent e : events) {
            sequence++;
            LogEntry entry = LogEntry.seal(model, sequence, T0.plusSeconds(sequence).plusNanos(sequence * 1001),
                    principal, "entry " + sequence, prev, e);
            out.add(entry);
            prev = entry.hash();
        }
        return out;
    }

    /** Appends {@code events} as one batch to {@code store}, expecting the log to end where this one does. */
    public List<LogEntry> appendTo(EventStore store, RegistryEvent... events) {
        List<LogEntry> batch = next("alice", events);
        store.append(model, end(), batch);
        entries.addAll(batch);
        return batch;
    }

    /** Takes {@code batch} (which some store accepted) as the new end of this log. */
    public void accepted(List<LogEntry> batch) {
        entries.addAll(batch);
    }

    /** {@code batch} sealed again as if it followed a log ending just before {@code firstSequence}: what a confused writer would append. */
    public static List<LogEntry> renumbered(List<LogEntry> batch, long firstSequence) {
        List<LogEntry> out = new ArrayList<>();
        for (LogEntry e : batch) {
            out.add(LogEntry.seal(e.model(), firstSequence + out.size(), e.time(), e.principal(), e.reason(), e.prevHash(), e.event()));
        }
        return out;
    }

    /** A version with nothing but its number, registered by alice at {@link #T0}. */
    public static VersionRegistered registered(ModelName model, String version) {
        return new VersionRegistered(Registration.of(model.value()).build().toVersion(SemVer.parse(version), "alice", T0, List.of()));
    }

    /**
     * A log with every kind of entry a store keeps, and values that serialisers like to lose: empty
     * strings inside maps (a label, a training-run parameter, a hyperparameter), an empty list and an
     * empty object as hyperparameters, -0.0, a pre-release with build metadata, nanoseconds.
     */
    public static List<RegistryEvent> richHistory(ModelName model) {
        Sha256 weights = Sha256.digest("weights".getBytes(StandardCharsets.UTF_8));
        SemVer rc = SemVer.parse("1.0.0-rc.1+build.5");
        ModelVersion rich = Registration.of(model.value())
                .tag("first-cut")
                .framework("tribuo", "4.3.1")
                .hyperparameter("learningRate", 0.05)
                .hyperparameter("layers", List.of())
                .hyperparameter("optimizer", Map.of())
                .hyperparameter("note", "")
                .hyperparameter("schedule", Map.of("steps", List.of(), "name", "", "warmup", List.of(1, 2)))
                .signature(Signature.of(List.of(Signature.Field.of("amount", "double"), Signature.Field.withDefault("country", "string")),
                        List.of(Signature.Field.of("score", "double"))))
                .metric("auc", 0.91)
                .metric("bias", -0.0)
                .code("https://example.org/repo", "3f2c1e0", "train.py")
                .containerImage("sha256:" + "a".repeat(64))
                .environmentFile("env/conda.yaml")
                .trainingRun("run-42", T0, T0.plusSeconds(3600), Map.of("epochs", "10", "blank", ""))
                .dataset(DatasetRef.gitCommit("s3://data/transactions", "3f2c1e0"))
                .dataset(DatasetRef.unversioned("s3://data/raw"))
                .evaluationSet(DatasetRef.deltaVersion("s3://data/holdout", 7))
                .parent("base-model", SemVer.parse("2.0.0"), "fine-tune")
                .description("Gradient-boosted \"fraud\" model \u2014 na\u00efve \u2603\n2nd line")
                .label("team", "risk")
                .label("empty", "")
                .build()
                .toVersion(rc, "alice", T0.plusNanos(123_456_789), List.of(
                        new ArtifactRef("model.bin", URI.create("memory:sha256/" + weights.hex()), weights, 7, "application/octet-stream"),
                        new ArtifactRef("empty.txt", URI.create("memory:sha256/e3b0"), Sha256.digest(new byte[0]), 0, "text/plain")));
        ModelVersion plain = Registration.of(model.value()).tag("champion").build()
                .toVersion(SemVer.parse("1.1.0"), "bob", T0.plusSeconds(1), List.of());
        GateReport passed = new GateReport(Stage.NONE, Stage.STAGING, List.of(
                new GateResult("auc-floor", "metric-threshold", GateOutcome.PASSED, List.of(), Map.of("auc", 0.91, "zero", -0.0))));
        GateReport pending = new GateReport(Stage.NONE, Stage.STAGING, List.of(
                new GateResult("qa-sign-off", "manual-approval", GateOutcome.PENDING, List.of("", "needs 1 approval by qa"), Map.of())));
        GateReport failed = new GateReport(Stage.NONE, Stage.STAGING, List.of(
                new GateResult("qa-sign-off", "manual-approval", GateOutcome.FAILED, List.of("rejected by maria"), null)));
        return List.of(
                new ModelCreated(model),
                new VersionRegistered(rich),
                new VersionRegistered(plain),
                new StageChanged(rc, Stage.NONE, Stage.STAGING, StageChange.Kind.PROMOTION, passed, null),
                new PromotionRequested(plain.version(), Stage.NONE, Stage.STAGING, pending),
                new ApprovalRecorded(5, true, "", Set.of(), pending),
                new ApprovalRecorded(5, false, "no \"way\"\n", Set.of("qa", "approver"), failed),
                new RequestClosed(5, PromotionRequest.Status.REJECTED, ""),
                new EvaluationRecorded(plain.version(), Evaluation.of(DatasetRef.deltaVersion("s3://data/holdout", 7), Map.of("auc", 0.5, "loss", -0.0))),
                new StageChanged(rc, Stage.STAGING, Stage.PRODUCTION, StageChange.Kind.PROMOTION, new GateReport(Stage.STAGING, Stage.PRODUCTION, List.of()), 5L));
    }
}
