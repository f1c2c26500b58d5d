package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of {@link SemVer} over generated versions. Parts are drawn from small ranges so that
 * ties, shared prefixes and equal tuples with different pre-releases come up often.
 */
@Label("SemVer properties")
class SemVerProperties {

    @Property
    @Label("compareTo is reflexive and antisymmetric")
    void antisymmetric(@ForAll("versions") SemVer a, @ForAll("versions") SemVer b) {
        assertThat(a.compareTo(a)).isZero();
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
    }

    @Property
    @Label("compareTo is transitive")
    void transitive(@ForAll("versions") SemVer a, @ForAll("versions") SemVer b,
            @ForAll("versions") SemVer c) {
        if (a.compareTo(b) <= 0 && b.compareTo(c) <= 0) {
            assertThat(a.compareTo(c)).isLessThanOrEqualTo(0);
        }
        if (a.compareTo(b) < 0 && b.compareTo(c) <= 0) {
            assertThat(a.compareTo(c)).isNegative();
        }
    }

    @Property
    @Label("compareTo is consistent with equals, and equal versions hash alike")
    void consistentWithEquals(@ForAll("versions") SemVer a, @ForAll("versions") SemVer b) {
        assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
        if (a.equals(b)) {
            assertThat(a.hashCode()).isEqualTo(b.hashCode());
        }
    }

