package dev.modelregistry.serving;

import dev.modelregistry.ModelName;
import dev.modelregistry.ValidationException;
import java.util.Objects;

/** Checks shared by the cursor stores. */
final class CursorPositions {
    private CursorPositions() {
    }

    static void check(ModelName model, long sequence) {
        Objects.requireNonNull(model, "model");
        if (sequence < 0) {
            throw new ValidationException("Cursor position of " + model + " must be >= 0, was " + sequence);
        }
    }
}
