package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.semver4j.RangesListFactory;
import org.semver4j.Semver;

/**
 * Every place where {@link Semver4jOracleProperties} keeps its generators away because Semver4j
 * 5.8.0 disagrees with {@link SemVer} or {@link VersionRange}. Each test pins both answers, so a
 * Semver4j upgrade that changes one shows up here, and says which side is right and why. The
 * references are the SemVer 2.0.0 specification and node-semver 7.8, whose range meaning
 * {@link VersionRange} promises.
 */
@DisplayName("Where Semver4j 5.8.0 differs")
class Semver4jDeviationsTest {

    private static void assertMembership(String range, String version, boolean theirs,
            boolean ours) {
        assertThat(RangesListFactory.create(range).isSatisfiedBy(new Semver(version)))
                .as("Semver4j: \"%s\" contains %s", range, version).isEqualTo(theirs);
        assertThat(VersionRange.parse(range).contains(SemVer.parse(version)))
                .as("ours: \"%s\" contains %s", range, version).isEqualTo(ours);
    }

    @Nested
    @DisplayName("on versions")
    class Versions {

        @Test
        @DisplayName("its equals counts build metadata; ours does not, to stay consistent with"
                + " compareTo (ours is right for a registry: 1.0.0+a and 1.0.0+b are one version)")
        void equalsWithBuild() {
            assertThat(new Semver("1.0.0+a")).isNotEqualTo(new Semver("1.0.0+b"));
            assertThat(new Semver("1.0.0+a").compareTo(new Semver("1.0.0+b"))).isZero();
            assertThat(SemVer.parse("1.0.0+a")).isEqualTo(SemVer.parse("1.0.0+b"));
        }

        @Test
        @DisplayName("its nextMajor, nextMinor and nextPatch keep build metadata; ours drop it"
                + " (ours is right: the metadata described a build of the old version, and"
                + " node-semver's inc drops it too)")
        void nextKeepsBuild() {
            Semver theirs = new Semver("1.2.3+b7");
            assertThat(theirs.nextMajor()).hasToString("2.0.0+b7");
            assertThat(theirs.nextMinor()).hasToString("1.3.0+b7");
            assertThat(theirs.nextPatch()).hasToString("1.2.4+b7");
            SemVer ours = SemVer.parse("1.2.3+b7");
            assertThat(ours.nextMajor()).hasToString("2.0.0");
            assertThat(ours.nextMinor()).hasToString("1.3.0");
            assertThat(ours.nextPatch()).hasToString("1.2.4");
        }

        @Test
        @DisplayName("its withIncMajor keeps minor and patch; nextMajor resets them (nextMajor is"
                + " the SemVer increment: section 8 says minor and patch MUST be reset to 0)")
        void withIncMajorDoesNotReset() {
            assertThat(new Semver("1.2.3").withIncMajor()).hasToString("2.2.3");
            assertThat(new Semver("1.2.3").withIncMinor()).hasToString("1.3.3");
            assertThat(SemVer.parse("1.2.3").nextMajor()).hasToString("2.0.0");
            assertThat(SemVer.parse("1.2.3").nextMinor()).hasToString("1.3.0");
        }

        @Test
        @DisplayName("it compares identifiers mixing letters and digits by their numbers (r2 <"
                + " r100); ours compares them as ASCII text (ours is right: section 11.4.3, and"
                + " node-semver's comparisons fixture has 1.2.3-r2 > 1.2.3-r100)")
        void naturalOrder() {
            assertThat(new Semver("1.2.3-r2").compareTo(new Semver("1.2.3-r100"))).isNegative();
            assertThat(SemVer.parse("1.2.3-r2")).isGreaterThan(SemVer.parse("1.2.3-r100"));
        }

        @Test
        @DisplayName("it puts a numeric identifier above one starting with '-', comparing text;"
                + " ours puts it below (ours is right: section 11.4.3, numeric identifiers always"
                + " have lower precedence than alphanumeric ones)")
        void hyphenIdentifier() {
            assertThat(new Semver("1.0.0-999").compareTo(new Semver("1.0.0--"))).isPositive();
            assertThat(SemVer.parse("1.0.0-999")).isLessThan(SemVer.parse("1.0.0--"));
        }

        @Test
        @DisplayName("it throws comparing numeric identifiers beyond long; ours compares them"
                + " (ours is right: SemVer sets no size limit on identifiers)")
        void hugeIdentifiers() {
            Semver big = new Semver("1.0.0-99999999999999999999");
            assertThatThrownBy(() -> big.compareTo(new Semver("1.0.0-99999999999999999998")))
                    .isInstanceOf(NumberFormatException.class);
            assertThat(SemVer.parse("1.0.0-99999999999999999999"))
                    .isGreaterThan(SemVer.parse("1.0.0-99999999999999999998"));
        }

        @Test
        @DisplayName("it takes the identifier 'undef' for a missing one, so 1.0.0-a.undef ties"
                + " with 1.0.0-a; ours puts the longer list above (ours is right: section 11.4.4,"
                + " and node-semver agrees)")
        void undef() {
            assertThat(new Semver("1.0.0-a.undef").compareTo(new Semver("1.0.0-a"))).isZero();
            assertThat(SemVer.parse("1.0.0-a.undef")).isGreaterThan(SemVer.parse("1.0.0-a"));
        }

