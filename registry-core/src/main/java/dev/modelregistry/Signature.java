package dev.modelregistry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The input and output signature of a model: named, typed fields. The registry compares the
 * signatures of consecutive versions to decide how large a version bump has to be (see
 * {@link #requiredBump(Signature, Signature)}).
 *
 * @param inputs  the features the model reads, in order
 * @param outputs what the model produces, in order
 */
public record Signature(List<Field> inputs, List<Field> outputs) {
    static final int MAX_FIELDS = 10_000;

    /** An undeclared signature: nothing is known, so nothing constrains the next version. */
    public static final Signature UNDECLARED = new Signature(List.of(), List.of());

    /**
     * One input or output.
     *
     * @param name       the feature or output name
     * @param type       a free-form type name such as {@code double}, {@code string} or {@code float32[?,128]}
     * @param hasDefault whether callers may omit it (adding such an input is a compatible change)
     */
    public record Field(String name, String type, boolean hasDefault) {
        public Field {
            if (name == null || name.isEmpty() || name.length() > 256) {
                throw new ValidationException("Invalid field name " + Names.quote(name) + ": must be 1-256 characters");
            }
            Names.checkText("field name", name, 256);
            if (type == null || type.isBlank()) {
                throw new ValidationException("Invalid type " + Names.quote(type) + " for field " + Names.quote(name) + ": must not be blank");
            }
            Names.checkText("field type", type, 256);
        }

        public static Field of(String name, String type) {
            return new Field(name, type, false);
        }

        public static Field withDefault(String name, String type) {
            return new Field(name, type, true);
        }
    }

    public Signature {
        inputs = checked("input", inputs);
        outputs = checked("output", outputs);
    }

    public static Signature of(List<Field> inputs, List<Field> outputs) {
        return new Signature(inputs, outputs);
    }

    public boolean isDeclared() {
        return !inputs.isEmpty() || !outputs.isEmpty();
    }

    private static List<Field> checked(String kind, List<Field> fields) {
        if (fields == null) {
            return List.of();
        }
        if (fields.size() > MAX_FIELDS) {
            throw new MetadataTooLargeException("Signature has " + fields.size() + " " + kind + "s; the limit is " + MAX_FIELDS);
        }
        Set<String> seen = new HashSet<>();
        for (Field f : fields) {
            if (f == null) {
                throw new ValidationException("Signature " + kind + " list contains null");
            }
            if (!seen.add(f.name())) {
                throw new ValidationException("Duplicate " + kind + " " + Names.quote(f.name()) + " in signature");
            }
        }
        return List.copyOf(fields);
    }

    /** What changed between two signatures and the smallest bump that change requires. */
    public record Change(Bump requiredBump, List<String> breaking, List<String> compatible) {
        public Change {
            breaking = List.copyOf(breaking);
            compatible = List.copyOf(compatible);
        }
    }

    /**
     * Compares {@code previous} to {@code next}: a removed or retyped input or output, or an added
     * input without a default, breaks callers (MAJOR); added inputs with defaults and added outputs
     * are compatible additions (MINOR); anything else is a PATCH. When either side is undeclared the
     * change is unknown and nothing is required beyond a PATCH.
     */
    public static Change compare(Signature previous, Signature next) {
        List<String> breaking = new ArrayList<>();
        List<String> compatible = new ArrayList<>();
        if (previous.isDeclared() && next.isDeclared()) {
            diff("input", previous.inputs, next.inputs, true, breaking, compatible);
            diff("output", previous.outputs, next.outputs, false, breaking, compatible);
        }
        Bump required = !breaking.isEmpty() ? Bump.MAJOR : !compatible.isEmpty() ? Bump.MINOR : Bump.PATCH;
        return new Change(required, breaking, compatible);
    }

    /** Shorthand for {@code compare(previous, next).requiredBump()}. */
    public static Bump requiredBump(Signature previous, Signature next) {
        return compare(previous, next).requiredBump();
    }

    private static void diff(String kind, List<Field> before, List<Field> after, boolean isInput,
                             List<String> breaking, List<String> compatible) {
        Map<String, Field> old = index(before);
        Map<String, Field> now = index(after);
        for (Field f : before) {
            Field g = now.get(f.name());
            if (g == null) {
                breaking.add(kind + " \"" + f.name() + "\" removed");
            } else if (!g.type().equals(f.type())) {
                breaking.add(kind + " \"" + f.name() + "\" retyped from " + f.type() + " to " + g.type());
            } else if (isInput && f.hasDefault() && !g.hasDefault()) {
                breaking.add(kind + " \"" + f.name() + "\" lost its default");
            }
        }
        for (Field g : after) {
            if (old.containsKey(g.name())) {
                continue;
            }
            if (isInput && !g.hasDefault()) {
                breaking.add(kind + " \"" + g.name() + "\" added without a default");
            } else {
                compatible.add(kind + " \"" + g.name() + "\" added");
            }
        }
    }

    private static Map<String, Field> index(List<Field> fields) {
        Map<String, Field> map = new LinkedHashMap<>();
        for (Field f : fields) {
            map.put(f.name(), f);
        }
        return map;
    }
}
