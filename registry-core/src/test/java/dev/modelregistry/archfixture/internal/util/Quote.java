package dev.modelregistry.archfixture.internal.util;

import dev.modelregistry.archfixture.Api;

/** A leaf that is not one: it uses the API package. */
public final class Quote {
    private Quote() {
    }

    public static String of(Api api) {
        return "\"" + api + "\"";
    }
}
