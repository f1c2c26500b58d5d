package dev.modelregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What changed from one version to another, field group by field group: hyperparameters, signature,
 * dataset snapshots, evaluation sets, parents, training run, code, container image, environment file,
 * framework, runtime, artifacts and labels. It answers "why do these two versions behave differently"
 * before anyone looks at metrics.
 *
 * <p>The signature is judged by {@link Signature#compare}, the same rule the registry uses to decide a
 * version bump, so the diff and the registry never disagree on what is breaking. Other groups are listed
 * as {@link Change}s. A dataset at a new version of the same URI is one {@code CHANGED} entry keyed by the
 * URI, not an unrelated removal and addition.
 */
public final class VersionDiff {
    /** The field groups a diff reports, in report order. */
    public enum Group {
        HYPERPARAMETERS, SIGNATURE, DATASETS, EVALUATION_SETS, PARENTS, TRAINING_RUN, CODE, CONTAINER_IMAGE,
        ENVIRONMENT_FILE, FRAMEWORK, RUNTIME, ARTIFACTS, LABELS;

        /** Lower-case words, e.g. {@code evaluation sets}. */
        public String title() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /** Whether a key appeared, disappeared or changed value. */
    public enum Kind { ADDED, REMOVED, CHANGED }

    /**
     * One changed key.
     *
     * @param group  the field group
     * @param key    the key within the group: a hyperparameter or label name, a dataset id or URI, an
     *               artifact name, {@code commit}, {@code os}, …
     * @param kind   added, removed or changed
     * @param before the old value as text, empty when added
     * @param after  the new value as text, empty when removed
     */
    public record Change(Group group, String key, Kind kind, String before, String after) {
        public Change {
            if (group == null || key == null || kind == null) {
                throw new ValidationException("A change needs a group, a key and a kind");
            }
            before = before == null ? "" : before;
            after = after == null ? "" : after;
        }
    }

    private final String from;
    private final String to;
    private final List<Change> changes;
    private final Signature.Change signature;

    private VersionDiff(String from, String to, List<Change> changes, Signature.Change signature) {
        this.from = from;
        this.to = to;
        this.changes = List.copyOf(changes);
        this.signature = signature;
    }

    /** The differences from {@code a} to {@code b} (typically the previous version and the next). */
    public static VersionDiff of(ModelVersion a, ModelVersion b) {
        if (a == null || b == null) {
            throw new ValidationException("A version diff needs two versions, got " + a + " and " + b);
        }
        List<Change> out = new ArrayList<>();
        Provenance pa = a.provenance();
        Provenance pb = b.provenance();
        maps(out, Group.HYPERPARAMETERS, json(a.hyperparameters()), json(b.hyperparameters()));
        Signature.Change sig = Signature.compare(a.signature(), b.signature());
        if (!a.signature().equals(b.signature()) && sig.breaking().isEmpty() && sig.compatible().isEmpty()) {
            scalar(out, Group.SIGNATURE, "signature", describe(a.signature()), describe(b.signature()));
        }
        datasets(out, Group.DATASETS, pa.datasets(), pb.datasets());
        datasets(out, Group.EVALUATION_SETS, pa.evaluationSets(), pb.evaluationSets());
        maps(out, Group.PARENTS, parents(pa), parents(pb));
        scalar(out, Group.TRAINING_RUN, "id", pa.run().id(), pb.run().id());
        maps(out, Group.TRAINING_RUN, prefixed("parameter.", pa.run().parameters()), prefixed("parameter.", pb.run().parameters()));
        scalar(out, Group.CODE, "repository", pa.code().repository(), pb.code().repository());
        scalar(out, Group.CODE, "commit", pa.code().commit(), pb.code().commit());
        scalar(out, Group.CODE, "script", pa.code().scriptPath(), pb.code().scriptPath());
        scalar(out, Group.CONTAINER_IMAGE, "digest", pa.containerImageDigest(), pb.containerImageDigest());
        scalar(out, Group.ENVIRONMENT_FILE, "file", pa.environmentFile(), pb.environmentFile());
        scalar(out, Group.FRAMEWORK, "framework", a.framework(), b.framework());
        scalar(out, Group.FRAMEWORK, "version", a.frameworkVersion(), b.frameworkVersion());
        scalar(out, Group.RUNTIME, "java", pa.runtime().javaVersion(), pb.runtime().javaVersion());
        scalar(out, Group.RUNTIME, "os", pa.runtime().os(), pb.runtime().os());
        scalar(out, Group.RUNTIME, "arch", pa.runtime().arch(), pb.runtime().arch());
        artifacts(out, a.artifacts(), b.artifacts());
        maps(out, Group.LABELS, a.labels(), b.labels());
        return new VersionDiff(a.toString(), b.toString(), out, sig);
    }

    /** The older side, {@code model@version}. */
    public String from() {
        return from;
    }

    /** The newer side, {@code model@version}. */
    public String to() {
        return to;
    }

    /** Every change outside the signature's classification, in group order, then key order. */
    public List<Change> changes() {
        return changes;
    }

    /** The changes of one group. */
    public List<Change> changes(Group group) {
        return changes.stream().filter(c -> c.group() == group).toList();
    }

    /** The signature judged by {@link Signature#compare}: required bump, breaking and compatible changes. */
    public Signature.Change signature() {
        return signature;
    }

    /** True when nothing the diff looks at changed. */
    public boolean isEmpty() {
        return changes.isEmpty() && signature.breaking().isEmpty() && signature.compatible().isEmpty();
    }

    /** A plain-text list: one block per changed group, {@code +} added, {@code -} removed, {@code ~} changed. */
    public String toText() {
        StringBuilder out = new StringBuilder("Differences from ").append(from).append(" to ").append(to).append('\n');
        if (isEmpty()) {
            return out.append("  none\n").toString();
        }
        for (Group g : Group.values()) {
            List<Change> group = changes(g);
            boolean sig = g == Group.SIGNATURE && hasSignatureItems();
            if (group.isEmpty() && !sig) {
                continue;
            }
            out.append(g.title());
            if (sig) {
                out.append(" (requires a ").append(signature.requiredBump()).append(" bump)");
            }
            out.append('\n');
            if (g == Group.SIGNATURE) {
                signature.breaking().forEach(s -> out.append("  ! ").append(Render.oneLine(s)).append(" (breaking)\n"));
                signature.compatible().forEach(s -> out.append("  + ").append(Render.oneLine(s)).append(" (compatible)\n"));
            }
            for (Change c : group) {
                out.append("  ").append(symbol(c.kind())).append(' ').append(Render.oneLine(c.key())).append(": ");
                switch (c.kind()) {
                    case ADDED -> out.append(Render.oneLine(c.after()));
                    case REMOVED -> out.append(Render.oneLine(c.before()));
                    case CHANGED -> out.append(Render.oneLine(c.before())).append(" -> ").append(Render.oneLine(c.after()));
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** GitHub Markdown: one table of changes, and the signature verdict as a list. */
    public String toMarkdown() {
        StringBuilder out = new StringBuilder("### Differences from ").append(Render.markdownCell(from)).append(" to ")
                .append(Render.markdownCell(to)).append("\n\n");
        if (isEmpty()) {
            return out.append("None.\n").toString();
        }
        if (hasSignatureItems()) {
            out.append("Signature (requires a ").append(signature.requiredBump()).append(" bump):\n\n");
            signature.breaking().forEach(s -> out.append("- **breaking**: ").append(Render.markdownCell(s)).append('\n'));
            signature.compatible().forEach(s -> out.append("- compatible: ").append(Render.markdownCell(s)).append('\n'));
            out.append('\n');
        }
        if (!changes.isEmpty()) {
            List<List<String>> rows = changes.stream()
                    .map(c -> List.of(c.group().title(), c.key(), c.kind().name().toLowerCase(Locale.ROOT), c.before(), c.after()))
                    .toList();
            out.append(Render.markdownTable(List.of("group", "key", "change", "before", "after"), rows,
                    new boolean[] {false, false, false, false, false}));
        }
        return out.toString();
    }

    /** JSON with sorted keys: {@code from}, {@code to}, {@code empty}, {@code signature}, {@code changes}. */
    public String toJson() {
        ObjectNode root = Render.object();
        root.put("from", from);
        root.put("to", to);
        root.put("empty", isEmpty());
        ObjectNode sig = root.putObject("signature");
        sig.put("requiredBump", signature.requiredBump().name());
        ArrayNode breaking = sig.putArray("breaking");
        signature.breaking().forEach(breaking::add);
        ArrayNode compatible = sig.putArray("compatible");
        signature.compatible().forEach(compatible::add);
        ArrayNode list = root.putArray("changes");
        for (Change c : changes) {
            ObjectNode n = list.addObject();
            n.put("group", c.group().name());
            n.put("key", c.key());
            n.put("kind", c.kind().name());
            n.put("before", c.before());
            n.put("after", c.after());
        }
        return Render.json(root);
    }

    @Override
    public String toString() {
        return toText();
    }

    private boolean hasSignatureItems() {
        return !signature.breaking().isEmpty() || !signature.compatible().isEmpty();
    }

    private static char symbol(Kind kind) {
        return switch (kind) {
            case ADDED -> '+';
            case REMOVED -> '-';
            case CHANGED -> '~';
        };
    }

    private static void scalar(List<Change> out, Group group, String key, String before, String after) {
        if (before.equals(after)) {
            return;
        }
        Kind kind = before.isEmpty() ? Kind.ADDED : after.isEmpty() ? Kind.REMOVED : Kind.CHANGED;
        out.add(new Change(group, key, kind, before, after));
    }

    private static void maps(List<Change> out, Group group, Map<String, String> before, Map<String, String> after) {
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String k : keys) {
            String b = before.get(k);
            String a = after.get(k);
            if (b == null) {
                out.add(new Change(group, k, Kind.ADDED, "", a));
            } else if (a == null) {
                out.add(new Change(group, k, Kind.REMOVED, b, ""));
            } else if (!a.equals(b)) {
                out.add(new Change(group, k, Kind.CHANGED, b, a));
            }
        }
    }

    private static Map<String, String> json(Map<String, JsonNode> values) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, v.toString()));
        return out;
    }

    private static Map<String, String> prefixed(String prefix, Map<String, String> values) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }

    private static Map<String, String> parents(Provenance p) {
        Map<String, String> out = new TreeMap<>();
        p.parents().forEach(r -> out.put(r.model() + "@" + r.version(), r.relation()));
        return out;
    }

    /**
     * Snapshots by id: same id with another content hash or query is CHANGED under the id; of the rest,
     * a URI with exactly one snapshot gone and one new is CHANGED under the URI (new version of the same
     * data); everything else is ADDED or REMOVED under its id.
     */
    private static void datasets(List<Change> out, Group group, List<DatasetRef> before, List<DatasetRef> after) {
        Map<String, DatasetRef> b = byId(before);
        Map<String, DatasetRef> a = byId(after);
        Map<String, List<DatasetRef>> gone = new TreeMap<>();
        Map<String, List<DatasetRef>> added = new TreeMap<>();
        List<Change> changes = new ArrayList<>();
        for (DatasetRef d : b.values()) {
            DatasetRef now = a.get(d.id());
            if (now == null) {
                gone.computeIfAbsent(d.uri(), k -> new ArrayList<>()).add(d);
            } else if (!now.equals(d)) {
                changes.add(new Change(group, d.id(), Kind.CHANGED, describe(d), describe(now)));
            }
        }
        for (DatasetRef d : a.values()) {
            if (!b.containsKey(d.id())) {
                added.computeIfAbsent(d.uri(), k -> new ArrayList<>()).add(d);
            }
        }
        TreeSet<String> uris = new TreeSet<>(gone.keySet());
        uris.addAll(added.keySet());
        for (String uri : uris) {
            List<DatasetRef> g = gone.getOrDefault(uri, List.of());
            List<DatasetRef> n = added.getOrDefault(uri, List.of());
            if (g.size() == 1 && n.size() == 1) {
                changes.add(new Change(group, uri, Kind.CHANGED, version(g.get(0)), version(n.get(0))));
                continue;
            }
            g.forEach(d -> changes.add(new Change(group, d.id(), Kind.REMOVED, describe(d), "")));
            n.forEach(d -> changes.add(new Change(group, d.id(), Kind.ADDED, "", describe(d))));
        }
        changes.sort((x, y) -> x.key().compareTo(y.key()));
        out.addAll(changes);
    }

    private static Map<String, DatasetRef> byId(List<DatasetRef> refs) {
        Map<String, DatasetRef> out = new LinkedHashMap<>();
        refs.forEach(d -> out.put(d.id(), d));
        return out;
    }

    private static String version(DatasetRef d) {
        return d.version().isEmpty() ? "(unversioned)" : d.version();
    }

    private static String describe(DatasetRef d) {
        StringBuilder s = new StringBuilder(d.id());
        if (!d.contentHash().isEmpty()) {
            s.append(" sha256:").append(d.contentHash());
        }
        if (!d.query().isEmpty()) {
            s.append(" query: ").append(d.query());
        }
        return s.toString();
    }

    private static String describe(Signature s) {
        if (!s.isDeclared()) {
            return "(undeclared)";
        }
        return "inputs " + fields(s.inputs()) + ", outputs " + fields(s.outputs());
    }

    private static String fields(List<Signature.Field> fields) {
        return fields.stream().map(f -> f.name() + ":" + f.type() + (f.hasDefault() ? "=default" : ""))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static void artifacts(List<Change> out, List<ArtifactRef> before, List<ArtifactRef> after) {
        Map<String, ArtifactRef> b = new TreeMap<>();
        before.forEach(x -> b.put(x.name(), x));
        Map<String, ArtifactRef> a = new TreeMap<>();
        after.forEach(x -> a.put(x.name(), x));
        TreeSet<String> names = new TreeSet<>(b.keySet());
        names.addAll(a.keySet());
        for (String name : names) {
            ArtifactRef x = b.get(name);
            ArtifactRef y = a.get(name);
            if (x == null) {
                out.add(new Change(Group.ARTIFACTS, name, Kind.ADDED, "", artifact(y)));
            } else if (y == null) {
                out.add(new Change(Group.ARTIFACTS, name, Kind.REMOVED, artifact(x), ""));
            } else if (!x.sha256().equals(y.sha256()) || x.size() != y.size() || !x.mediaType().equals(y.mediaType())) {
                out.add(new Change(Group.ARTIFACTS, name, Kind.CHANGED, artifact(x), artifact(y)));
            }
        }
    }

    private static String artifact(ArtifactRef a) {
        return "sha256:" + a.sha256().hex() + " " + a.size() + " bytes " + a.mediaType();
    }
}
