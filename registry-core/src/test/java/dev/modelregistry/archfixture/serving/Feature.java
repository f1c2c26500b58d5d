package dev.modelregistry.archfixture.serving;

import dev.modelregistry.archfixture.internal.util.Quote;
import java.util.List;

/** An API type with a public field whose type argument is internal. */
public class Feature {
    public List<Quote> quotes = List.of();
}
