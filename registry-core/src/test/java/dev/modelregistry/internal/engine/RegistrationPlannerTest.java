package dev.modelregistry.internal.engine;

import static dev.modelregistry.internal.engine.PlannerFixture.AUTHOR;
import static dev.modelregistry.internal.engine.PlannerFixture.LIFECYCLE;
import static dev.modelregistry.internal.engine.PlannerFixture.MODEL;
import static dev.modelregistry.internal.engine.PlannerFixture.NOW;
import static dev.modelregistry.internal.engine.PlannerFixture.log;
import static dev.modelregistry.internal.engine.PlannerFixture.signature;
import static dev.modelregistry.internal.engine.PlannerFixture.v;
import static dev.modelregistry.internal.engine.PlannerFixture.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.AlreadyExistsException;
import dev.modelregistry.BreakingChangeException;
import dev.modelregistry.Bump;
import dev.modelregistry.EventCodec;
import dev.modelregistry.InvalidNameException;
import dev.modelregistry.Limits;
import dev.modelregistry.MetadataTooLargeException;
import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelCardAttached;
import dev.modelregistry.ModelCreated;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.Signature;
import dev.modelregistry.VersionRegistered;
import dev.modelregistry.internal.engine.PlannerFixture.Committed;
import dev.modelregistry.internal.engine.PlannerFixture.Log;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The registration planner")
class RegistrationPlannerTest {
    private static final Principal BY = Principal.of(AUTHOR, "data-scientist");
    private static final Signature BASE = signature(List.of("amount", "country"), "score");

    private static Registration.Builder registration() {
        return Registration.of(MODEL.value());
    }

    private static Committed<ModelVersion> register(Log log, Registration r) {
        return log.commit(BY.name(), RegistrationPlanner.plan(log.state, r, BY, NOW, List.of()));
    }

    /** The version an AUTO registration of {@code next} gets after 1.2.3 with the base signature. */
    private static String autoAfter123(Signature next) {
        Log log = log().register(version("1.2.3", BASE));
        return register(log, registration().signature(next).build()).value().version().toString();
    }

    @Nested
    @DisplayName("chooses the version")
    class Choosing {

        @Test
        @DisplayName("registers an explicit version as given, recording who and when")
        void explicit() {
            ModelVersion registered = register(log().register("1.0.0"), registration().version("1.4.0").build()).value();

            assertThat(registered.version()).isEqualTo(v("1.4.0"));
            assertThat(registered.author()).isEqualTo(AUTHOR);
            assertThat(registered.createdAt()).isEqualTo(NOW);
        }

        @ParameterizedTest(name = "{0} after 1.2.3 gives {1}")
        @CsvSource({"MAJOR, 2.0.0", "MINOR, 1.3.0", "PATCH, 1.2.4"})
        @DisplayName("applies each explicit bump to the highest version")
        void bumps(Bump bump, String expected) {
            Log log = log().register("1.0.0", "1.2.3");
            assertThat(register(log, registration().bump(bump).build()).value().version()).isEqualTo(v(expected));
        }

        @ParameterizedTest(name = "{0} as a first version gives {1}")
        @CsvSource({"AUTO, 1.0.0", "MAJOR, 1.0.0", "MINOR, 0.1.0", "PATCH, 0.0.1"})
        @DisplayName("starts a new model at 1.0.0 under AUTO, and bumps 0.0.0 otherwise")
        void firstVersion(Bump bump, String expected) {
            assertThat(register(log(), registration().bump(bump).build()).value().version()).isEqualTo(v(expected));
        }

        @Test
        @DisplayName("under AUTO takes a MAJOR step for a breaking signature change")
        void autoMajor() {
            assertThat(autoAfter123(signature(List.of("amount"), "score"))).isEqualTo("2.0.0");
        }

        @Test
        @DisplayName("under AUTO takes a MINOR step for a compatible addition")
        void autoMinor() {
            assertThat(autoAfter123(signature(List.of("amount", "country"), "score", "explanation"))).isEqualTo("1.3.0");
        }

        @Test
        @DisplayName("under AUTO takes a PATCH step when the signature is unchanged")
        void autoPatch() {
            assertThat(autoAfter123(BASE)).isEqualTo("1.2.4");
        }

        @Test
        @DisplayName("under AUTO completes a pre-release line a breaking change was previewed on")
        void autoFromPreRelease() {
            Log log = log().register(version("1.2.3", BASE)).register(version("2.0.0-rc.1", BASE));
            Registration breaking = registration().signature(signature(List.of("amount"), "score")).build();

            assertThat(register(log, breaking).value().version()).isEqualTo(v("2.0.0"));
        }

