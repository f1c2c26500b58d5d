package dev.modelregistry.cli;

import java.io.PrintWriter;

/**
 * An upload progress bar on standard error, redrawn in place ({@code \r}) only when the whole
 * percentage changes, so a large upload costs a hundred redraws, not one per buffer.
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final long total;
    private final boolean enabled;
    private long done;
    private int shownPercent = -1;

    ProgressBar(PrintWriter err, long total, boolean enabled) {
        this.err = err;
        this.total = total;
        this.enabled = enabled;
    }

    synchronized void advance(long bytes) {
        done += bytes;
        draw();
    }

    /** Ends the bar's line, whether or not everything was read. */
    synchronized void finish() {
        if (enabled && shownPercent >= 0) {
            err.println();
            err.flush();
        }
    }

    private void draw() {
        if (!enabled) {
            return;
        }
        int percent = total == 0 ? 100 : (int) Math.min(100, done * 100 / total);
        if (percent == shownPercent) {
            return;
        }
        shownPercent = percent;
        int filled = percent * WIDTH / 100;
        err.print("\rUploading [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "%  "
                + Text.bytes(Math.min(done, total)) + " / " + Text.bytes(total));
        err.flush();
    }
}
