package dev.modelregistry.s3;

/**
 * The artifact store contract on S3 with spooling: a few KiB go with one PUT from memory,
 * {@link #ONE_BUFFER} is spooled to a file and sent with one PUT, and {@link #TWO_PARTS} passes
 * the single-PUT limit while spooling and continues as a multipart upload to a temporary key.
 */
class S3SpooledArtifactStoreContractTest extends S3ArtifactStoreContract {
    @Override
    void configure(S3Config.Builder settings) {
        settings.singlePutLimit(PART + 1);
    }
}
