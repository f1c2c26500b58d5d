package dev.modelregistry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.SemVer;
import dev.modelregistry.testkit.contract.GeneratedHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the precedence key")
class PrecedenceKeyTest {

    @Test
    @DisplayName("sorts the SemVer 2.0.0 specification's example chain in order")
    void specificationChain() {
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1-0", "1.0.1", "1.1.0", "1.9.0",
                "1.10.0", "2.0.0-0", "2.0.0-1", "2.0.0-9", "2.0.0-10", "2.0.0-A", "2.0.0-Z", "2.0.0-a", "2.0.0-a.0",
                "2.0.0-a-", "2.0.0-aa", "2.0.0", "10.0.0", "2147483647.2147483647.2147483647");
        for (int i = 0; i + 1 < ordered.size(); i++) {
            SemVer lower = SemVer.parse(ordered.get(i));
            SemVer higher = SemVer.parse(ordered.get(i + 1));
            assertThat(lower.compareTo(higher)).as("core order of %s < %s", lower, higher).isNegative();
            assertThat(PrecedenceKey.compare(PrecedenceKey.of(lower), PrecedenceKey.of(higher)))
                    .as("key order of %s < %s", lower, higher).isNegative();
        }
    }

    @Test
    @DisplayName("ignores build metadata, so versions equal in precedence have equal keys")
    void buildMetadataIgnored() {
        assertThat(PrecedenceKey.of(SemVer.parse("1.2.3+build.7"))).isEqualTo(PrecedenceKey.of(SemVer.parse("1.2.3")));
        assertThat(PrecedenceKey.of(SemVer.parse("1.2.3-rc.1+a"))).isEqualTo(PrecedenceKey.of(SemVer.parse("1.2.3-rc.1+b.c")));
        assertThat(PrecedenceKey.of(SemVer.parse("v1.2.3"))).isEqualTo(PrecedenceKey.of(SemVer.parse("1.2.3")));
    }

    @Test
    @DisplayName("orders numeric pre-release identifiers numerically, below alphanumeric ones, and a longer list above its prefix")
    void identifierRules() {
        assertKeyOrderMatchesCore("1.0.0-2", "1.0.0-10");
        assertKeyOrderMatchesCore("1.0.0-999", "1.0.0-a");
        assertKeyOrderMatchesCore("1.0.0-9", "1.0.0-1a");
        assertKeyOrderMatchesCore("1.0.0-alpha", "1.0.0-alpha.0");
        assertKeyOrderMatchesCore("1.0.0-alpha.9", "1.0.0-alpha.a");
        assertKeyOrderMatchesCore("1.0.0-a.b", "1.0.0-a.b.c.d");
        assertKeyOrderMatchesCore("1.0.0-" + "9".repeat(30), "1.0.0-1" + "0".repeat(30));
        assertKeyOrderMatchesCore("1.0.0-x", "1.0.0");
    }

    @Test
    @DisplayName("agrees with SemVer.compareTo on every pair of 400 generated versions")
    void agreesWithCoreOnGeneratedVersions() {
        Random random = new Random(20240501);
        List<SemVer> versions = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            versions.add(GeneratedHistory.randomVersion(random));
        }
        for (SemVer a : versions) {
            byte[] ka = PrecedenceKey.of(a);
            for (SemVer b : versions) {
                assertThat(Integer.signum(PrecedenceKey.compare(ka, PrecedenceKey.of(b))))
                        .as("%s vs %s", a, b).isEqualTo(Integer.signum(a.compareTo(b)));
            }
        }
    }

    @Test
    @DisplayName("maps metric values to keys in Double.compare order, -0.0 below 0.0")
    void metricKeys() {
        double[] values = {-Double.MAX_VALUE, -1e300, -2.5, -1.0, -Double.MIN_VALUE, -0.0, 0.0, Double.MIN_VALUE,
                1e-300, 0.5, 1.0, 2.5, 1e300, Double.MAX_VALUE};
        for (int i = 0; i + 1 < values.length; i++) {
            assertThat(MetricKey.of(values[i])).as("%s < %s", values[i], values[i + 1]).isLessThan(MetricKey.of(values[i + 1]));
        }
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            double a = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(20) - 10);
            double b = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(20) - 10);
            assertThat(Long.signum(Long.compare(MetricKey.of(a), MetricKey.of(b)))).isEqualTo(Integer.signum(Double.compare(a, b)));
        }
    }

    private static void assertKeyOrderMatchesCore(String lowerText, String higherText) {
        SemVer lower = SemVer.parse(lowerText);
        SemVer higher = SemVer.parse(higherText);
        assertThat(lower.compareTo(higher)).as("core: %s < %s", lower, higher).isNegative();
        assertThat(PrecedenceKey.compare(PrecedenceKey.of(lower), PrecedenceKey.of(higher))).as("key: %s < %s", lower, higher).isNegative();
        assertThat(PrecedenceKey.compare(PrecedenceKey.of(higher), PrecedenceKey.of(lower))).as("key: %s > %s", higher, lower).isPositive();
    }
}