        @Test
        @DisplayName("checks an explicit version against the version just below it, not the highest")
        void explicitBelowHighest() {
            Log log = log().register(version("1.0.0", BASE)).register(version("2.0.0", signature(List.of("amount"), "score")));
            Registration patch = registration().version("1.0.1").signature(BASE).build();

            assertThat(register(log, patch).value().version()).isEqualTo(v("1.0.1"));
        }
    }

    @Nested
    @DisplayName("refuses")
    class Refusing {

        @Test
        @DisplayName("an explicit bump smaller than the signature change needs, naming the change")
        void understatedBump() {
            Log log = log().register(version("1.2.3", BASE));
            Registration r = registration().bump(Bump.PATCH).signature(signature(List.of("amount"), "score")).build();

            assertThatThrownBy(() -> register(log, r))
                    .isInstanceOfSatisfying(BreakingChangeException.class, e -> assertThat(e.required()).isEqualTo(Bump.MAJOR))
                    .hasMessage("Version 1.2.4 of fraud-detector is a PATCH step from 1.2.3, but the signature change needs MAJOR: "
                            + "input \"country\" removed");
            assertThat(log.state.lastSequence()).isEqualTo(2);
        }

        @Test
        @DisplayName("an explicit version that understates a compatible addition")
        void understatedExplicitVersion() {
            Log log = log().register(version("1.2.3", BASE));
            Registration r = registration().version("1.2.4").signature(signature(List.of("amount", "country"), "score", "why")).build();

            assertThatThrownBy(() -> register(log, r))
                    .isInstanceOfSatisfying(BreakingChangeException.class, e -> assertThat(e.required()).isEqualTo(Bump.MINOR))
                    .hasMessage("Version 1.2.4 of fraud-detector is a PATCH step from 1.2.3, but the signature change needs MINOR: "
                            + "output \"why\" added");
        }

        @Test
        @DisplayName("the release of a minor pre-release line for a breaking change")
        void preReleaseOfMinorLine() {
            Log log = log().register(version("1.3.0-rc.1", BASE));
            Registration r = registration().version("1.3.0").signature(signature(List.of("amount"), "score")).build();

            assertThatThrownBy(() -> register(log, r)).isInstanceOf(BreakingChangeException.class)
                    .hasMessageStartingWith("Version 1.3.0 of fraud-detector is a MINOR step from 1.3.0-rc.1");
        }

        @ParameterizedTest(name = "{1} when it has {0}")
        @CsvSource(delimiter = '|', value = {
                "1.0.0 | 1.0.0 | ''", "1.0.0+build.5 | 1.0.0+build.5 | ''",
                "1.0.0+build.5 | 1.0.0+build.7 | ' (build metadata is not part of a version''s identity)'"})
        @DisplayName("a version the model already has, saying when build metadata is all that differs")
        void duplicateVersion(String existing, String registered, String note) {
            Log log = log().register(existing);
            assertThatThrownBy(() -> register(log, registration().version(registered).build()))
                    .isInstanceOf(AlreadyExistsException.class)
                    .hasMessage("Model fraud-detector already has version " + existing + note);
        }

        @Test
        @DisplayName("a tag another version already carries")
        void tagInUse() {
            Log log = log();
            register(log, registration().version("1.0.0").tag("champion").build());

            assertThatThrownBy(() -> register(log, registration().version("1.1.0").tag("champion").build()))
                    .isInstanceOf(AlreadyExistsException.class)
                    .hasMessage("Tag \"champion\" already names fraud-detector@1.0.0");
        }
    }

    @Nested
    @DisplayName("plans the events")
    class Events {

        @Test
        @DisplayName("with ModelCreated first for a new model")
        void newModel() {
            Committed<ModelVersion> c = register(log(), registration().version("1.0.0").build());

            assertThat(c.events()).containsExactly(new ModelCreated(MODEL), new VersionRegistered(c.value()));
        }

        @Test
        @DisplayName("without ModelCreated for a model that has a log")
        void existingModel() {
            Committed<ModelVersion> c = register(log().register("1.0.0"), registration().version("1.1.0").build());

            assertThat(c.events()).containsExactly(new VersionRegistered(c.value()));
            assertThat(c.entries().get(0).sequence()).isEqualTo(3);
        }

        @Test
        @DisplayName("with the model card attached in the same append")
        void modelCard() {
            ModelCard card = ModelCard.builder().intendedUse("card fraud scoring").owner("risk-team").build();
            Log log = log().register("1.0.0");

            Committed<ModelVersion> c = register(log, registration().version("1.1.0").modelCard(card).build());

            assertThat(c.events()).containsExactly(new VersionRegistered(c.value()), new ModelCardAttached(v("1.1.0"), card));
            assertThat(log.state.card(v("1.1.0"))).contains(card);
        }
    }