        @ParameterizedTest(name = "\"{0}\"")
        @DisplayName("its parse trims surrounding whitespace; ours refuses it (a deliberate choice:"
                + " one canonical spelling per stored version; coerce is the lenient path)")
        @ValueSource(strings = {" 1.2.3", "1.2.3 ", "\t1.2.3\n"})
        void whitespace(String text) {
            assertThat(Semver.parse(text)).hasToString("1.2.3");
            assertThatThrownBy(() -> SemVer.parse(text))
                    .isInstanceOf(InvalidVersionException.class);
        }

        @Test
        @DisplayName("its parse takes any length; ours stops at MAX_LENGTH (a deliberate choice,"
                + " node-semver's limit, which bounds the cost of hostile input)")
        void length() {
            String text = "1.0.0-" + "a".repeat(SemVer.MAX_LENGTH);
            assertThat(Semver.parse(text)).isNotNull();
            assertThatThrownBy(() -> SemVer.parse(text))
                    .isInstanceOf(InvalidVersionException.class);
        }
    }

    @Nested
    @DisplayName("on npm ranges (ours follows node-semver 7.8, the meaning VersionRange promises)")
    class NpmRanges {

        @ParameterizedTest(name = "\"{0}\" contains {1}: Semver4j {2}, ours {3}")
        @DisplayName("membership")
        @CsvSource(delimiter = ';', textBlock = """
                ^1.2.3 <1.5.0;        0.5.0;        true;   false
                ~1.2.0 >=1.0.0;       1.9.0;        true;   false
                x;                    1.0.0;        false;  true
                X;                    1.0.0;        false;  true
                1.2.3 ||;             9.9.9;        false;  true
                >=1.2.0-alpha <1.2;   1.2.0-beta;   true;   false
                ~>2.1.3-alpha || *;   2.1.3-alpha;  true;   false
                """)
        void membership(String range, String version, boolean theirs, boolean ours) {
            assertMembership(range, version, theirs, ours);
        }

        @Test
        @DisplayName("it reads text that is no range as a range matching nothing; ours refuses"
                + " it, naming the text (ours is right: a typo must not silently match nothing)")
        void invalidText() {
            assertThat(RangesListFactory.create("foo").isSatisfiedBy(new Semver("1.0.0")))
                    .isFalse();
            assertThatThrownBy(() -> VersionRange.parse("foo"))
                    .isInstanceOf(InvalidVersionException.class)
                    .hasMessageStartingWith("Invalid version range \"foo\"");
        }
    }

    @Nested
    @DisplayName("on Maven and Ivy intervals (ours follows Maven's documented meaning)")
    class Intervals {

        @ParameterizedTest(name = "\"{0}\" contains {1}: Semver4j {2}, ours {3}")
        @DisplayName("membership: Semver4j drops the upper end of [a,b) and matches nothing for"
                + " Maven's exclusive parentheses, [v] and unions")
        @CsvSource(delimiter = ';', textBlock = """
                [1.5,2.0);          2.5.0;   true;   false
                (1.0,2.0);          1.5.0;   false;  true
                (,1.0);             0.5.0;   false;  true
                (1.0,);             1.5.0;   false;  true
                [1.0];              1.0.0;   false;  true
                [1.0,2.0),[3.0,);   3.5.0;   false;  true
                """)
        void membership(String range, String version, boolean theirs, boolean ours) {
            assertMembership(range, version, theirs, ours);
        }

        @ParameterizedTest(name = "\"{0}\"")
        @DisplayName("it accepts a missing bound written with a bracket, and Ivy's latest"
                + " keywords; ours refuses them (Maven writes an open end with a parenthesis and"
                + " has no such keywords)")
        @ValueSource(strings = {"[,2.0]", "[1.0,]", "latest", "latest.integration"})
        void acceptedThere(String range) {
            assertThat(RangesListFactory.create(range).get()).isNotEmpty();
            assertThatThrownBy(() -> VersionRange.parse(range))
                    .isInstanceOf(InvalidVersionException.class);
        }

        @Test
        @DisplayName("it throws NumberFormatException on a bound beyond int; ours refuses the"
                + " range with InvalidVersionException like any other bad range")
        void hugeBound() {
            assertThatThrownBy(() -> RangesListFactory.create("[3000000000,)"))
                    .isInstanceOf(NumberFormatException.class);
            assertThatThrownBy(() -> VersionRange.parse("[3000000000,)"))
                    .isInstanceOf(InvalidVersionException.class);
        }
    }

    @Nested
    @DisplayName("on coerce (where ours deliberately departs from Semver4j's coerce)")
    class Coerce {

        @Test
        @DisplayName("it answers null with null; ours throws NullPointerException, a null"
                + " argument being a programming error rather than text without a version")
        void nullText() {
            assertThat(Semver.coerce(null)).isNull();
            assertThatThrownBy(() -> SemVer.coerce(null)).isInstanceOf(NullPointerException.class);
        }

        @Test
        @DisplayName("it trims only ASCII whitespace, so a no-break space costs the pre-release;"
                + " ours strips all whitespace first and keeps it")
        void noBreakSpace() {
            assertThat(Semver.coerce("1.2.3-rc.1\u00A0")).hasToString("1.2.3");
            assertThat(SemVer.coerce("1.2.3-rc.1\u00A0")).hasValue(SemVer.parse("1.2.3-rc.1"));
        }

        @Test
        @DisplayName("it reads text of any length; ours gives nothing beyond MAX_LENGTH")
        void length() {
            String text = "x".repeat(300) + "1.2.3";
            assertThat(Semver.coerce(text)).hasToString("1.2.3");
            assertThat(SemVer.coerce(text)).isEmpty();
        }
    }
}
