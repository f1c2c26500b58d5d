package dev.modelregistry.spi;

import dev.modelregistry.ArtifactStore;

import dev.modelregistry.IntegrityException;
import dev.modelregistry.Sha256;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes bytes through while hashing them, and at the end of the stream throws
 * {@link IntegrityException} when the bytes read do not have the expected digest and size. The core
 * reads every artifact through one of these, and passes content with an expected digest to
 * {@link ArtifactStore#put} through one, so corruption at rest is never silent and a store never
 * publishes content that does not match what the caller declared; anyone reading a store directly
 * can use it the same way.
 */
public final class DigestVerifyingInputStream extends FilterInputStream {
    private final Sha256 expected;
    private final long expectedSize;
    private final String what;
    private final MessageDigest digest = Sha256.newDigest();
    private long count;
    private boolean verified;

    /**
     * @param expectedSize the size the content must have, or -1 when unknown
     * @param what         how to name the content in an error message
     */
    public DigestVerifyingInputStream(InputStream in, Sha256 expected, long expectedSize, String what) {
        super(in);
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            verify();
        } else {
            digest.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n < 0) {
            verify();
        } else {
            digest.update(buf, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still be hashed, or the end-of-stream check would be meaningless.
        byte[] buf = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void verify() {
        if (verified) {
            return;
        }
        verified = true;
        Sha256 actual = Sha256.of(digest.digest());
        if (expectedSize >= 0 && count != expectedSize) {
            throw new IntegrityException(what + " is " + count + " bytes, expected " + expectedSize + " (digest " + expected + ")");
        }
        if (!actual.equals(expected)) {
            throw new IntegrityException(what + " has SHA-256 " + actual + ", expected " + expected);
        }
    }
}
