package dev.modelregistry.spi;

import dev.modelregistry.EventStore;

import dev.modelregistry.ModelName;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Page;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.VersionQuery;
import dev.modelregistry.VersionRange;
import java.util.Optional;

/**
 * An optional capability of an {@link EventStore} that keeps query tables in step with its logs
 * (updated in the same transaction as each append) and can answer reads without the core folding a
 * whole log. The core uses it for models it has not loaded yet, so a freshly opened registry answers
 * "what is in Production" from an index rather than by reading a long history; once a model is
 * loaded, its folded state answers, and both must agree on every answer.
 *
 * <p>Each method answers as of the store's latest committed state.
 */
public interface SupportsVersionQueries {

    Optional<ModelVersion> findVersion(ModelName model, SemVer version);

    Optional<ModelVersion> findByTag(ModelName model, String tag);

    /** The version in {@code stage} that entered it most recently (the holder, for an exclusive stage). */
    Optional<ModelVersion> findCurrent(ModelName model, Stage stage);

    /** The highest version, by SemVer precedence, that {@code range} contains. */
    Optional<ModelVersion> findHighest(ModelName model, VersionRange range);

    /** The most recently registered version. */
    Optional<ModelVersion> findLatest(ModelName model);

    /**
     * One page of a search, with the semantics of {@link VersionQuery}: only versions for which
     * {@link VersionQuery#matches} holds, ordered by {@link VersionQuery#comparator()}, starting
     * strictly after {@link VersionQuery#afterKey()}, at most {@link VersionQuery#limit()} items, and
     * a next cursor made with {@link VersionQuery#cursorAfter} when more follow.
     */
    Page<ModelVersion> search(ModelName model, VersionQuery query);
}
