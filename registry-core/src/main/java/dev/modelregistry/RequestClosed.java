package dev.modelregistry;


/** An open request ended: completed, rejected, withdrawn, or closed because its candidate moved. */
public record RequestClosed(long request, PromotionRequest.Status status, String why) implements RegistryEvent {
    public RequestClosed {
        why = why == null ? "" : why;
    }
}
