package dev.modelregistry.examples.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.s3.S3Registry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class S3ExampleTest {
    @Test
    @DisplayName("the s3 example shares models between two registries over one bucket of a local S3Mock")
    void runs() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (LocalS3Mock mock = LocalS3Mock.start("examples-test")) {
            new S3Example(new PrintStream(buffer, true, StandardCharsets.UTF_8))
                    .run(() -> S3Example.localConfig(mock.endpoint(), "examples-test", "s3-example-test"));
            // A third client, opened afterwards, finds the state the story ended in.
            try (ModelRegistry later = S3Registry.builder(S3Example.localConfig(mock.endpoint(), "examples-test", "s3-example-test")).build()) {
                assertThat(later.getCurrent(S3Example.MODEL, Stage.PRODUCTION).version()).isEqualTo(SemVer.parse("1.0.0"));
                assertThat(later.stageOf(S3Example.MODEL, SemVer.parse("2.0.0"))).isEqualTo(Stage.ARCHIVED);
            }
        }
        assertThat(buffer.toString(StandardCharsets.UTF_8))
                .contains("serving fraud-detector@2.0.0").contains("ROLLBACK").contains("intact");
    }
}
