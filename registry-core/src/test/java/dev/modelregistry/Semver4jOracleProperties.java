package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.semver4j.RangesList;
import org.semver4j.RangesListFactory;
import org.semver4j.Semver;

/**
 * Semver4j 5.8.0 as an independent oracle for {@link SemVer}, {@link VersionRange} and
 * {@link SemVer#coerce(String)}: on generated input the two must agree. The generators stay off
 * the inputs where Semver4j is known to be wrong or to mean something else; each of those is an
 * example in {@link Semver4jDeviationsTest}, which says which side is right and why:
 * pre-release identifiers that mix letters and digits, start with {@code -}, exceed a
 * {@code long} or read {@code undef}; surrounding whitespace and over-long text; build metadata
 * in {@code equals} and {@code next*}; npm ranges that put a caret, tilde, hyphen or partial
 * version beside other comparators, a set meaning any release beside other sets, lone {@code x},
 * empty {@code ||} sets and invalid text; Maven interval forms other than Ivy's; and, for coerce,
 * null, non-ASCII whitespace and over-long text.
 *
 * <p>About 2,000 tries in all, so that the class runs in a few seconds on two cores.
 */
@Label("Semver4j as an oracle")
class Semver4jOracleProperties {

    @Property(tries = 400)
    @Label("parse accepts exactly what Semver4j accepts, and reads the same parts")
    void parseAgrees(@ForAll("versionLikeTexts") String text) {
        Optional<SemVer> ours = outcome(() -> SemVer.parse(text));
        Semver theirs = Semver.parse(text);
        assertThat(ours.isPresent()).as("SemVer accepts \"%s\"", text).isEqualTo(theirs != null);
        ours.ifPresent(v -> {
            assertThat(v.major()).isEqualTo(theirs.getMajor());
            assertThat(v.minor()).isEqualTo(theirs.getMinor());
            assertThat(v.patch()).isEqualTo(theirs.getPatch());
            assertThat(v.preRelease()).isEqualTo(theirs.getPreRelease());
            assertThat(v.build()).isEqualTo(theirs.getBuild());
            assertThat(v).hasToString(theirs.getVersion());
        });
    }

    @Property(tries = 400)
    @Label("compareTo orders as Semver4j does, and equals is Semver4j's isEquivalentTo")
    void precedenceAgrees(@ForAll("versions") String a, @ForAll("versions") String b) {
        SemVer x = SemVer.parse(a);
        SemVer y = SemVer.parse(b);
        Semver p = new Semver(a);
        Semver q = new Semver(b);
        assertThat(Integer.signum(x.compareTo(y))).as("%s vs %s", a, b)
                .isEqualTo(Integer.signum(p.compareTo(q)));
        assertThat(x.equals(y)).as("%s equals %s", a, b).isEqualTo(p.isEquivalentTo(q));
    }

    @Property(tries = 300)
    @Label("nextMajor, nextMinor and nextPatch give Semver4j's, less its build metadata")
    void nextAgrees(@ForAll("versions") String text) {
        SemVer v = SemVer.parse(text);
        Semver o = new Semver(text);
        assertSameOutcome(v::nextMajor, o::nextMajor);
        assertSameOutcome(v::nextMinor, o::nextMinor);
        assertSameOutcome(v::nextPatch, o::nextPatch);
    }

    @Property(tries = 400)
    @Label("an npm range contains what Semver4j's parsed range is satisfied by")
    void npmRangesAgree(@ForAll("npmRanges") String range, @ForAll("probes") List<String> probes) {
        assertSameMembers(range, probes);
    }

    @Property(tries = 200)
    @Label("an interval in Ivy's spelling contains what Semver4j's Ivy range is satisfied by")
    void ivyIntervalsAgree(@ForAll("ivyIntervals") String range,
            @ForAll("probes") List<String> probes) {
        assertSameMembers(range, probes);
    }

    @Property(tries = 300)
    @Label("coerce gives what Semver4j's coerce gives")
    void coerceAgrees(@ForAll("looseTexts") String text) {
        assertThat(SemVer.coerce(text).map(SemVer::toString)).as("coerce(\"%s\")", text)
                .isEqualTo(Optional.ofNullable(Semver.coerce(text)).map(Semver::getVersion));
    }

    @Property(tries = 200)
    @Label("coerce never throws on any text, and keeps whatever parse accepts")
    void coerceNeverThrows(@ForAll String text) {
        Optional<SemVer> coerced = SemVer.coerce(text);
        outcome(() -> SemVer.parse(text)).ifPresent(parsed -> {
            assertThat(coerced).hasValue(parsed);
            assertThat(coerced.get()).hasToString(parsed.toString());
        });
    }

    private static void assertSameMembers(String range, List<String> probes) {
        VersionRange ours = VersionRange.parse(range);
        RangesList theirs = RangesListFactory.create(range);
        for (String probe : probes) {
            assertThat(ours.contains(SemVer.parse(probe))).as("\"%s\" contains %s", range, probe)
                    .isEqualTo(theirs.isSatisfiedBy(new Semver(probe)));
        }
    }

