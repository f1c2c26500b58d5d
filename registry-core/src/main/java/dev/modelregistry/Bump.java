package dev.modelregistry;

/**
 * How the registry chooses the version of a new registration when the caller does not name one.
 * {@link #MAJOR}, {@link #MINOR} and {@link #PATCH} increment the highest existing version with
 * node-semver's {@code inc} semantics; {@link #AUTO} derives the increment from how the input/output
 * signature changed against that version.
 */
public enum Bump {
    PATCH,
    MINOR,
    MAJOR,
    AUTO;

    /** True when this bump is at least as large as {@code other} (PATCH &lt; MINOR &lt; MAJOR). */
    public boolean covers(Bump other) {
        return ordinal() >= other.ordinal();
    }

    public SemVer apply(SemVer current) {
        return switch (this) {
            case MAJOR -> current.nextMajor();
            case MINOR -> current.nextMinor();
            case PATCH -> current.nextPatch();
            case AUTO -> throw new IllegalStateException("AUTO is resolved to a concrete bump first");
        };
    }
}
