package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A SemVer version")
class SemVerTest {

    /** The valid examples from the test cases of the regular expression that semver.org links. */
    private static final String[] SPEC_VALID = {
        "0.0.4", "1.2.3", "10.20.30", "1.1.2-prerelease+meta", "1.1.2+meta", "1.1.2+meta-valid",
        "1.0.0-alpha", "1.0.0-beta", "1.0.0-alpha.beta", "1.0.0-alpha.beta.1", "1.0.0-alpha.1",
        "1.0.0-alpha0.valid", "1.0.0-alpha.0valid",
        "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay", "1.0.0-rc.1+build.1",
        "2.0.0-rc.1+build.123", "1.2.3-beta", "10.2.3-DEV-SNAPSHOT", "1.2.3-SNAPSHOT-123", "1.0.0",
        "2.0.0", "1.1.7", "2.0.0+build.1848", "2.0.1-alpha.1227", "1.0.0-alpha+beta",
        "1.2.3----RC-SNAPSHOT.12.9.1--.12+788", "1.2.3----R-S.12.9.1--.12+meta",
        "1.2.3----RC-SNAPSHOT.12.9.1--.12", "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
        "1.0.0-0A.is.legal"
    };

    @Nested
    @DisplayName("parsing")
    class Parsing {

        @ParameterizedTest(name = "{0}")
        @DisplayName("accepts every valid example of the SemVer 2.0.0 regex test cases")
        @ValueSource(strings = {
            "0.0.4", "1.2.3", "10.20.30", "1.1.2-prerelease+meta", "1.1.2+meta",
            "1.1.2+meta-valid", "1.0.0-alpha", "1.0.0-beta", "1.0.0-alpha.beta",
            "1.0.0-alpha.beta.1", "1.0.0-alpha.1", "1.0.0-alpha0.valid", "1.0.0-alpha.0valid",
            "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay", "1.0.0-rc.1+build.1",
            "2.0.0-rc.1+build.123", "1.2.3-beta", "10.2.3-DEV-SNAPSHOT", "1.2.3-SNAPSHOT-123",
            "1.0.0", "2.0.0", "1.1.7", "2.0.0+build.1848", "2.0.1-alpha.1227", "1.0.0-alpha+beta",
            "1.2.3----RC-SNAPSHOT.12.9.1--.12+788", "1.2.3----R-S.12.9.1--.12+meta",
            "1.2.3----RC-SNAPSHOT.12.9.1--.12", "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
            "1.0.0-0A.is.legal", "2147483647.2147483647.2147483647", "1.0.0-99999999999999999999",
            "1.0.0+001.0002"
        })
        void acceptsValid(String text) {
            SemVer version = SemVer.parse(text);
            assertThat(version).hasToString(text);
        }

        @ParameterizedTest(name = "\"{0}\"")
        @DisplayName("refuses every invalid example of the SemVer 2.0.0 regex test cases, and more,"
                + " quoting the text")
        @ValueSource(strings = {
            "1", "1.2", "1.2.3-0123", "1.2.3-0123.0123", "1.1.2+.123", "+invalid", "-invalid",
            "-invalid+invalid", "-invalid.01", "alpha", "alpha.beta", "alpha.beta.1", "alpha.1",
            "alpha+beta", "alpha_beta", "alpha.", "alpha..", "beta", "1.0.0-alpha_beta", "-alpha.",
            "1.0.0-alpha..", "1.0.0-alpha..1", "1.0.0-alpha...1", "1.0.0-alpha....1",
            "1.0.0-alpha.....1", "1.0.0-alpha......1", "1.0.0-alpha.......1", "01.1.1", "1.01.1",
            "1.1.01", "1.2.3.DEV", "1.2-SNAPSHOT", "1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788",
            "1.2-RC-SNAPSHOT", "-1.0.3-gamma+b7718", "+justmeta", "9.8.7+meta+meta",
            "9.8.7-whatever+meta+meta",
            "99999999999999999999999.999999999999999999.99999999999999999----RC-SNAPSHOT.12.09.1"
                + "--------------------------------..12",
            // Valid SemVer, but major, minor and patch are ints here.
            "99999999999999999999999.999999999999999999.99999999999999999", "2147483648.0.0",
            "0.2147483648.0", "0.0.2147483648", "0.0.99999999999",
            // Forms node-semver accepts only in loose mode, and plain junk.
            "", "v", "V1.2.3", "vv1.2.3", "=1.2.3", " 1.2.3", "1.2.3 ", "1.2.3\n", "\t1.2.3",
            "1.2.3-", "1.2.3+", "1.2.3-01", "1.2.3-a..b", "1.2.3+a..b", "1.2.3-\u00e4", "1.2.3+_",
            "1.0.0beta", "2.0.0beta", "1.2.3tag", "-1.2.3", "1.-2.3", "1..3", ".1.2.3", "1.2.3.",
            "1.2.3.4", "not a version", "glorp", "1.2.x", "^1.2.3", "１.2.3"
        })
        void refusesInvalid(String text) {
            assertThatThrownBy(() -> SemVer.parse(text))
                    .isInstanceOf(InvalidVersionException.class)
                    .isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("Invalid version \"" + text + "\": ");
        }

