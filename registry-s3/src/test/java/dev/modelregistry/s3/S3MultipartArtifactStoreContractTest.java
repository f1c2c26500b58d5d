package dev.modelregistry.s3;

/**
 * The artifact store contract on S3 without spooling: from {@link #THRESHOLD} on, content goes by
 * multipart upload to a temporary key, then to its digest by {@code CopyObject} ({@link #ONE_BUFFER})
 * or, above the single-copy limit of one part, by a multipart copy ({@link #TWO_PARTS}).
 */
class S3MultipartArtifactStoreContractTest extends S3ArtifactStoreContract {
    @Override
    void configure(S3Config.Builder settings) {
        settings.singlePutLimit(0).maxSingleCopySize(PART);
    }
}
