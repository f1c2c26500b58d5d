package dev.modelregistry.cli;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.StorageException;
import dev.modelregistry.s3.S3Config;
import dev.modelregistry.s3.S3Registry;
import dev.modelregistry.internal.util.MessageText;
import dev.modelregistry.sqlite.SqliteRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
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
                throw new RegistryCli.UsageException("Invalid registry location " + MessageText.quote(text) + ": expected s3://bucket/prefix");
            }
            return new Bucket(bucket, prefix);
        }
        try {
            return new Folder(Path.of(text));
        } catch (InvalidPathException e) {
            throw new RegistryCli.UsageException("Invalid registry location " + MessageText.quote(text) + ": " + e.getReason());
        }
    }

    ModelRegistry open(RegistryCli cli, boolean mayCreate);

    /** A SQLite registry folder: {@code registry.db} and {@code artifacts/}. */
    record Folder(Path directory) implements Location {
        @Override
        public ModelRegistry open(RegistryCli cli, boolean mayCreate) {
            Path database = directory.resolve(SqliteRegistry.DATABASE_FILE);
            if (Files.exists(directory) && !Files.isDirectory(directory)) {
                throw new RegistryCli.UsageException("Invalid registry location " + directory + ": it is a file, not a folder");
            }
            if (Files.exists(database) && !Files.isRegularFile(database)) {
                throw new RegistryCli.UsageException("Invalid registry at " + directory + ": " + SqliteRegistry.DATABASE_FILE
                        + " there is not a file");
            }
            // Reading a mistyped path must not leave an empty registry behind, nor turn an empty file into one.
            if (!mayCreate && !Files.isRegularFile(database)) {
                throw new NotFoundException("No registry at " + directory + " (no " + SqliteRegistry.DATABASE_FILE
                        + " there); registering a version creates one");
            }
            if (!mayCreate && size(database) == 0) {
                throw new NotFoundException("No registry at " + directory + " (" + SqliteRegistry.DATABASE_FILE
                        + " there is empty); registering a version creates one");
            }
            return SqliteRegistry.open(directory);
        }

        private static long size(Path file) {
            try {
                return Files.size(file);
            } catch (IOException e) {
                throw new StorageException("Cannot read the size of " + file + ": " + e.getMessage(), e);
            }
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
            S3Config s3;
            try {
                s3 = config(cli, env);
            } catch (IllegalArgumentException e) {
                // S3Config refuses a bucket name, prefix or endpoint it cannot use: the location is wrong, not the storage.
                throw new RegistryCli.UsageException("Invalid S3 location s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix)
                        + ": " + e.getMessage());
            }
            return S3Registry.builder(s3).build();
        }

        private S3Config config(RegistryCli cli, Map<String, String> env) {
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
                    throw new RegistryCli.UsageException("Invalid S3 endpoint " + MessageText.quote(endpoint) + ": " + e.getReason());
                }
            }
            String region = first(cli.s3Region, env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"));
            if (region != null) {
                if (!REGION.matcher(region).matches()) {
                    throw new RegistryCli.UsageException("Invalid S3 region " + MessageText.quote(region)
                            + ": expected lower-case letters, digits and hyphens, e.g. eu-west-1");
                }
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
            return config.build();
        }

        /** A region as AWS and S3-compatible stores name them: eu-west-1, us-gov-west-1, or a custom name in the same alphabet. */
        private static final java.util.regex.Pattern REGION = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

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
