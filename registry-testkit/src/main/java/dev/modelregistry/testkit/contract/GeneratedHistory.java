package dev.modelregistry.testkit.contract;

import dev.modelregistry.AlreadyExistsException;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.GateSpec;
import dev.modelregistry.IllegalTransitionException;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.StateConflictException;
import dev.modelregistry.ValidationException;
import dev.modelregistry.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * A varied history written through the public API, reproducible from fixed seeds, for comparing a
 * store's index answers with the core's fold of the same logs. Three parts, each aimed at one index:
 *
 * <ul>
 *   <li>{@link #VERSIONED}: 90 random versions each (pre-releases, build metadata), with labels
 *       (one with an empty value), metrics (ties, 0.0 and -0.0) and tags, creation times that tie,
 *       then 120 random promotions, archivals and rollbacks, the refused ones included;</li>
 *   <li>{@link #LINEAGE}: chains of derived versions across and within models, several parents,
 *       shared datasets, evaluation sets that are also training sets, code commits shared by
 *       several scripts, runs, images, environments, and versions in every stage;</li>
 *   <li>{@link #REQUESTS}: under a policy where entering Staging waits for one approval by
 *       {@code qa} and entering Production for two by {@code approver}, requests open with and
 *       without decisions, and closed every way (rejected, completed, withdrawn, closed because the
 *       candidate moved).</li>
 * </ul>
 */
public final class GeneratedHistory {
    public static final List<String> VERSIONED = List.of("fraud", "churn");
    public static final List<String> LINEAGE = List.of("zeta-base", "alpha-distilled", "mid-tuned", "beta-ensemble", "omega");
    public static final List<String> REQUESTS = List.of("m0", "m1", "m2", "m3", "m4");
    /** The dataset snapshot most versions were trained on. */
    public static final DatasetRef SHARED = DatasetRef.gitCommit("s3://lake/transactions", "3f2c1e0");

    static final Principal ALICE = Principal.of("alice", "data-scientist");
    static final Principal MARIA = Principal.of("maria", "approver", "qa");
    static final Principal LI = Principal.of("li", "approver", "qa");
    private static final Principal ROOT = Principal.of("root", "admin");

    private final ModelRegistry writer;
    private final ManualClock clock;
    private final List<String> tags = new ArrayList<>();

    private GeneratedHistory(ModelRegistry writer, ManualClock clock) {
        this.writer = writer;
        this.clock = clock;
    }

    /** Writes the whole history through {@code writer}, whose clock is {@code clock}. */
    public static GeneratedHistory write(ModelRegistry writer, ManualClock clock) {
        GeneratedHistory h = new GeneratedHistory(writer, clock);
        Random random = new Random(11);
        for (String model : VERSIONED) {
            h.versions(model, random);
        }
        h.lineage(new Random(5));
        writeRequests(writer);
        return h;
    }

    /** Every model the history writes to. */
    public static List<String> models() {
        List<String> all = new ArrayList<>(VERSIONED);
        all.addAll(LINEAGE);
        all.addAll(REQUESTS);
        return all;
    }

    /** Every tag given to a version. */
    public List<String> tags() {
        return List.copyOf(tags);
    }

    private void versions(String model, Random random) {
        TreeSet<SemVer> used = new TreeSet<>();
        while (used.size() < 90) {
            SemVer v = randomVersion(random);
            if (!used.add(v)) {
                continue;
            }
            // Ties in creation time and in metric values exercise the version tie-break.
            clock.advance(Duration.ofSeconds(random.nextInt(3)));
            Registration.Builder r = Registration.of(model).version(v)
                    .label("team", List.of("risk", "growth", "o'brien").get(random.nextInt(3)))
                    .metric("auc", List.of(0.5, 0.75, 0.9, 0.0, -0.0, -1.5).get(random.nextInt(6)));
            if (random.nextBoolean()) {
                r.metric("latency", random.nextInt(5));
                r.label("region", random.nextBoolean() ? "eu" : "us");
            }
            if (random.nextInt(4) == 0) {
                r.label("note", "");
            }
            if (random.nextInt(5) == 0) {
                String tag = "champion-" + model + "-" + used.size();
                r.tag(tag);
                tags.add(tag);
            }
            try {
                writer.register(ALICE, r.build());
            } catch (AlreadyExistsException e) {
                // Equal in precedence to one already registered (only the build metadata differs).
                used.remove(v);
            }
        }
        List<SemVer> versions = new ArrayList<>(used);
        for (int i = 0; i < 120; i++) {
            SemVer v = versions.get(random.nextInt(versions.size()));
            Stage to = List.of(Stage.STAGING, Stage.PRODUCTION, Stage.ARCHIVED).get(random.nextInt(3));
            clock.advance(Duration.ofSeconds(1));
            try {
                if (random.nextInt(10) == 0) {
                    writer.rollback(ALICE, model, Stage.PRODUCTION, "");
                } else {
                    writer.promote(ALICE, model, v, to, "");
                }
            } catch (IllegalTransitionException | StateConflictException e) {
                // Not every random move is allowed; the refused ones change nothing.
            }
        }
        // Whatever the random moves did: two versions through Production in turn, and a rollback.
        List<SemVer> live = versions.stream()
                .filter(v -> writer.stageOf(model, v) == Stage.NONE || writer.stageOf(model, v) == Stage.STAGING).limit(2).toList();
        for (SemVer v : live) {
            clock.advance(Duration.ofSeconds(1));
            if (writer.stageOf(model, v) == Stage.NONE) {
                writer.promote(ALICE, model, v, Stage.STAGING, "");
            }
            writer.promote(ALICE, model, v, Stage.PRODUCTION, "");
        }
        writer.rollback(ALICE, model, Stage.PRODUCTION, "regression");
    }

    private void lineage(Random random) {
        List<DatasetRef> data = List.of(
                SHARED,
                DatasetRef.gitCommit("s3://lake/transactions", "bad0001"),
                DatasetRef.deltaVersion("s3://lake/holdout", 3),
                DatasetRef.deltaVersion("s3://lake/holdout", 4),
                DatasetRef.icebergSnapshot("s3://lake/clicks", 77),
                DatasetRef.unversioned("s3://lake/raw"));
        List<String[]> registered = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            for (String model : LINEAGE) {
                SemVer version = SemVer.of(1, round, 0);
                Registration.Builder r = Registration.of(model).version(version);
                int inputs = random.nextInt(3);
                for (int i = 0; i < inputs; i++) {
                    try {
                        r.dataset(data.get(random.nextInt(data.size())));
                    } catch (ValidationException duplicate) {
                        // drew the same snapshot twice
                    }
                }
                if (random.nextInt(3) == 0) {
                    r.evaluationSet(data.get(random.nextInt(5)));
                }
                if (random.nextInt(4) != 0) {
                    // Few commits, many scripts: a commit's label is the script of the first version (by
                    // model name, then version) that recorded it.
                    r.code("https://git.example/ml", "c" + random.nextInt(4), "train-" + model + "-" + round + ".py");
                }
                if (random.nextBoolean()) {
                    r.trainingRun("run-" + random.nextInt(10), null, null, Map.of());
                }
                if (random.nextInt(3) == 0) {
                    r.containerImage("sha256:" + "ab".repeat(31) + random.nextInt(3) + "0");
                }
                if (random.nextInt(4) == 0) {
                    r.environmentFile("envs/conda-" + random.nextInt(2) + ".lock");
                }
                int parents = registered.isEmpty() ? 0 : random.nextInt(3);
                for (int p = 0; p < parents; p++) {
                    String[] parent = registered.get(registered.size() - 1 - random.nextInt(Math.min(registered.size(), 8)));
                    try {
                        r.parent(parent[0], SemVer.parse(parent[1]), List.of("fine-tune", "distillation", "ensemble-member").get(p));
                    } catch (ValidationException duplicate) {
                        // drew the same parent twice
                    }
                }
                writer.register(ALICE, r.build());
                registered.add(new String[] {model, version.toString()});
            }
        }
        for (String[] v : registered) {
            int move = random.nextInt(5);
            SemVer version = SemVer.parse(v[1]);
            if (move >= 1) {
                writer.promote(ALICE, v[0], version, Stage.STAGING, "");
            }
            if (move >= 3) {
                writer.promote(ALICE, v[0], version, Stage.PRODUCTION, "");
            }
            if (move == 2) {
                writer.promote(ALICE, v[0], version, Stage.ARCHIVED, "");
            }
        }
    }

    /**
     * The third part alone, the same every time: the requests of {@link #REQUESTS} (three versions
     * each, trained on {@link #SHARED}, all but {@code m0}'s distilled from {@code m0@1.1.0}) and the
     * gate policy they wait on. Four requests stay open, one of them with a decision.
     */
    public static void writeRequests(ModelRegistry writer) {
        writer.setGatePolicy(ROOT, GatePolicy.builder()
                .transition(Stage.NONE, Stage.STAGING, new GateSpec.ManualApproval("qa-sign-off", 1, "qa", true, false))
                .transition(Stage.STAGING, Stage.PRODUCTION, new GateSpec.ManualApproval("release", 2, "approver", true, false))
                .build(), "two-step review");
        for (String model : REQUESTS) {
            for (int v = 1; v <= 3; v++) {
                Registration.Builder r = Registration.of(model).version("1." + v + ".0").dataset(SHARED)
                        .code("https://git.example/" + model, "c" + v, "train.py");
                if (v > 1) {
                    r.parent(model, SemVer.parse("1." + (v - 1) + ".0"), "fine-tune");
                }
                if (!model.equals("m0")) {
                    r.parent("m0", SemVer.parse("1.1.0"), "distillation");
                }
                writer.register(ALICE, r.build());
            }
        }
        // m0: 1.1.0 approved into Staging, then asked into Production with one of two approvals so far;
        // 1.2.0 asked into Staging.
        writer.approve(MARIA, request(writer, "m0", "1.1.0", Stage.STAGING).id(), "qa ok");
        writer.approve(MARIA, request(writer, "m0", "1.1.0", Stage.PRODUCTION).id(), "one of two");
        request(writer, "m0", "1.2.0", Stage.STAGING);
        // m1: rejected, completed, withdrawn.
        writer.reject(MARIA, request(writer, "m1", "1.1.0", Stage.STAGING).id(), "no");
        writer.approve(LI, request(writer, "m1", "1.2.0", Stage.STAGING).id(), "yes");
        writer.withdraw(ALICE, request(writer, "m1", "1.3.0", Stage.STAGING).id(), "found a bug");
        // m3: closed because the candidate was archived; another one open.
        request(writer, "m3", "1.1.0", Stage.STAGING);
        writer.promote(ALICE, "m3", SemVer.parse("1.1.0"), Stage.ARCHIVED, "superseded");
        request(writer, "m3", "1.2.0", Stage.STAGING);
        // m4: open, no decision yet.
        request(writer, "m4", "1.3.0", Stage.STAGING);
    }

    private static PromotionRequest request(ModelRegistry writer, String model, String version, Stage to) {
        return writer.promote(ALICE, model, SemVer.parse(version), to, "please").pendingRequest().orElseThrow();
    }

    /**
     * A random version from a small space, so that generated sets hold versions that differ only in
     * pre-release identifiers (numeric, alphanumeric, hyphens) or only in build metadata.
     */
    public static SemVer randomVersion(Random random) {
        StringBuilder sb = new StringBuilder()
                .append(random.nextInt(3)).append('.').append(random.nextInt(3)).append('.').append(random.nextInt(12));
        if (random.nextInt(3) > 0) {
            int ids = 1 + random.nextInt(3);
            sb.append('-');
            for (int i = 0; i < ids; i++) {
                if (i > 0) {
                    sb.append('.');
                }
                switch (random.nextInt(4)) {
                    case 0 -> sb.append(random.nextInt(3));
                    case 1 -> sb.append(random.nextInt(120));
                    case 2 -> sb.append(List.of("a", "b", "ab", "A", "-", "a-", "rc", "1a").get(random.nextInt(8)));
                    default -> sb.append(List.of("alpha", "beta", "0x", "z9").get(random.nextInt(4)));
                }
            }
        }
        if (random.nextInt(4) == 0) {
            sb.append("+build.").append(random.nextInt(5));
        }
        return SemVer.parse(sb.toString());
    }
}
