package dev.modelregistry.internal.engine;

import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelName;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.RequestId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Promotion requests as callers see them: the folded request plus the roles it awaits under the policies in force. */
public final class RequestViews {
    private RequestViews() {
    }

    public static PromotionRequest view(ModelName model, ModelState.Request r, PolicySnapshot policies) {
        Set<String> awaiting = r.status == PromotionRequest.Status.OPEN
                ? policies.awaitingRoles(model, r.from, r.to, r.report) : Set.of();
        return new PromotionRequest(new RequestId(model, r.id), r.version, r.from, r.to, r.requester, r.reason,
                r.openedAt, r.approvals, r.report, awaiting, r.status, r.closedBecause);
    }

    /**
     * The requests that {@code entries} (a store's selection of a model's request entries, in log
     * order) describe, folded by the same rules as a whole log; only the open ones.
     */
    public static List<ModelState.Request> fold(ModelName model, List<LogEntry> entries) {
        Map<Long, ModelState.Request> requests = new LinkedHashMap<>();
        for (LogEntry e : entries) {
            ModelState.foldRequest(requests, e);
        }
        return requests.values().stream().filter(r -> r.status == PromotionRequest.Status.OPEN).toList();
    }
}