    /** Both give the same version (Semver4j's build metadata cleared), or both throw. */
    private static void assertSameOutcome(Supplier<SemVer> ours, Supplier<Semver> theirs) {
        assertThat(outcome(ours).map(SemVer::toString))
                .isEqualTo(outcome(theirs).map(v -> v.withClearedBuild().getVersion()));
    }

    private static <T> Optional<T> outcome(Supplier<T> call) {
        try {
            return Optional.of(call.get());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Valid versions over identifiers both sides order alike. */
    @Provide
    Arbitrary<String> versions() {
        return versionTexts(orderedIdentifier());
    }

    /** Valid versions over any identifiers, with an optional v, then up to two random edits. */
    @Provide
    Arbitrary<String> versionLikeTexts() {
        Arbitrary<String> anyIdentifier = Arbitraries.frequencyOf(
                Tuple.of(3, orderedIdentifier()),
                Tuple.of(1, Arbitraries.strings().withChars("0123456789az-").ofMinLength(1)
                        .ofMaxLength(25)));
        Arbitrary<String> valid = Combinators.combine(Arbitraries.of("", "v"),
                versionTexts(anyIdentifier)).as(String::concat);
        Arbitrary<Function<String, String>> edit = Combinators.combine(
                Arbitraries.of(true, false), Arbitraries.integers().between(0, 60),
                Arbitraries.of("0", "00", ".", "-", "+", "v", "V", "x", "_", "a", "9", "=", "..")
        ).as((insert, at, piece) -> s -> {
            int i = Math.min(at, s.length());
            if (insert) {
                return s.substring(0, i) + piece + s.substring(i);
            }
            return i < s.length() ? s.substring(0, i) + s.substring(i + 1) : s;
        });
        return Combinators.combine(valid, edit.list().ofMaxSize(2)).as((text, edits) -> {
            String edited = text;
            for (Function<String, String> e : edits) {
                edited = e.apply(edited);
            }
            return edited;
        }).filter(s -> s.length() <= SemVer.MAX_LENGTH);
    }

    private static Arbitrary<String> versionTexts(Arbitrary<String> identifier) {
        Arbitrary<Integer> part = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(0, 3)),
                Tuple.of(1, Arbitraries.integers().between(0, Integer.MAX_VALUE)));
        Arbitrary<String> preRelease = Arbitraries.oneOf(Arbitraries.just(""),
                identifier.list().ofMinSize(1).ofMaxSize(3).map(ids -> "-" + String.join(".", ids)));
        Arbitrary<String> build = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.strings().withChars("09azAZ-").ofMinLength(1).ofMaxLength(5)
                        .list().ofMinSize(1).ofMaxSize(2).map(ids -> "+" + String.join(".", ids)));
        return Combinators.combine(part, part, part, preRelease, build)
                .as((major, minor, patch, pre, b) -> major + "." + minor + "." + patch + pre + b);
    }

    /**
     * Pre-release identifiers Semver4j orders by the SemVer rules: numbers that fit in a
     * {@code long}, and words of letters and hyphens that start with a letter and are not
     * {@code undef}.
     */
    private static Arbitrary<String> orderedIdentifier() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0, 12).map(String::valueOf)),
                Tuple.of(1, Arbitraries.longs().between(0, Long.MAX_VALUE).map(String::valueOf)),
                Tuple.of(3, Arbitraries.strings().withChars("abzAZ-").ofMinLength(1)
                        .ofMaxLength(4).filter(s -> s.charAt(0) != '-')),
                Tuple.of(3, Arbitraries.of("alpha", "beta", "rc", "RC", "a-b", "SNAPSHOT")));
    }

    /**
     * One to three comparator sets joined by {@code ||}. A set that means any release ({@code *},
     * {@code >=0.x}) only ever stands alone, because node-semver then drops the other sets.
     */
    @Provide
    Arbitrary<String> npmRanges() {
        Arbitrary<String> set = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.oneOf(Arbitraries.of("^", "~", "~>"))
                        .flatMap(op -> Arbitraries.oneOf(fullInRange(), partialInRange())
                                .map(op::concat))),
                Tuple.of(2, Combinators.combine(Arbitraries.of("", "<", "<=", ">", ">="),
                        partialInRange()).as(String::concat)),
                Tuple.of(2, Combinators.combine(Arbitraries.oneOf(fullInRange(), partialInRange()),
                        Arbitraries.oneOf(fullInRange(), partialInRange()))
                        .as((from, to) -> from + " - " + to)),
                Tuple.of(4, Combinators.combine(Arbitraries.of("", "=", "<", "<=", ">", ">="),
                        fullInRange()).as(String::concat)
                        .list().ofMinSize(1).ofMaxSize(3).map(cs -> String.join(" ", cs))));
        Arbitrary<String> union = set.filter(s -> !s.matches("(>=0(\\.[0xX*])* ?)+"))
                .list().ofMinSize(1).ofMaxSize(3).map(sets -> String.join(" || ", sets));
        return Arbitraries.frequencyOf(
                Tuple.of(12, union),
                Tuple.of(1, Arbitraries.of("*", ">=0", ">=0.x", ">=0.0.0")));
    }

    /**
     * Intervals in the spellings Semver4j's Ivy support translates correctly: {@code [a,b]},
     * {@code [a,b[}, {@code ]a,b]}, {@code ]a,b[} (with a below b), {@code [a,)}, {@code ]a,)},
     * {@code (,b]} and {@code (,b[}.
     */
    @Provide
    Arbitrary<String> ivyIntervals() {
        Arbitrary<List<Integer>> bound = Arbitraries.integers().between(0, 3).list()
                .ofMinSize(1).ofMaxSize(3);
        Arbitrary<String> bounded = Combinators.combine(bound, bound, Arbitraries.of("[", "]"),
                Arbitraries.of("]", "[")).as((a, b, open, close) -> {
                    int c = Arrays.compare(padded(a), padded(b));
                    String low = dotted(c <= 0 ? a : b);
                    String high = dotted(c <= 0 ? b : a);
                    return c == 0 ? "[" + low + "," + high + "]" : open + low + "," + high + close;
                });
        Arbitrary<String> halfOpen = Combinators.combine(bound, Arbitraries.of("[%s,)", "]%s,)",
                "(,%s]", "(,%s[")).as((b, form) -> form.formatted(dotted(b)));
        return Arbitraries.oneOf(bounded, halfOpen);
    }

    /** A Maven bound's parts with the missing ones 0, as the bound means. */
    private static int[] padded(List<Integer> parts) {
        int[] padded = new int[3];
        for (int i = 0; i < parts.size(); i++) {
            padded[i] = parts.get(i);
        }
        return padded;
    }

    private static String dotted(List<Integer> parts) {
        return String.join(".", parts.stream().map(String::valueOf).toList());
    }

    /** Candidate versions near the bounds the range generators use. */
    @Provide
    Arbitrary<List<String>> probes() {
        Arbitrary<Integer> part = Arbitraries.integers().between(0, 4);
        Arbitrary<String> preRelease = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.of("alpha", "beta", "rc", "0", "1", "2").list().ofMinSize(1)
                        .ofMaxSize(2).map(ids -> "-" + String.join(".", ids)));
        Arbitrary<String> build = Arbitraries.of("", "", "", "+b7");
        return Combinators.combine(part, part, part, preRelease, build)
                .as((major, minor, patch, pre, b) -> major + "." + minor + "." + patch + pre + b)
                .list().ofMinSize(1).ofMaxSize(12);
    }

    private static Arbitrary<String> fullInRange() {
        Arbitrary<Integer> part = Arbitraries.integers().between(0, 3);
        Arbitrary<String> preRelease = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.of("alpha", "beta", "rc", "0", "1").list().ofMinSize(1).ofMaxSize(2)
                        .map(ids -> "-" + String.join(".", ids)));
        return Combinators.combine(part, part, part, preRelease)
                .as((major, minor, patch, pre) -> major + "." + minor + "." + patch + pre);
    }

    /** {@code 1}, {@code 1.2}, {@code 1.x}, {@code 1.2.x}, {@code 1.x.x}, {@code 1.2.*}. */
    private static Arbitrary<String> partialInRange() {
        Arbitrary<Integer> part = Arbitraries.integers().between(0, 3);
        Arbitrary<String> wildcard = Arbitraries.of("x", "X", "*");
        return Arbitraries.oneOf(
                part.map(String::valueOf),
                Combinators.combine(part, part).as((a, b) -> a + "." + b),
                Combinators.combine(part, wildcard).as((a, w) -> a + "." + w),
                Combinators.combine(part, part, wildcard).as((a, b, w) -> a + "." + b + "." + w),
                Combinators.combine(part, wildcard).as((a, w) -> a + "." + w + "." + w));
    }

    /** One to four numbers between a prefix and a suffix, or a valid version with spaces. */
    @Provide
    Arbitrary<String> looseTexts() {
        Arbitrary<String> number = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, 20).map(String::valueOf)),
                Tuple.of(1, Arbitraries.of("007", "00", "0")),
                Tuple.of(1, Arbitraries.longs().between(1_000_000_000L, 99_999_999_999L)
                        .map(String::valueOf)),
                Tuple.of(1, Arbitraries.strings().numeric().ofLength(17)));
        Arbitrary<String> numbers = number.list().ofMinSize(1).ofMaxSize(4)
                .map(ns -> String.join(".", ns));
        Arbitrary<String> loose = Combinators.combine(
                Arbitraries.of("", "", "v", "V", "=", "release-", "build ", "x", " ", "\t"),
                numbers,
                Arbitraries.of("", "", "-final", "-SNAPSHOT", "-rc.1", ".Final", "+b7", "a", " ",
                        ".x", "-01", "-")).as((prefix, n, suffix) -> prefix + n + suffix);
        Arbitrary<String> padded = Combinators.combine(Arbitraries.of("", " ", "\t"),
                versions(), Arbitraries.of("", " ", "\n")).as((a, v, b) -> a + v + b);
        return Arbitraries.oneOf(loose, padded);
    }
}