        @Test
        @DisplayName("explains a missing part in SemVer terms")
        void explainsMissingPart() {
            assertThatThrownBy(() -> SemVer.parse("1.2"))
                    .hasMessage("Invalid version \"1.2\": expected MAJOR.MINOR.PATCH (SemVer 2.0.0)");
        }

        @Test
        @DisplayName("explains leading zeros, empty identifiers, bad characters and huge numbers")
        void explainsWhy() {
            assertThatThrownBy(() -> SemVer.parse("01.2.3")).hasMessageContaining("leading zeros");
            assertThatThrownBy(() -> SemVer.parse("1.2.3-01")).hasMessageContaining("leading zeros");
            assertThatThrownBy(() -> SemVer.parse("1.2.3-")).hasMessageContaining("empty pre-release");
            assertThatThrownBy(() -> SemVer.parse("1.2.3+")).hasMessageContaining("empty build");
            assertThatThrownBy(() -> SemVer.parse("1.2.3-a_b")).hasMessageContaining("'_'");
            assertThatThrownBy(() -> SemVer.parse("2147483648.0.0"))
                    .hasMessageContaining("larger than 2147483647");
            assertThatThrownBy(() -> SemVer.parse(" 1.2.3")).hasMessageContaining("whitespace");
        }

        @Test
        @DisplayName("refuses null")
        void refusesNull() {
            assertThatThrownBy(() -> SemVer.parse(null))
                    .isInstanceOf(InvalidVersionException.class)
                    .hasMessageStartingWith("Invalid version null");
        }

        @Test
        @DisplayName("accepts up to 256 characters, as node-semver does, and no more")
        void lengthLimit() {
            String longest = "1.0.0-" + "a".repeat(SemVer.MAX_LENGTH - 6);
            assertThat(SemVer.parse(longest).toString()).hasSize(SemVer.MAX_LENGTH);
            String tooLong = longest + "a";
            assertThatThrownBy(() -> SemVer.parse(tooLong))
                    .isInstanceOf(InvalidVersionException.class)
                    .hasMessageStartingWith("Invalid version \"1.0.0-aaaa")
                    .hasMessageContaining("longer than 256 characters");
        }

        @Test
        @DisplayName("accepts a leading v but prints without it")
        void leadingV() {
            SemVer version = SemVer.parse("v1.2.5");
            assertThat(version).isEqualTo(SemVer.parse("1.2.5"));
            assertThat(version).hasToString("1.2.5");
            assertThat(SemVer.parse("v1.0.0-rc.1+b.2")).hasToString("1.0.0-rc.1+b.2");
        }

        @Test
        @DisplayName("exposes major, minor, patch, pre-release and build identifiers")
        void components() {
            SemVer version = SemVer.parse("1.4.0-rc.2+build.007");
            assertThat(version.major()).isEqualTo(1);
            assertThat(version.minor()).isEqualTo(4);
            assertThat(version.patch()).isEqualTo(0);
            assertThat(version.preRelease()).containsExactly("rc", "2");
            assertThat(version.build()).containsExactly("build", "007");
            assertThat(version.isPreRelease()).isTrue();

            SemVer release = SemVer.parse("1.4.0");
            assertThat(release.preRelease()).isEmpty();
            assertThat(release.build()).isEmpty();
            assertThat(release.isPreRelease()).isFalse();
        }

        @Test
        @DisplayName("hands out identifier lists nobody can change")
        void unmodifiableLists() {
            SemVer version = SemVer.parse("1.0.0-rc.1+b");
            assertThatThrownBy(() -> version.preRelease().add("x"))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> version.build().clear())
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> SemVer.parse("1.0.0").preRelease().add("x"))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    @DisplayName("of(major, minor, patch)")
    class Of {

