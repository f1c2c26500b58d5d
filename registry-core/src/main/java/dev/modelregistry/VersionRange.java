package dev.modelregistry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A set of versions written in npm's <a href="https://github.com/npm/node-semver#ranges">node-semver
 * range syntax</a>, such as {@code ^1.2}, {@code ~1.2.3}, {@code >=1.0.0 <2.0.0 || 3.x} or
 * {@code 1.2 - 2.3.4}, with node-semver's default (not loose, no {@code includePrerelease})
 * meaning, so that a range copied from a {@code package.json} selects the same versions here; or
 * in <a href="https://maven.apache.org/pom.html#dependency-version-requirement-specification">Maven's
 * interval syntax</a>, such as {@code [1.5,2.0)}, described below.
 *
 * <p>The text is desugared once, the way node-semver's {@code Range} does, into comparator sets: a
 * version is in the range when it satisfies every comparator of at least one set. npm's pre-release
 * rule applies: a version with a pre-release tag is in a set only when some comparator of that set
 * has a pre-release on the same {@code major.minor.patch} tuple, so {@code ^1.2.3-beta.2} contains
 * {@code 1.2.3-beta.4} but not {@code 1.2.4-beta.1}, and {@code *} contains no pre-release at all,
 * nor does a union with a set that means any release ({@code ~1.2.3-beta || *}), because
 * node-semver then keeps that set alone.
 *
 * <p>Supported: the primitive comparators {@code <}, {@code <=}, {@code >}, {@code >=}, {@code =}
 * and bare versions (whitespace may follow the operator, a leading {@code v} is accepted);
 * comparator sets separated by whitespace (AND) and {@code ||} (OR); x-ranges {@code *}, {@code x},
 * {@code X}, {@code 1.x}, {@code 1.2.*}, partial versions {@code 1}, {@code 1.2}, and the empty
 * range meaning any release; tilde ({@code ~} and its alias {@code ~>}), caret ({@code ^}) and
 * hyphen ranges. Build metadata is ignored, as node-semver strips it before parsing.
 *
 * <p>Two deliberate differences from node-semver 7.8: every number must fit in an {@code int}
 * (node-semver allows up to 2<sup>53</sup>), and a few strings that node-semver's regex rewriting
 * happens to turn into ranges, such as {@code 1.2.3*} or {@code *1.2.3}, are refused.
 *
 * <p>Maven's interval syntax is accepted beside npm's, for text that opens (after any whitespace)
 * with {@code [}, {@code (} or {@code ]}: one interval or a comma-separated union of them, such as
 * {@code [1.5,2.0)}, {@code (,1.0]}, {@code [1.0]}, {@code [1.2,)} or {@code [1.0,2.0),[3.0,)}.
 * An interval is {@code [V]}, exactly {@code V}, or {@code LOWER,UPPER} opened by {@code [}
 * (inclusive) or {@code (} (exclusive) and closed by {@code ]} (inclusive) or {@code )}
 * (exclusive); Ivy's {@code ]} opening and {@code [} closing are accepted as exclusive ends, so
 * {@code ]1.0,2.0[} is {@code (1.0,2.0)}. A missing bound means unbounded on that side and must be
 * written with {@code (} or {@code )}. Whitespace may surround brackets, bounds and commas. Each
 * interval becomes one comparator set, so {@code [1.5,2.0)} is {@code >=1.5.0 <2.0.0} and
 * {@code [1.0,2.0),[3.0,)} is {@code >=1.0.0 <2.0.0 || >=3.0.0}:
 * <ul>
 *   <li>A bound is {@code MAJOR[.MINOR[.PATCH]]} with the missing parts 0, and names that one
 *       version: {@code 2.0} is {@code 2.0.0} (as in Maven, where 2.0 equals 2.0.0), not npm's
 *       "every 2.0.x", so {@code (,1.0]} does not contain {@code 1.0.1}. Numbers follow the npm
 *       rules (no leading zeros, at most {@link Integer#MAX_VALUE}). A bound with a qualifier or
 *       pre-release ({@code 1.0-SNAPSHOT}, {@code 1.0.0-rc.1}), a wildcard, a {@code v} or build
 *       metadata is refused.
 *   <li>Pre-releases follow the npm rule above unchanged. No bound carries a pre-release, so no
 *       pre-release version is ever in an interval range: {@code [1.0,2.0)} contains neither
 *       {@code 1.5.0-rc.1} nor {@code 2.0.0-rc.1}, where Maven's own ordering would let
 *       {@code 2.0-SNAPSHOT} in. An npm range such as {@code >=1.0.0-rc.1 <2.0.0} admits them.
 *   <li>Exclusive ends exclude the bound and nothing else: {@code (1.0,2.0)} contains
 *       {@code 1.0.1} and {@code 1.99.99} but not {@code 1.0.0} nor, build metadata being ignored,
 *       {@code 1.0.0+b7}.
 *   <li>Every interval must contain a version: {@code [2.0,1.0]}, {@code [1.0,1.0)} and
 *       {@code (,)} are refused. The intervals of a union may come in any order and overlap
 *       (Maven wants them ascending and disjoint); the range is their union.
 *   <li>The two syntaxes do not mix: interval text takes no {@code ||}, operators or npm forms.
 * </ul>
 *
 * <p>Equality and {@link #toString()} use the original text, which is also the JSON form, so
 * {@code parse(r.toString())} equals {@code r} for either syntax.
 */
public final class VersionRange {

    /** The longest range text accepted; longer text is refused rather than parsed. */
    public static final int MAX_LENGTH = 1024;

    private final String text;
    private final RangeComparator[][] sets;

    private VersionRange(String text, RangeComparator[][] sets) {
        this.text = text;
        this.sets = sets;
    }

    /**
     * Parses node-semver range text or Maven interval text (see the class description), so that
     * {@link #contains(SemVer)} never parses again.
     *
     * @param text the range; the empty string (or only whitespace) means any release
     * @return the range; never null
     * @throws InvalidVersionException if {@code text} is null, longer than {@link #MAX_LENGTH}, or
     *     neither a range node-semver accepts without its {@code loose} option nor interval text
     *     as described above; the message quotes the text
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static VersionRange parse(String text) {
        return new VersionRange(text, VersionRangeParser.parse(text));
    }

    /**
     * True when {@code version} satisfies every comparator of at least one comparator set and, if
     * it is a pre-release, that set names a pre-release of the same {@code major.minor.patch}.
     * Allocates nothing, because registries call it once per stored version when resolving.
     */
    public boolean contains(SemVer version) {
        for (RangeComparator[] set : sets) {
            if (testSet(set, version)) {
                return true;
            }
        }
        return false;
    }

    /** The text this range was parsed from, unchanged; also its JSON form. */
    @JsonValue
    @Override
    public String toString() {
        return text;
    }

    /** Equal when parsed from the same text, even if two different texts mean the same set. */
    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof VersionRange other && text.equals(other.text));
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /**
     * The desugared comparator sets in node-semver's format, as {@code semver.validRange} prints
     * them ({@code ^1.2} gives {@code >=1.2.0 <2.0.0-0}, any version gives {@code *}), so tests can
     * check the desugaring against node-semver's own fixtures.
     */
    String desugared() {
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < sets.length; s++) {
            if (s > 0) {
                sb.append("||");
            }
            for (int c = 0; c < sets[s].length; c++) {
                if (c > 0) {
                    sb.append(' ');
                }
                sb.append(sets[s][c].key());
            }
        }
        return sb.isEmpty() ? "*" : sb.toString();
    }

    private static boolean testSet(RangeComparator[] set, SemVer version) {
        for (RangeComparator comparator : set) {
            if (!comparator.test(version)) {
                return false;
            }
        }
        if (!version.isPreRelease()) {
            return true;
        }
        // A pre-release is only wanted by a set that opts in on its exact tuple: >=1.2.3-beta.2
        // lets 1.2.3-beta.4 in, but nobody asked for 1.2.4-alpha.notready.
        for (RangeComparator comparator : set) {
            SemVer allowed = comparator.version();
            if (allowed.isPreRelease()
                    && allowed.major() == version.major()
                    && allowed.minor() == version.minor()
                    && allowed.patch() == version.patch()) {
                return true;
            }
        }
        return false;
    }
}
