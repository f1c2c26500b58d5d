package dev.modelregistry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Names a promotion request: the model and the sequence number of the log entry that opened it,
 * written {@code fraud-detector#12}.
 */
public record RequestId(ModelName model, long sequence) {
    public RequestId {
        if (model == null || sequence < 1) {
            throw new ValidationException("A request id needs a model and a sequence number >= 1");
        }
    }

    @JsonCreator
    public static RequestId parse(String text) {
        int hash = text == null ? -1 : text.lastIndexOf('#');
        if (hash <= 0) {
            throw new ValidationException("Invalid request id " + Names.quote(text) + ": expected model#number");
        }
        String number = text.substring(hash + 1);
        long sequence;
        try {
            // ASCII digits only: Long.parseLong would also read "+1" and other scripts' digits (Arabic-Indic one, U+0661) as 1.
            if (!number.matches("[0-9]{1,19}")) {
                throw new NumberFormatException(number);
            }
            sequence = Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw new ValidationException("Invalid request id " + Names.quote(text) + ": expected model#number");
        }
        if (sequence < 1) {
            throw new ValidationException("Invalid request id " + Names.quote(text) + ": the number must be at least 1");
        }
        try {
            return new RequestId(ModelName.of(text.substring(0, hash)), sequence);
        } catch (InvalidNameException e) {
            throw new InvalidNameException("Invalid request id " + Names.quote(text) + ": " + e.getMessage());
        }
    }

    @JsonValue
    @Override
    public String toString() {
        return model + "#" + sequence;
    }
}
