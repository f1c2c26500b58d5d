package dev.modelregistry.cli;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.s3.S3Config;
import dev.modelregistry.s3.S3Registry;
import dev.modelregistry.sqlite.SqliteRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** Where a registry lives: a folder with a SQLite registry, or a bucket and key prefix in S3. */
sealed interface Location {

    /** {@code s3://bucket/prefix} is a bucket; anything else is a folder. */
    static Location parse(String text) {
        if (text.regionMatches(true, 0, "s3://", 0, 5)) {
            String rest = text.substring(5);
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            while (prefix.endsWith("/")) {
                prefix = prefix.substring(0, prefix.length() - 1);
            }
            if (bucket.isEmpty()) {
                throw new RegistryCli.UsageException("Invalid registry location \"" + text + "\": expected s3://bucket/prefix");
            }
            return new Bucket(bucket, prefix);
        }
        return new Folder(Path.of(text));
    }

    ModelRegistry open(RegistryCli cli, boolean mayCreate);

    /** A SQLite registry folder: {@code registry.db} and {@code artifacts/}. */
    record Folder(Path directory) implements Location {
        @Override
        public ModelRegistry open(RegistryCli cli, boolean mayCreate) {
            // Reading a mistyped path must not leave an empty registry behind.
            if (!mayCreate && !Files.isRegularFile(directory.resolve(SqliteRegistry.DATABASE_FILE))) {
                throw new NotFoundException("No registry at " + directory + " (no " + SqliteRegistry.DATABASE_FILE
                        + " there); registering a version creates one");
            }
            return SqliteRegistry.open(directory);
        }
    }

    /**
     * A registry in a bucket. Endpoint, region, path style and credentials come from the options or
     * the environment the command line was given, so it points at MinIO or S3Mock as easily as at S3.
     */
    record Bucket(String bucket, String prefix) implements Location {
        @Override
        public ModelRegistry open(RegistryCli cli, boolean mayCreate) {
            Map<String, String> env = cli.environment();
            S3Config.Builder config = S3Config.builder(bucket);
            if (!prefix.isEmpty()) {
                config.prefix(prefix);
            }
            String endpoint = first(cli.s3Endpoint, env.get(RegistryCli.ENV_S3_ENDPOINT), env.get("AWS_ENDPOINT_URL_S3"),
                    env.get("AWS_ENDPOINT_URL"));
            if (endpoint != null) {
                try {
                    config.endpoint(new URI(endpoint));
                } catch (URISyntaxException e) {
                    throw new RegistryCli.UsageException("Invalid S3 endpoint \"" + endpoint + "\": " + e.getReason());
                }
            }
            String region = first(cli.s3Region, env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"));
            if (region != null) {
                config.region(Region.of(region));
            }
            boolean pathStyle = cli.s3PathStyle != null ? cli.s3PathStyle : endpoint != null;
            config.pathStyleAccess(pathStyle);
            String key = env.get("AWS_ACCESS_KEY_ID");
            String secret = env.get("AWS_SECRET_ACCESS_KEY");
            if (key != null && secret != null) {
                String token = env.get("AWS_SESSION_TOKEN");
                config.credentials(StaticCredentialsProvider.create(token == null
                        ? AwsBasicCredentials.create(key, secret) : AwsSessionCredentials.create(key, secret, token)));
            }
            return S3Registry.builder(config.build()).build();
        }

        private static String first(String... candidates) {
            for (String c : candidates) {
                if (c != null && !c.isBlank()) {
                    return c;
                }
            }
            return null;
        }
    }
}
