package dev.modelregistry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A SHA-256 digest as 64 lower-case hexadecimal characters. */
public record Sha256(String hex) {
    private static final HexFormat HEX = HexFormat.of();

    public Sha256 {
        if (hex == null || hex.length() != 64) {
            throw new ValidationException("Invalid SHA-256 " + Names.quote(hex) + ": expected 64 hexadecimal characters");
        }
        for (int i = 0; i < 64; i++) {
            char c = hex.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                throw new ValidationException("Invalid SHA-256 " + Names.quote(hex) + ": character at index " + i + " is not hexadecimal");
            }
        }
        hex = hex.toLowerCase(java.util.Locale.ROOT);
    }

    @JsonCreator
    public static Sha256 of(String hex) {
        return new Sha256(hex);
    }

    public static Sha256 of(byte[] digest) {
        return new Sha256(HEX.formatHex(digest));
    }

    /** The digest of {@code bytes}. */
    public static Sha256 digest(byte[] bytes) {
        return of(newDigest().digest(bytes));
    }

    /** A fresh SHA-256 {@link MessageDigest}; every JDK must provide one. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    @JsonValue
    @Override
    public String toString() {
        return hex;
    }
}
