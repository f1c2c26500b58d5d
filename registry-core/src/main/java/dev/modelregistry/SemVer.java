package dev.modelregistry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable <a href="https://semver.org/spec/v2.0.0.html">SemVer 2.0.0</a> version such as
 * {@code 1.4.0-rc.2+build.7}.
 *
 * <p>Ordering is SemVer precedence. Build metadata is kept (and printed by {@link #toString()}) but
 * takes no part in precedence nor in {@link #equals(Object)}: two versions equal in precedence are
 * the same registry version, so {@code compareTo} is consistent with {@code equals} and a sorted set
 * of versions never holds {@code 1.0.0+a} and {@code 1.0.0+b} side by side.
 *
 * <p>Major, minor and patch are limited to {@code int}; pre-release numeric identifiers may be of
 * any length and are compared numerically without being converted.
 */
public final class SemVer implements Comparable<SemVer> {

    /** The longest text {@link #parse(String)} accepts, as in node-semver. */
    public static final int MAX_LENGTH = 256;

    private static final String EXPECTED_FORM = "expected MAJOR.MINOR.PATCH (SemVer 2.0.0)";
    private static final List<String> LOWEST_PRE_RELEASE = List.of("0");

    private final int major;
    private final int minor;
    private final int patch;
    private final List<String> preRelease;
    private final List<String> build;
    private final String text;
    private final int hash;

    private SemVer(int major, int minor, int patch, List<String> preRelease, List<String> build,
            String text) {
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.preRelease = preRelease;
        this.build = build;
        this.text = text != null ? text : format(major, minor, patch, preRelease, build);
        this.hash = 31 * (31 * (31 * major + minor) + patch) + preRelease.hashCode();
    }

    /**
     * Parses strict SemVer 2.0.0 text, optionally prefixed with {@code v} ({@code v1.2.5}), so that
     * every version the registry stores has exactly one canonical spelling.
     *
     * <p>Refused: surrounding whitespace, fewer or more than three numeric parts, leading zeros in
     * numeric identifiers, empty identifiers, characters outside {@code [0-9A-Za-z-]}, major, minor
     * or patch above {@link Integer#MAX_VALUE}, and text longer than {@link #MAX_LENGTH}.
     *
     * @param text the version text
     * @return the version; never null
     * @throws InvalidVersionException if {@code text} is null or not a valid version; the message
     *     quotes the text
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static SemVer parse(String text) {
        if (text == null) {
            throw new InvalidVersionException("Invalid version null: " + EXPECTED_FORM);
        }
        if (text.length() > MAX_LENGTH) {
            throw invalid(abbreviate(text), "longer than " + MAX_LENGTH + " characters");
        }
        if (!text.isEmpty()
                && (isWhitespace(text.charAt(0)) || isWhitespace(text.charAt(text.length() - 1)))) {
            throw invalid(text, "surrounding whitespace is not accepted");
        }
        int start = text.startsWith("v") ? 1 : 0;
        Cursor in = new Cursor(text, start);
        int major = in.numericPart("major");
        in.expectDot();
        int minor = in.numericPart("minor");
        in.expectDot();
        int patch = in.numericPart("patch");
        List<String> preRelease = List.of();
        List<String> build = List.of();
        if (in.peek() == '-') {
            in.advance();
            preRelease = in.identifiers(true);
        }
        if (in.peek() == '+') {
            in.advance();
            build = in.identifiers(false);
        }
        if (!in.atEnd()) {
            char c = in.peek();
            throw invalid(text, c == '.'
                    ? EXPECTED_FORM
                    : "unexpected character '" + c + "' at index " + in.position());
        }
        return new SemVer(major, minor, patch, preRelease, build, text.substring(start));
    }

    /**
     * Reads a loose version string, as met when importing versions from elsewhere; {@link
     * #parse(String)} stays strict. Semver4j's {@code Semver.coerce} does the reading:
     * <ol>
     *   <li>Surrounding whitespace (as {@link VersionRange} counts it, no-break spaces included)
     *       is removed.
     *   <li>Text that is then a version {@link #parse(String)} accepts gives that version, with its
     *       pre-release and build metadata: {@code " v1.2.3-rc.1+b7 "} gives
     *       {@code 1.2.3-rc.1+b7}, so {@code coerce(t)} equals {@code parse(t)} whenever the latter
     *       succeeds.
     *   <li>Otherwise the first run of one to three dot-separated numbers that no digit precedes
     *       gives the version: missing minor and patch are 0, leading zeros are dropped, and
     *       everything before and after the run is ignored. {@code v1.2} gives {@code 1.2.0},
     *       {@code 1} gives {@code 1.0.0}, {@code 1.2.3.4} gives {@code 1.2.3},
     *       {@code release-1.4.0-final} gives {@code 1.4.0} and {@code 2020.01.15} gives
     *       {@code 2020.1.15}. A suffix is dropped whatever it says, so {@code 1.0-SNAPSHOT} and
     *       {@code 1.2-rc.1} give the releases {@code 1.0.0} and {@code 1.2.0}: where telling
     *       snapshots from releases matters, look at the text too.
     * </ol>
     *
     * <p>Empty when the text holds no such run of numbers, when the first run has a number above
     * {@link Integer#MAX_VALUE} ({@code 3000000000.1}), and when the text is longer than {@link
     * #MAX_LENGTH} after stripping. A run of more than 16 digits is, by Semver4j's rule, not read as
     * a number at all, so the search goes on after it. Differs from Semver4j's coerce only where
     * this method documents otherwise: null is refused rather than answered with null, the wider
     * whitespace is stripped first (Semver4j trims only ASCII control characters and spaces, so it
     * turns {@code 1.2.3-rc.1} followed by a no-break space into {@code 1.2.3}, where this gives
     * {@code 1.2.3-rc.1}), and the length is capped.
     *
     * @param text the loose version text
     * @return the version, or empty when nothing in the text reads as one; never throws for
     *     non-null text
     * @throws NullPointerException if {@code text} is null
     */
    public static Optional<SemVer> coerce(String text) {
        Objects.requireNonNull(text, "text to coerce must not be null");
        String stripped = strip(text);
        if (stripped.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        org.semver4j.Semver coerced = org.semver4j.Semver.coerce(stripped);
        if (coerced == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(coerced.getVersion()));
        } catch (InvalidVersionException e) {
            // Semver4j's grammar is SemVer 2.0.0 like ours, and the oracle properties check that
            // they agree; should they ever part, garbage must still give empty, not an exception.
            return Optional.empty();
        }
    }

    /**
     * A release version (no pre-release, no build metadata), for callers that compute versions
     * rather than read them.
     *
     * @throws InvalidVersionException if any part is negative
     */
    public static SemVer of(int major, int minor, int patch) {
        if (major < 0 || minor < 0 || patch < 0) {
            throw invalid(major + "." + minor + "." + patch,
                    "major, minor and patch must not be negative");
        }
        return new SemVer(major, minor, patch, List.of(), List.of(), null);
    }

    /**
     * A bound for a desugared range comparator: {@code M.m.p}, or {@code M.m.p-0} (the lowest
     * version of that tuple) when {@code lowestPreRelease}. Parts are already validated.
     */
    static SemVer bound(int major, int minor, int patch, boolean lowestPreRelease) {
        return new SemVer(major, minor, patch, lowestPreRelease ? LOWEST_PRE_RELEASE : List.of(),
                List.of(), null);
    }

    /** The major version: incompatible API changes. */
    public int major() {
        return major;
    }

    /** The minor version: backwards-compatible additions. */
    public int minor() {
        return minor;
    }

    /** The patch version: backwards-compatible fixes. */
    public int patch() {
        return patch;
    }

    /**
     * The dot-separated pre-release identifiers ({@code [rc, 1]} for {@code 1.0.0-rc.1}); empty for
     * a release. The list is unmodifiable.
     */
    public List<String> preRelease() {
        return preRelease;
    }

    /**
     * The dot-separated build metadata identifiers ({@code [build, 7]} for {@code 1.0.0+build.7});
     * empty when there is none. Informational only: never part of precedence or equality. The list
     * is unmodifiable.
     */
    public List<String> build() {
        return build;
    }

    /** True when this version has pre-release identifiers, so ranges exclude it by default. */
    public boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    /**
     * The next major version with node-semver {@code inc} semantics: {@code 1.2.3 -> 2.0.0}, but a
     * pre-release of a major release ({@code 2.0.0-rc.1}) is completed to {@code 2.0.0} rather than
     * skipped. Build metadata is dropped.
     *
     * @throws InvalidVersionException if the major version is already {@link Integer#MAX_VALUE}
     */
    public SemVer nextMajor() {
        if (minor == 0 && patch == 0 && isPreRelease()) {
            return of(major, 0, 0);
        }
        return of(increment(major, "major"), 0, 0);
    }

    /**
     * The next minor version with node-semver {@code inc} semantics: {@code 1.2.3 -> 1.3.0}, but a
     * pre-release of a minor release ({@code 1.3.0-rc.1}) is completed to {@code 1.3.0}. Build
     * metadata is dropped.
     *
     * @throws InvalidVersionException if the minor version is already {@link Integer#MAX_VALUE}
     */
    public SemVer nextMinor() {
        if (patch == 0 && isPreRelease()) {
            return of(major, minor, 0);
        }
        return of(major, increment(minor, "minor"), 0);
    }

    /**
     * The next patch version with node-semver {@code inc} semantics: {@code 1.2.3 -> 1.2.4}, but a
     * pre-release ({@code 1.2.4-rc.1}) is completed to its release {@code 1.2.4}. Build metadata is
     * dropped.
     *
     * @throws InvalidVersionException if the patch version is already {@link Integer#MAX_VALUE}
     */
    public SemVer nextPatch() {
        if (isPreRelease()) {
            return of(major, minor, patch);
        }
        return of(major, minor, increment(patch, "patch"));
    }

    /**
     * Orders by SemVer 2.0.0 precedence: major, minor, patch numerically; a pre-release below its
     * release; pre-release identifiers field by field, numeric ones numerically and below
     * alphanumeric ones, alphanumeric ones in ASCII order, and a longer list above its prefix.
     * Build metadata is ignored. Allocates nothing, since it runs inside sorts and range tests.
     */
    @Override
    public int compareTo(SemVer other) {
        if (major != other.major) {
            return Integer.compare(major, other.major);
        }
        if (minor != other.minor) {
            return Integer.compare(minor, other.minor);
        }
        if (patch != other.patch) {
            return Integer.compare(patch, other.patch);
        }
        return comparePreRelease(preRelease, other.preRelease);
    }

    /**
     * Equal when equal in precedence, so build metadata is ignored: {@code 1.0.0+a} equals
     * {@code 1.0.0+b}. This keeps {@code equals} consistent with {@link #compareTo(SemVer)}.
     */
    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof SemVer other && hash == other.hash && compareTo(other) == 0);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /**
     * The canonical text: no leading {@code v}, with pre-release and build metadata, so that
     * {@code parse(v.toString())} gives back an equal version with the same {@link #build()}. Also
     * the JSON form, a plain string.
     */
    @JsonValue
    @Override
    public String toString() {
        return text;
    }

    private static int comparePreRelease(List<String> a, List<String> b) {
        boolean aRelease = a.isEmpty();
        boolean bRelease = b.isEmpty();
        if (aRelease || bRelease) {
            return aRelease == bRelease ? 0 : aRelease ? 1 : -1;
        }
        int common = Math.min(a.size(), b.size());
        for (int i = 0; i < common; i++) {
            int c = compareIdentifier(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareIdentifier(String a, String b) {
        boolean aNumeric = isNumeric(a);
        boolean bNumeric = isNumeric(b);
        if (aNumeric && bNumeric) {
            // No leading zeros are allowed, so a longer number is a larger one.
            if (a.length() != b.length()) {
                return Integer.compare(a.length(), b.length());
            }
            return Integer.signum(a.compareTo(b));
        }
        if (aNumeric != bNumeric) {
            return aNumeric ? -1 : 1;
        }
        return Integer.signum(a.compareTo(b));
    }

    private static boolean isNumeric(String identifier) {
        for (int i = 0; i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private int increment(int part, String name) {
        if (part == Integer.MAX_VALUE) {
            throw invalid(text, "cannot increment " + name + " beyond " + Integer.MAX_VALUE);
        }
        return part + 1;
    }

    private static String format(int major, int minor, int patch, List<String> preRelease,
            List<String> build) {
        StringBuilder sb = new StringBuilder().append(major).append('.').append(minor).append('.')
                .append(patch);
        if (!preRelease.isEmpty()) {
            sb.append('-').append(String.join(".", preRelease));
        }
        if (!build.isEmpty()) {
            sb.append('+').append(String.join(".", build));
        }
        return sb.toString();
    }

    static boolean isWhitespace(char c) {
        // JavaScript's \s, which node-semver uses to split and trim, covers Unicode space separators.
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B'
                || c == '\uFEFF' || Character.isSpaceChar(c);
    }

    /** {@code text} without leading and trailing {@link #isWhitespace whitespace}. */
    static String strip(String text) {
        int from = 0;
        int to = text.length();
        while (from < to && isWhitespace(text.charAt(from))) {
            from++;
        }
        while (to > from && isWhitespace(text.charAt(to - 1))) {
            to--;
        }
        return text.substring(from, to);
    }

    /** Shortens over-long input so that an error message stays readable in a log line. */
    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 64) + "...";
    }

    static InvalidVersionException invalid(String text, String reason) {
        return new InvalidVersionException("Invalid version \"" + text + "\": " + reason);
    }

    /** A position in the text being parsed; only {@link #parse(String)} uses it. */
    private static final class Cursor {
        private final String text;
        private int pos;

        Cursor(String text, int pos) {
            this.text = text;
            this.pos = pos;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        char peek() {
            return atEnd() ? '\0' : text.charAt(pos);
        }

        void advance() {
            pos++;
        }

        int position() {
            return pos;
        }

        void expectDot() {
            if (peek() != '.') {
                throw invalid(text, EXPECTED_FORM);
            }
            pos++;
        }

        int numericPart(String name) {
            int start = pos;
            while (!atEnd() && isDigit(peek())) {
                pos++;
            }
            if (pos == start) {
                throw invalid(text, EXPECTED_FORM);
            }
            if (pos - start > 1 && text.charAt(start) == '0') {
                throw invalid(text, name + " must not have leading zeros");
            }
            // Ten digits may still overflow, so parse as long before narrowing.
            if (pos - start > 10 || Long.parseLong(text, start, pos, 10) > Integer.MAX_VALUE) {
                throw invalid(text, name + " is larger than " + Integer.MAX_VALUE);
            }
            return Integer.parseInt(text, start, pos, 10);
        }

        List<String> identifiers(boolean preRelease) {
            String kind = preRelease ? "pre-release" : "build metadata";
            List<String> ids = new ArrayList<>();
            while (true) {
                int start = pos;
                boolean numeric = true;
                while (!atEnd() && isIdentifierChar(peek())) {
                    numeric &= isDigit(peek());
                    pos++;
                }
                if (pos == start) {
                    throw invalid(text, "empty " + kind + " identifier");
                }
                if (preRelease && numeric && pos - start > 1 && text.charAt(start) == '0') {
                    throw invalid(text, "numeric pre-release identifier \""
                            + text.substring(start, pos) + "\" must not have leading zeros");
                }
                ids.add(text.substring(start, pos));
                if (peek() != '.') {
                    return List.copyOf(ids);
                }
                pos++;
            }
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isIdentifierChar(char c) {
            return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
        }
    }
}
