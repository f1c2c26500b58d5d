package dev.modelregistry.s3;

import dev.modelregistry.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;

/** Deterministic pseudo-random content of any length, generated as it is read and never held whole. */
final class GeneratedContent extends InputStream {
    private final long size;
    private long state;
    private long position;
    private long word;
    private int wordBytesLeft;

    GeneratedContent(long size, long seed) {
        this.size = size;
        this.state = seed * 0x9E3779B97F4A7C15L + 1;
    }

    static Sha256 digestOf(long size, long seed) {
        MessageDigest md = Sha256.newDigest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = new GeneratedContent(size, seed)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Sha256.of(md.digest());
    }

    static byte[] bytes(int size, long seed) {
        try (InputStream in = new GeneratedContent(size, seed)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte next() {
        if (wordBytesLeft == 0) {
            // xorshift64: fast, and nothing like the patterns a buggy copy would produce.
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            word = state;
            wordBytesLeft = 8;
        }
        byte b = (byte) word;
        word >>>= 8;
        wordBytesLeft--;
        return b;
    }

    @Override
    public int read() {
        if (position >= size) {
            return -1;
        }
        position++;
        return next() & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(len, size - position);
        for (int i = 0; i < n; i++) {
            b[off + i] = next();
        }
        position += n;
        return n;
    }
}