        @Test
        @DisplayName("builds the release version with those parts")
        void builds() {
            SemVer version = SemVer.of(1, 2, 3);
            assertThat(version).isEqualTo(SemVer.parse("1.2.3"));
            assertThat(version).hasToString("1.2.3");
            assertThat(version.preRelease()).isEmpty();
            assertThat(version.build()).isEmpty();
            assertThat(SemVer.of(0, 0, 0)).hasToString("0.0.0");
        }

        @ParameterizedTest(name = "{0}.{1}.{2}")
        @DisplayName("refuses negative parts")
        @CsvSource({"-1, 0, 0", "0, -1, 0", "0, 0, -1", "-2147483648, -1, -1"})
        void refusesNegative(int major, int minor, int patch) {
            assertThatThrownBy(() -> SemVer.of(major, minor, patch))
                    .isInstanceOf(InvalidVersionException.class)
                    .hasMessageStartingWith("Invalid version \"" + major + "." + minor + "." + patch
                            + "\"");
        }
    }

    @Nested
    @DisplayName("precedence")
    class Precedence {

        @Test
        @DisplayName("orders the SemVer 2.0.0 spec's pre-release example chain")
        void specPreReleaseChain() {
            assertStrictlyAscending("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                    "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0");
        }

        @Test
        @DisplayName("orders the SemVer 2.0.0 spec's release example chain")
        void specReleaseChain() {
            assertStrictlyAscending("1.0.0", "2.0.0", "2.1.0", "2.1.1");
        }

        @Test
        @DisplayName("sorts a shuffled list into spec order")
        void sortsShuffled() {
            List<String> ordered = List.of("0.9.9", "1.0.0-alpha", "1.0.0-alpha.1",
                    "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
                    "1.0.0-rc.1", "1.0.0", "1.0.1-0", "1.0.1", "2.0.0", "2.1.0", "2.1.1", "10.0.0");
            List<SemVer> shuffled = new ArrayList<>(ordered.stream().map(SemVer::parse).toList());
            Collections.shuffle(shuffled, new Random(42));
            Collections.sort(shuffled);
            assertThat(shuffled).extracting(SemVer::toString).containsExactlyElementsOf(ordered);
        }

        @ParameterizedTest(name = "{0} > {1}")
        @DisplayName("agrees with node-semver's comparisons.js fixture")
        // Every pair of test/fixtures/comparisons.js; the v-prefixed ones are also strict SemVer.
        @CsvSource({
            "0.0.0, 0.0.0-foo", "0.0.1, 0.0.0", "1.0.0, 0.9.9", "0.10.0, 0.9.0", "0.99.0, 0.10.0",
            "2.0.0, 1.2.3", "v0.0.0, 0.0.0-foo", "v0.0.1, 0.0.0", "v1.0.0, 0.9.9",
            "v0.10.0, 0.9.0", "v0.99.0, 0.10.0", "v2.0.0, 1.2.3", "0.0.0, v0.0.0-foo",
            "0.0.1, v0.0.0", "1.0.0, v0.9.9", "0.10.0, v0.9.0", "0.99.0, v0.10.0",
            "2.0.0, v1.2.3", "1.2.3, 1.2.3-asdf", "1.2.3, 1.2.3-4", "1.2.3, 1.2.3-4-foo",
            "1.2.3-5-foo, 1.2.3-5", "1.2.3-5, 1.2.3-4", "1.2.3-5-foo, 1.2.3-5-Foo",
            "3.0.0, 2.7.2+asdf", "1.2.3-a.10, 1.2.3-a.5", "1.2.3-a.b, 1.2.3-a.5",
            "1.2.3-a.b, 1.2.3-a", "1.2.3-a.b.c.10.d.5, 1.2.3-a.b.c.5.d.100",
            "1.2.3-r2, 1.2.3-r100", "1.2.3-r100, 1.2.3-R2"
        })
        void nodeSemverComparisons(String greater, String lesser) {
            SemVer a = SemVer.parse(greater);
            SemVer b = SemVer.parse(lesser);
            assertThat(a).isGreaterThan(b);
            assertThat(b).isLessThan(a);
            assertThat(a).isNotEqualTo(b);
        }

        @ParameterizedTest(name = "{0} < {1}")
        @DisplayName("compares pre-release identifiers by the SemVer 2.0.0 rules")
        @CsvSource({
            "1.0.0-2, 1.0.0-10",
            "1.0.0-9, 1.0.0-10",
            "1.0.0-99999999999999999998, 1.0.0-99999999999999999999",
            "1.0.0-99999999999999999999, 1.0.0-100000000000000000000",
            "1.0.0-99999999999999999999, 1.0.0-a",
            "1.0.0-0, 1.0.0-1",
            "1.0.0-1, 1.0.0-a",
            "1.0.0-999, 1.0.0--",
            "1.0.0-Z, 1.0.0-a",
            "1.0.0-A-, 1.0.0-a",
            "1.0.0-alpha, 1.0.0-alpha.0",
            "1.0.0-alpha.1, 1.0.0-alpha.1.0",
            "1.0.0-10a, 1.0.0-9b",
            "1.0.0-rc.1, 1.0.0",
            "0.9.99-rc, 1.0.0-0",
            "2147483646.0.0, 2147483647.0.0"
        })
        void preReleaseRules(String lesser, String greater) {
            assertThat(SemVer.parse(lesser)).isLessThan(SemVer.parse(greater));
            assertThat(SemVer.parse(greater)).isGreaterThan(SemVer.parse(lesser));
        }

        @Test
        @DisplayName("compares and tests equality without allocating")
        void allocatesNothing() {
            assumeTrue(ManagementFactory.getThreadMXBean()
                    instanceof com.sun.management.ThreadMXBean);
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            assumeTrue(threads.isThreadAllocatedMemorySupported()
                    && threads.isThreadAllocatedMemoryEnabled());
            SemVer[] versions = {SemVer.parse("1.0.0-alpha.1"), SemVer.parse("1.0.0-alpha.beta"),
                SemVer.parse("1.0.0-alpha.1+b"), SemVer.parse("1.0.0"), SemVer.parse("2.1.1")};
            long sum = 0;
            for (int i = 0; i < 20_000; i++) {
                sum += work(versions, i);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                sum += work(versions, i);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(sum).isNotZero();
            // One allocation per call would be at least 1.6 MB; the slack covers the JVM itself.
            assertThat(allocated).isLessThan(64 * 1024);
        }

        private static long work(SemVer[] versions, int i) {
            SemVer a = versions[i % versions.length];
            SemVer b = versions[(i / versions.length) % versions.length];
            return a.compareTo(b) + (a.equals(b) ? 7 : 0) + a.hashCode() % 3;
        }

        private static void assertStrictlyAscending(String... texts) {
            for (int i = 0; i + 1 < texts.length; i++) {
                SemVer lower = SemVer.parse(texts[i]);
                SemVer higher = SemVer.parse(texts[i + 1]);
                assertThat(lower).as("%s < %s", lower, higher).isLessThan(higher);
                assertThat(higher).as("%s > %s", higher, lower).isGreaterThan(lower);
            }
        }
    }

    @Nested
    @DisplayName("build metadata")
    class BuildMetadata {

        @Test
        @DisplayName("takes no part in precedence, equality or hashing")
        void ignoredForIdentity() {
            SemVer a = SemVer.parse("1.0.0-alpha+001");
            SemVer b = SemVer.parse("1.0.0-alpha+exp.sha.5114f85");
            SemVer c = SemVer.parse("1.0.0-alpha");
            assertThat(a.compareTo(b)).isZero();
            assertThat(a).isEqualTo(b).isEqualTo(c);
            assertThat(a).hasSameHashCodeAs(b).hasSameHashCodeAs(c);
            assertThat(SemVer.parse("1.0.0+20130313144700")).isEqualTo(SemVer.parse("1.0.0"));
        }

        @Test
        @DisplayName("is kept in toString() and build()")
        void kept() {
            SemVer a = SemVer.parse("1.0.0+20130313144700");
            assertThat(a).hasToString("1.0.0+20130313144700");
            assertThat(a.build()).containsExactly("20130313144700");
            assertThat(SemVer.parse("1.0.0-beta+exp.sha.5114f85").build())
                    .containsExactly("exp", "sha", "5114f85");
        }

        @Test
        @DisplayName("makes two spellings one registry version in hash and sorted sets")
        void oneVersionInSets() {
            Set<SemVer> hashed = new HashSet<>(List.of(SemVer.parse("1.0.0+a"),
                    SemVer.parse("1.0.0+b")));
            Set<SemVer> sorted = new TreeSet<>(List.of(SemVer.parse("1.0.0+a"),
                    SemVer.parse("1.0.0+b")));
            assertThat(hashed).hasSize(1);
            assertThat(sorted).hasSize(1);
        }
    }

    @Nested
    @DisplayName("incrementing")
    class Incrementing {

        @ParameterizedTest(name = "{0}: major {1}, minor {2}, patch {3}")
        @DisplayName("follows node-semver's inc() for major, minor and patch")
        // The major/minor/patch rows of node-semver's test/fixtures/increments.js, plus our own.
        @CsvSource({
            "1.2.3,              2.0.0, 1.3.0, 1.2.4",
            "1.2.3-tag,          2.0.0, 1.3.0, 1.2.3",
            "1.2.0-0,            2.0.0, 1.2.0, 1.2.0",
            "1.2.3-4,            2.0.0, 1.3.0, 1.2.3",
            "1.2.3-alpha.0.beta, 2.0.0, 1.3.0, 1.2.3",
            "1.2.0-1,            2.0.0, 1.2.0, 1.2.0",
            "1.0.0-1,            1.0.0, 1.0.0, 1.0.0",
            "2.0.0-rc.1,         2.0.0, 2.0.0, 2.0.0",
            "0.0.0,              1.0.0, 0.1.0, 0.0.1",
            "0.0.0-0,            0.0.0, 0.0.0, 0.0.0",
            "v1.2.3,             2.0.0, 1.3.0, 1.2.4",
            "1.2.3+build.5,      2.0.0, 1.3.0, 1.2.4",
            "1.2.3-rc.1+build.5, 2.0.0, 1.3.0, 1.2.3",
            "9.99.999,           10.0.0, 9.100.0, 9.99.1000"
        })
        void nodeSemverInc(String version, String major, String minor, String patch) {
            SemVer v = SemVer.parse(version);
            assertThat(v.nextMajor()).hasToString(major);
            assertThat(v.nextMinor()).hasToString(minor);
            assertThat(v.nextPatch()).hasToString(patch);
        }

        @Test
        @DisplayName("drops build metadata")
        void dropsBuild() {
            SemVer v = SemVer.parse("1.2.3+build.5");
            assertThat(v.nextMajor().build()).isEmpty();
            assertThat(v.nextMinor().build()).isEmpty();
            assertThat(v.nextPatch().build()).isEmpty();
        }

        @Test
        @DisplayName("refuses to overflow a part")
        void overflow() {
            int max = Integer.MAX_VALUE;
            assertThatThrownBy(() -> SemVer.of(max, 0, 0).nextMajor())
                    .isInstanceOf(InvalidVersionException.class)
                    .hasMessageContaining("2147483647.0.0");
            assertThatThrownBy(() -> SemVer.of(1, max, 0).nextMinor())
                    .isInstanceOf(InvalidVersionException.class);
            assertThatThrownBy(() -> SemVer.of(1, 2, max).nextPatch())
                    .isInstanceOf(InvalidVersionException.class);
            assertThat(SemVer.parse("2147483647.0.0-rc.1").nextMajor())
                    .hasToString("2147483647.0.0");
        }
    }

    @Nested
    @DisplayName("text and JSON")
    class TextAndJson {

        @Test
        @DisplayName("round-trips every valid spec example through toString() and parse()")
        void roundTrip() {
            for (String text : SPEC_VALID) {
                SemVer version = SemVer.parse(text);
                SemVer again = SemVer.parse(version.toString());
                assertThat(again).isEqualTo(version);
                assertThat(again.build()).isEqualTo(version.build());
                assertThat(again).hasToString(text);
            }
        }

        @Test
        @DisplayName("serialises as a plain JSON string and back, keeping build metadata")
        void json() throws IOException {
            ObjectMapper mapper = new ObjectMapper();
            SemVer version = SemVer.parse("v1.2.3-rc.1+build.7");
            String json = mapper.writeValueAsString(version);
            assertThat(json).isEqualTo("\"1.2.3-rc.1+build.7\"");
            SemVer read = mapper.readValue(json, SemVer.class);
            assertThat(read).isEqualTo(version);
            assertThat(read.build()).containsExactly("build", "7");

            Map<String, SemVer> map = mapper.readValue("{\"current\":\"2.0.0\"}",
                    new TypeReference<Map<String, SemVer>>() { });
            assertThat(map).containsEntry("current", SemVer.of(2, 0, 0));
        }

        @Test
        @DisplayName("refuses an invalid JSON string with the parse error as the cause")
        void jsonInvalid() {
            ObjectMapper mapper = new ObjectMapper();
            assertThatThrownBy(() -> mapper.readValue("\"1.2\"", SemVer.class))
                    .isInstanceOf(ValueInstantiationException.class)
                    .hasRootCauseInstanceOf(InvalidVersionException.class)
                    .hasMessageContaining("Invalid version \"1.2\"");
        }
    }
}