    @Nested
    @DisplayName("measures the sealed version record")
    class Size {

        /** A signature of {@code count} inputs whose names are {@code stem} and a number. */
        private Signature wide(int count, String stem) {
            List<Signature.Field> inputs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                inputs.add(Signature.Field.of(stem + i, "double"));
            }
            return Signature.of(inputs, List.of());
        }

        private Registration withInputs(int count, String stem) {
            return registration().version("1.0.0").signature(wide(count, stem)).build();
        }

        private int sizeOf(Registration r) {
            return EventCodec.sizeOf(new VersionRegistered(r.toVersion(v("1.0.0"), AUTHOR, NOW, List.of())));
        }

        @Test
        @DisplayName("refuses a record over the limit in the check, before anything is folded, with its size")
        void overLimit() {
            Registration r = withInputs(5_000, "x".repeat(240));
            int size = sizeOf(r);
            assertThat(size).isGreaterThan(Limits.MAX_VERSION_RECORD_BYTES);
            Log log = log();
            Plan<ModelVersion> plan = RegistrationPlanner.plan(log.state, r, BY, NOW, List.of());

            assertThatThrownBy(() -> log.commit(BY.name(), plan)).isInstanceOf(MetadataTooLargeException.class)
                    .hasMessage("Version record of fraud-detector@1.0.0 takes " + size + " bytes as JSON; the limit is 1048576");
            assertThat(log.state.exists()).isFalse();
        }

        @Test
        @DisplayName("counts UTF-8 bytes, not characters, near the limit")
        void multiByte() {
            Registration r = withInputs(2_400, "é".repeat(240));
            int size = sizeOf(r);
            String event = new String(EventCodec.canonicalJson(new VersionRegistered(r.toVersion(v("1.0.0"), AUTHOR, NOW, List.of()))),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertThat(event.length()).isLessThan(Limits.MAX_VERSION_RECORD_BYTES);
            assertThat(size).isGreaterThan(Limits.MAX_VERSION_RECORD_BYTES);

            assertThatThrownBy(() -> register(log(), r)).isInstanceOf(MetadataTooLargeException.class)
                    .hasMessageContaining("takes " + size + " bytes");
        }

        @Test
        @DisplayName("accepts a large record under the limit")
        void underLimit() {
            Registration r = withInputs(3_000, "x".repeat(240));
            assertThat(sizeOf(r) * 3L).isGreaterThan(Limits.MAX_VERSION_RECORD_BYTES);
            assertThat(sizeOf(r)).isLessThan(Limits.MAX_VERSION_RECORD_BYTES);

            assertThat(register(log(), r).value().signature().inputs()).hasSize(3_000);
        }
    }

    @Nested
    @DisplayName("sizes the step between two versions")
    class Steps {

        @ParameterizedTest(name = "{0} -> {1} is {2}")
        @CsvSource({
                "1.2.3, 2.0.0, MAJOR", "1.2.3, 1.3.0, MINOR", "1.2.3, 1.2.4, PATCH",
                "1.2.3, 1.2.4-rc.1, PATCH", "1.2.3, 1.3.0-rc.1, MINOR",
                "2.0.0-rc.1, 2.0.0, MAJOR", "2.0.0-rc.1, 2.0.0-rc.2, MAJOR",
                "1.3.0-rc.1, 1.3.0, MINOR", "1.2.4-rc.1, 1.2.4, PATCH", "1.2.4-alpha, 1.2.4-beta, PATCH"})
        @DisplayName("by the first number that differs, or by the line a pre-release previews")
        void step(String base, String next, Bump expected) {
            assertThat(RegistrationPlanner.stepBetween(v(base), v(next))).isEqualTo(expected);
        }
    }

    @Nested
    @DisplayName("refuses ambiguous tags")
    class Tags {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "latest | \"latest\" is reserved", "LATEST | \"latest\" is reserved",
                "production | it names a stage", "none | it names a stage",
                "1.2.3 | it reads as a version", "1.x | it reads as a version range"})
        @DisplayName("that read as something else a reference can name")
        void ambiguous(String tag, String why) {
            assertThatThrownBy(() -> RegistrationPlanner.checkTagIsUnambiguous(LIFECYCLE, tag))
                    .isInstanceOf(InvalidNameException.class)
                    .hasMessage("Invalid tag \"" + tag + "\": " + why);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"champion", "fraud-q3", "canary"})
        @DisplayName("and accepts the others")
        void unambiguous(String tag) {
            assertThatCode(() -> RegistrationPlanner.checkTagIsUnambiguous(LIFECYCLE, tag)).doesNotThrowAnyException();
        }
    }
}
