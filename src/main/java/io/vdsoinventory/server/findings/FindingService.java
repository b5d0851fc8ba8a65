package io.vdsoinventory.server.findings;

import io.vdsoinventory.server.api.ApiException;
import io.vdsoinventory.server.api.ProblemKind;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** What people do with findings: list them, suppress one (audited). */
@Service
class FindingService {

    private final FindingQueries queries;
    private final FindingStore store;
    private final TransactionTemplate transaction;

    FindingService(FindingQueries queries, FindingStore store, TransactionTemplate transaction) {
        this.queries = queries;
        this.store = store;
        this.transaction = transaction;
    }

    List<FindingView> findings(FindingFilter filter, FindingQueries.@Nullable Key after, int limit) {
        return queries.page(filter, after, limit);
    }

    /** Suppresses an open finding: 404 when there is none, 409 when it is not open. */
    FindingView suppress(long findingId, String by, String reason) {
        FindingView finding = queries.find(findingId)
                .orElseThrow(() -> ApiException.of(ProblemKind.NOT_FOUND, "No finding " + findingId));
        boolean suppressed = Objects.requireNonNull(transaction.execute(status ->
                store.suppress(findingId, by, reason).isPresent()));
        if (!suppressed) {
            throw ApiException.of(ProblemKind.CONFLICT, "Finding " + findingId + " is " + finding.status()
                    + ", only an open finding can be suppressed");
        }
        return queries.find(findingId).orElseThrow();
    }
}