    @Property
    @Label("compareTo agrees with a straightforward reading of SemVer 2.0.0 section 11")
    void matchesReference(@ForAll("versions") SemVer a, @ForAll("versions") SemVer b) {
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(reference(a, b)));
    }

    @Property
    @Label("build metadata changes neither precedence nor equality")
    void buildIgnored(@ForAll("versions") SemVer a, @ForAll("buildSuffixes") String build) {
        SemVer rebuilt = SemVer.parse(withoutBuild(a) + build);
        assertThat(rebuilt).isEqualTo(a);
        assertThat(rebuilt.compareTo(a)).isZero();
        assertThat(rebuilt.hashCode()).isEqualTo(a.hashCode());
    }

    @Property
    @Label("parse(toString()) gives back an equal version with the same text and build")
    void roundTrips(@ForAll("versions") SemVer a) {
        SemVer again = SemVer.parse(a.toString());
        assertThat(again).isEqualTo(a);
        assertThat(again.build()).isEqualTo(a.build());
        assertThat(again.preRelease()).isEqualTo(a.preRelease());
        assertThat(again).hasToString(a.toString());
        assertThat(SemVer.parse("v" + a)).isEqualTo(a);
    }

    @Property
    @Label("nextMajor, nextMinor and nextPatch of a release are greater, and releases themselves")
    void nextIsGreaterForReleases(@ForAll @IntRange(max = 1000) int major,
            @ForAll @IntRange(max = 1000) int minor, @ForAll @IntRange(max = 1000) int patch) {
        SemVer v = SemVer.of(major, minor, patch);
        assertThat(v.nextPatch()).isGreaterThan(v).isEqualTo(SemVer.of(major, minor, patch + 1));
        assertThat(v.nextMinor()).isGreaterThan(v.nextPatch())
                .isEqualTo(SemVer.of(major, minor + 1, 0));
        assertThat(v.nextMajor()).isGreaterThan(v.nextMinor())
                .isEqualTo(SemVer.of(major + 1, 0, 0));
    }

    @Property
    @Label("nextMajor, nextMinor and nextPatch of any version are greater releases")
    void nextIsGreater(@ForAll("versions") SemVer v) {
        for (SemVer next : List.of(v.nextMajor(), v.nextMinor(), v.nextPatch())) {
            assertThat(next).isGreaterThan(v);
            assertThat(next.isPreRelease()).isFalse();
            assertThat(next.build()).isEmpty();
        }
        assertThat(v.nextMajor()).isGreaterThanOrEqualTo(v.nextMinor());
        assertThat(v.nextMinor()).isGreaterThanOrEqualTo(v.nextPatch());
    }

    @Property
    @Label("a range of one exact version contains exactly the versions equal to it")
    void exactRange(@ForAll("versions") SemVer a, @ForAll("versions") SemVer b) {
        assertThat(VersionRange.parse(a.toString()).contains(b)).isEqualTo(a.equals(b));
    }

    @Property
    @Label(">=a contains b when b >= a, a pre-release b only on a's pre-release tuple")
    void atLeastRange(@ForAll("versions") SemVer a, @ForAll("versions") SemVer b) {
        boolean sameTuple = a.major() == b.major() && a.minor() == b.minor()
                && a.patch() == b.patch();
        boolean expected = b.compareTo(a) >= 0
                && (!b.isPreRelease() || (a.isPreRelease() && sameTuple));
        assertThat(VersionRange.parse(">=" + a).contains(b)).isEqualTo(expected);
    }

    @Provide
    Arbitrary<SemVer> versions() {
        Arbitrary<Integer> part = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(0, 3)),
                Tuple.of(1, Arbitraries.integers().between(0, Integer.MAX_VALUE - 1)));
        Arbitrary<String> preRelease = identifier().list().ofMinSize(1).ofMaxSize(4)
                .map(ids -> "-" + String.join(".", ids));
        Arbitrary<String> optionalPreRelease = Arbitraries.oneOf(Arbitraries.just(""), preRelease);
        return Combinators.combine(part, part, part, optionalPreRelease, buildSuffixes())
                .as((major, minor, patch, pre, build) ->
                        SemVer.parse(major + "." + minor + "." + patch + pre + build));
    }

    @Provide
    Arbitrary<String> buildSuffixes() {
        Arbitrary<String> id = Arbitraries.strings().withChars("0123456789abcXYZ-")
                .ofMinLength(1).ofMaxLength(6);
        return Arbitraries.oneOf(Arbitraries.just(""),
                id.list().ofMinSize(1).ofMaxSize(3).map(ids -> "+" + String.join(".", ids)));
    }

    /** Pre-release identifiers: small and huge numbers, and alphanumerics near their edges. */
    private static Arbitrary<String> identifier() {
        Arbitrary<String> smallNumber = Arbitraries.integers().between(0, 12).map(String::valueOf);
        Arbitrary<String> hugeNumber = Arbitraries.bigIntegers()
                .between(BigInteger.ONE, BigInteger.TEN.pow(30)).map(BigInteger::toString);
        Arbitrary<String> alphanumeric = Arbitraries.strings().withChars("019aAzZ-")
                .ofMinLength(1).ofMaxLength(4)
                .filter(s -> !s.chars().allMatch(Character::isDigit));
        Arbitrary<String> word = Arbitraries.of("alpha", "beta", "rc", "RC", "-", "0a", "a0");
        return Arbitraries.frequencyOf(
                Tuple.of(4, smallNumber),
                Tuple.of(1, hugeNumber),
                Tuple.of(3, alphanumeric),
                Tuple.of(3, word));
    }

    private static String withoutBuild(SemVer v) {
        String text = v.toString();
        int plus = text.indexOf('+');
        return plus < 0 ? text : text.substring(0, plus);
    }

    /** SemVer 2.0.0 precedence written plainly, with BigInteger, as an oracle. */
    private static int reference(SemVer a, SemVer b) {
        if (a.major() != b.major()) {
            return Integer.compare(a.major(), b.major());
        }
        if (a.minor() != b.minor()) {
            return Integer.compare(a.minor(), b.minor());
        }
        if (a.patch() != b.patch()) {
            return Integer.compare(a.patch(), b.patch());
        }
        List<String> x = a.preRelease();
        List<String> y = b.preRelease();
        if (x.isEmpty() || y.isEmpty()) {
            return Boolean.compare(x.isEmpty(), y.isEmpty());
        }
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            boolean xNumeric = x.get(i).matches("[0-9]+");
            boolean yNumeric = y.get(i).matches("[0-9]+");
            int c;
            if (xNumeric && yNumeric) {
                c = new BigInteger(x.get(i)).compareTo(new BigInteger(y.get(i)));
            } else if (xNumeric || yNumeric) {
                c = xNumeric ? -1 : 1;
            } else {
                c = x.get(i).compareTo(y.get(i));
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.size(), y.size());
    }
}
