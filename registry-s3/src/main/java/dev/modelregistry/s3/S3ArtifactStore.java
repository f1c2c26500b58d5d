package dev.modelregistry.s3;

import dev.modelregistry.IntegrityException;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Sha256;
import dev.modelregistry.StorageException;
import dev.modelregistry.ArtifactStore;
import dev.modelregistry.StoredArtifact;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Content-addressed, write-once artifacts in S3: the bytes with SHA-256 {@code abcdef…} live at
 * {@code <prefix>/artifacts/sha256/ab/abcdef…}, and only ever those bytes.
 *
 * <p>Content is streamed: one buffer of the part size is all an upload holds. Content shorter than
 * the multipart threshold is hashed in that buffer and written straight to its key with
 * {@code If-None-Match: *} (a 412 means the same bytes are already there). Content up to the
 * single-PUT limit is hashed into a local spool file as it arrives and then written the same way,
 * with one {@code PutObject} from the file. Longer content (or all of it, with a limit of 0) goes to
 * a temporary key ({@code artifacts/tmp/<uuid>}) by multipart upload, hashed part by part; once the
 * digest is known the temporary object is copied server-side
 * to its content-addressed key with {@code If-None-Match: *} — by {@code CopyObject}, or above the
 * single-copy limit by a multipart copy completed with {@code If-None-Match: *} — and deleted. A
 * failure (the core's check of an expected digest, which throws at the end of the content, among
 * them) aborts the multipart upload and stores nothing under any digest. So no
 * reader ever sees partial content under a digest. A write whose answer was lost is settled by a
 * {@code HEAD} of its key, which is content-addressed or unique to the call.
 *
 * <p>Reads stream {@code GetObject} as stored (the core verifies digest and size); a connection that
 * breaks mid-download is resumed with a ranged GET pinned to the object's ETag. Requests are retried
 * by the client's retry strategy (see {@link S3Config.Builder#maxAttempts}).
 *
 * <p>Directories (a saved model folder) are stored file by file plus a manifest: see
 * {@link #putDirectory} and {@link #getDirectory}.
 */
public final class S3ArtifactStore implements ArtifactStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3ArtifactStore.class);
    private static final int MAX_PARTS = 10_000;
    private static final int MAX_RESUMES = 3;

    private final S3Client s3;
    private final S3Keys keys;
    private final int partSize;
    private final int multipartThreshold;
    private final long maxSingleCopySize;
    private final long singlePutLimit;
    private final Path spoolDirectory;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    S3ArtifactStore(S3Client s3, S3Config config, Runnable onClose) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.keys = new S3Keys(config.bucket(), config.prefix());
        this.partSize = config.partSize();
        this.multipartThreshold = config.multipartThreshold();
        this.maxSingleCopySize = config.maxSingleCopySize();
        this.singlePutLimit = config.singlePutLimit();
        this.spoolDirectory = config.spoolDirectory();
        this.onClose = onClose;
    }

    @Override
    public StoredArtifact put(InputStream content) {
        Objects.requireNonNull(content, "content");
        MessageDigest md = Sha256.newDigest();
        byte[] buffer = new byte[partSize];
        int n = readFully(content, buffer, 0);
        if (n < multipartThreshold) {
            md.update(buffer, 0, n);
            Sha256 digest = Sha256.of(md.digest());
            putOne(digest, n, RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, n), n, "application/octet-stream"));
            return stored(digest, n);
        }
        if (singlePutLimit > n) {
            return putSpooled(content, buffer, n);
        }
        return putLarge(content, md, buffer, n);
    }

    /**
     * Content up to the single-PUT limit: hashed into a local temporary file as it arrives, then
     * sent with one {@code PutObject} straight to its content address. Against a multipart upload to
     * a temporary key and a copy, that saves the completion, the copy and the delete — for content of
     * a few part sizes, most of the time (see {@code benchmarks/README.md}). Content that turns out
     * larger continues as a multipart upload, starting with the bytes already spooled.
     */
    private StoredArtifact putSpooled(InputStream content, byte[] buffer, int firstLength) {
        Path file;
        try {
            file = Files.createTempFile(spoolDirectory, "artifact-", ".spool");
        } catch (IOException e) {
            throw new StorageException("Cannot create a spool file for an artifact upload in " + spoolDirectory + ": " + e.getMessage(), e);
        }
        try {
            MessageDigest md = Sha256.newDigest();
            long size = 0;
            try (OutputStream out = Files.newOutputStream(file)) {
                int n = firstLength;
                while (n > 0 && size + n <= singlePutLimit) {
                    out.write(buffer, 0, n);
                    md.update(buffer, 0, n);
                    size += n;
                    n = readFully(content, buffer, size);
                }
                if (n > 0) {
                    // Beyond the limit: replay what was spooled, then the rest, through the multipart path.
                    out.write(buffer, 0, n);
                    out.close();
                    try (InputStream replay = new SequenceInputStream(Files.newInputStream(file), content)) {
                        return putLarge(replay, Sha256.newDigest(), buffer, readFully(replay, buffer, 0));
                    }
                }
            }
            Sha256 digest = Sha256.of(md.digest());
            putOne(digest, size, RequestBody.fromFile(file));
            return stored(digest, size);
        } catch (IOException e) {
            throw new StorageException("Cannot spool an artifact upload to " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("Cannot delete spool file {} ({})", file, e.toString());
            }
        }
    }

    /** Writes content whose digest is known straight to its key, create-only. */
    private void putOne(Sha256 digest, long length, RequestBody body) {
        String key = keys.artifact(digest);
        try {
            s3.putObject(r -> r.bucket(keys.bucket()).key(key).ifNoneMatch("*").contentType("application/octet-stream"), body);
        } catch (SdkException e) {
            // 412: content with this digest is already stored; write-once means nothing to do.
            if (!S3Errors.hasStatus(e, 412) && !holds(key, length, e)) {
                throw S3Errors.storage("Cannot store artifact " + digest + " at " + keys.uri(key), e);
            }
        }
    }

    /**
     * Settles a write whose answer was lost by looking: a key that now holds an object of the
     * expected size was written (by this call or, content addressing being what it is, by another
     * one with the same bytes). Keys written here are content-addressed or unique, so the size is all
     * there is to compare; the digest is verified again on every read anyway.
     */
    private boolean holds(String key, long size, SdkException failure) {
        if (!S3Errors.mayHaveBeenApplied(failure)) {
            return false;
        }
        try {
            return head(key).map(h -> h.contentLength() == size).orElse(false);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            return false;
        }
    }

    private StoredArtifact putLarge(InputStream content, MessageDigest md, byte[] buffer, int firstLength) {
        String tmp = keys.newTemporaryArtifact();
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(r -> r.bucket(keys.bucket()).key(tmp).checksumAlgorithm(ChecksumAlgorithm.CRC32)
                    .contentType("application/octet-stream")).uploadId();
        } catch (SdkException e) {
            if (S3Errors.mayHaveBeenApplied(e)) {
                abortAll(tmp, e);
            }
            throw S3Errors.storage("Cannot start uploading an artifact to " + keys.uri(tmp), e);
        }
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long size = 0;
            int n = firstLength;
            while (n > 0) {
                if (parts.size() == MAX_PARTS) {
                    throw new StorageException("Artifact exceeds " + MAX_PARTS + " parts of " + partSize
                            + " bytes, the most S3 takes in one upload; configure a larger partSize");
                }
                md.update(buffer, 0, n);
                parts.add(uploadPart(tmp, uploadId, parts.size() + 1, buffer, n));
                size += n;
                n = readFully(content, buffer, size);
            }
            try {
                s3.completeMultipartUpload(r -> r.bucket(keys.bucket()).key(tmp).uploadId(uploadId)
                        .multipartUpload(u -> u.parts(parts)));
            } catch (SdkException e) {
                // A retry of a completion that did happen finds no upload any more; the object tells.
                if (!holds(tmp, size, e)) {
                    throw S3Errors.storage("Cannot complete the upload of an artifact to " + keys.uri(tmp), e);
                }
            }
            completed = true;
            Sha256 digest = Sha256.of(md.digest());
            moveIntoPlace(tmp, digest, size);
            return stored(digest, size);
        } catch (RuntimeException e) {
            if (!completed) {
                abort(tmp, uploadId, e);
            }
            throw e;
        } finally {
            // Whatever happened, nothing of this upload stays: an upload the SDK started twice (its
            // first answer lost) is found by listing, and a completion that may have landed is deleted.
            abortAll(tmp, null);
            deleteQuietly(tmp);
        }
    }

    private CompletedPart uploadPart(String key, String uploadId, int number, byte[] buffer, int length) {
        try {
            UploadPartResponse part = s3.uploadPart(r -> r.bucket(keys.bucket()).key(key).uploadId(uploadId).partNumber(number)
                            .checksumAlgorithm(ChecksumAlgorithm.CRC32).contentLength((long) length),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length, "application/octet-stream"));
            return CompletedPart.builder().partNumber(number).eTag(part.eTag()).checksumCRC32(part.checksumCRC32()).build();
        } catch (SdkException e) {
            throw S3Errors.storage("Cannot upload part " + number + " of an artifact to " + keys.uri(key), e);
        }
    }

    /** Copies the completed temporary object to its content-addressed key unless that already exists. */
    private void moveIntoPlace(String tmp, Sha256 digest, long size) {
        String key = keys.artifact(digest);
        if (head(key).isPresent()) {
            return;
        }
        if (size <= maxSingleCopySize) {
            try {
                s3.copyObject(r -> r.sourceBucket(keys.bucket()).sourceKey(tmp)
                        .destinationBucket(keys.bucket()).destinationKey(key).ifNoneMatch("*"));
            } catch (SdkException e) {
                if (!S3Errors.hasStatus(e, 412) && !holds(key, size, e)) {
                    throw S3Errors.storage("Cannot copy artifact " + digest + " from " + keys.uri(tmp) + " to " + keys.uri(key), e);
                }
            }
            return;
        }
        multipartCopy(tmp, key, digest, size);
    }

    /**
     * A copy above S3's single-copy limit: parts copied server-side, completed with
     * {@code If-None-Match: *}. S3 answers 412 when the key appeared meanwhile (S3Mock answers 304);
     * either way the same content is there and the upload is aborted.
     */
    private void multipartCopy(String tmp, String key, Sha256 digest, long size) {
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(r -> r.bucket(keys.bucket()).key(key).contentType("application/octet-stream")).uploadId();
        } catch (SdkException e) {
            throw S3Errors.storage("Cannot start copying artifact " + digest + " to " + keys.uri(key), e);
        }
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long offset = 0; offset < size; offset += maxSingleCopySize) {
                int number = parts.size() + 1;
                String range = "bytes=" + offset + "-" + (Math.min(size, offset + maxSingleCopySize) - 1);
                String etag = s3.uploadPartCopy(r -> r.sourceBucket(keys.bucket()).sourceKey(tmp).copySourceRange(range)
                        .destinationBucket(keys.bucket()).destinationKey(key).uploadId(uploadId).partNumber(number))
                        .copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            s3.completeMultipartUpload(r -> r.bucket(keys.bucket()).key(key).uploadId(uploadId).ifNoneMatch("*")
                    .multipartUpload(u -> u.parts(parts)));
            completed = true;
        } catch (SdkException e) {
            if (!S3Errors.hasStatus(e, 412) && !S3Errors.hasStatus(e, 304)) {
                throw S3Errors.storage("Cannot copy artifact " + digest + " from " + keys.uri(tmp) + " to " + keys.uri(key), e);
            }
        } finally {
            if (!completed) {
                abort(key, uploadId, null);
            }
        }
    }

    @Override
    public InputStream open(Sha256 digest) {
        Objects.requireNonNull(digest, "digest");
        String key = keys.artifact(digest);
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(r -> r.bucket(keys.bucket()).key(key));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                throw new NotFoundException("No artifact with SHA-256 " + digest + " in " + keys.uri(keys.artifact(digest)));
            }
            throw S3Errors.storage("Cannot open artifact " + digest + " at " + keys.uri(key), e);
        }
        long size = in.response().contentLength();
        return new ResumingInputStream(s3, keys.bucket(), key, in, size, MAX_RESUMES);
    }

    @Override
    public Optional<StoredArtifact> find(Sha256 digest) {
        Objects.requireNonNull(digest, "digest");
        String key = keys.artifact(digest);
        return head(key).map(h -> new StoredArtifact(digest, h.contentLength(), keys.uri(key)));
    }

    /**
     * Stores every regular file under {@code dir} content-addressed, then a JSON manifest of them
     * (relative path with {@code /} separators → SHA-256 and size), itself content-addressed. The
     * returned artifact is the manifest; its digest identifies the whole directory. Symbolic links
     * are refused rather than followed out of the directory.
     */
    public StoredArtifact putDirectory(Path dir) {
        return DirectoryManifest.store(this, dir);
    }

    /**
     * Restores the directory whose manifest has {@code manifestDigest} into {@code target}, which
     * must not exist or be empty. Every file's digest and size is verified as it is written; a file
     * that does not match throws {@link IntegrityException} and is not left in place.
     */
    public void getDirectory(Sha256 manifestDigest, Path target) {
        DirectoryManifest.restore(this, manifestDigest, target);
    }

    private Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(s3.headObject(r -> r.bucket(keys.bucket()).key(key)));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return Optional.empty();
            }
            throw S3Errors.storage("Cannot inspect " + keys.uri(key), e);
        }
    }

    private StoredArtifact stored(Sha256 digest, long size) {
        return new StoredArtifact(digest, size, keys.uri(keys.artifact(digest)));
    }

    /** Fills {@code buffer} from {@code in} as far as it goes; fewer bytes only at the end of the stream. */
    private static int readFully(InputStream in, byte[] buffer, long readSoFar) {
        int n = 0;
        try {
            while (n < buffer.length) {
                int r = in.read(buffer, n, buffer.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            throw new StorageException("Cannot read artifact content after " + (readSoFar + n) + " bytes: " + e.getMessage(), e);
        }
        return n;
    }

    private void abort(String key, String uploadId, Exception cause) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(keys.bucket()).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            LOG.warn("Cannot abort multipart upload {} of {} ({}); a bucket lifecycle rule for incomplete uploads will remove it",
                    uploadId, keys.uri(key), e.toString());
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
    }

    /** Aborts every multipart upload still open on {@code key}, which is unique to one call of {@link #put}. */
    private void abortAll(String key, Exception cause) {
        try {
            for (MultipartUpload u : s3.listMultipartUploads(r -> r.bucket(keys.bucket()).prefix(key)).uploads()) {
                if (u.key().equals(key)) {
                    abort(key, u.uploadId(), cause);
                }
            }
        } catch (SdkException e) {
            LOG.warn("Cannot list multipart uploads of {} ({}); a bucket lifecycle rule for incomplete uploads will remove them",
                    keys.uri(key), e.toString());
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
    }

    private void deleteQuietly(String key) {
        try {
            s3.deleteObject(r -> r.bucket(keys.bucket()).key(key));
        } catch (SdkException e) {
            LOG.warn("Cannot delete temporary object {} ({}); a lifecycle rule on {} can remove leftovers",
                    keys.uri(key), e.toString(), keys.uri(keys.tmpPrefix()));
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "S3ArtifactStore[" + keys.uri(keys.artifactsPrefix()) + "]";
    }
}
