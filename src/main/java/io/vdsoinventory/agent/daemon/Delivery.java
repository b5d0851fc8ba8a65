package io.vdsoinventory.agent.daemon;

import io.vdsoinventory.agent.CommandFailure;
import io.vdsoinventory.agent.EnrollSecret;
import io.vdsoinventory.protocol.EnrollRequest;
import io.vdsoinventory.protocol.EnrollResponse;
import io.vdsoinventory.protocol.ReportRequest;
import io.vdsoinventory.protocol.ReportResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Delivers the spool to the service, oldest first: enrols when there is no node key (or the service answers 401),
 * reports, uploads the image bytes when asked, and removes a record only once the service accepted it. A retry
 * after a crash or a lost answer sends the same report id, which the service applies once. A request the service
 * refuses for good (400, 409, 413, 422) is logged and discarded, since retrying it would block every later one.
 */
public final class Delivery {

    /** A spooled observation: the report (its id fixed when observed) and, for changes, the image bytes. */
    record SpooledReport(ReportRequest report, byte[] image) {
    }

    private final ServiceClient client;
    private final NodeKeyStore nodeKeys;
    private final EnrollSecret secret;
    private final String hostKey;
    private final Backoff backoff;
    private final HeartbeatInterval heartbeats;
    private final EventLog log;
    private Instant outageSince;
    private int deliveredInOutage;

    public Delivery(ServiceClient client, NodeKeyStore nodeKeys, EnrollSecret secret, String hostKey, Backoff backoff,
            HeartbeatInterval heartbeats, EventLog log) {
        this.client = client;
        this.nodeKeys = nodeKeys;
        this.secret = secret;
        this.hostKey = hostKey;
        this.backoff = backoff;
        this.heartbeats = heartbeats;
        this.log = log;
    }

    /** Observations left from a previous run are an outage in progress: its end is logged with a count. */
    public void resumeBacklog(Spool spool) {
        if (spool.size() > 0) {
            outageSince = Instant.now();
            deliveredInOutage = 0;
        }
    }

    static byte[] encode(SpooledReport report) {
        return AgentJson.write(report);
    }

    /**
     * Delivers a heartbeat at once, without writing it to the spool first: for when nothing waits in the spool (a
     * heartbeat lost in a crash is replaced by the next one). Empty when it was delivered or refused for good;
     * else the delay before the next attempt, and the caller spools it.
     */
    Optional<Duration> deliverAtOnce(SpooledReport heartbeat, Observation current) throws IOException {
        try {
            deliver(heartbeat, Spool.Drops.NONE, current);
        } catch (ServiceClient.ServiceException e) {
            if (e.retryable() || e.unauthorized()) {
                return Optional.of(unavailable(e.getMessage(), e.retryAfter(), 1));
            }
            log.event("heartbeat refused, discarded: " + e.getMessage());
        } catch (CommandFailure e) {
            return Optional.of(unavailable(e.getMessage(), Optional.empty(), 1));
        }
        return Optional.empty();
    }

    /**
     * Delivers until the spool is empty (empty answer) or the service is unavailable (the delay before the next
     * attempt, from the backoff and any Retry-After). {@code current} is the latest observation: its bytes serve
     * an upload the service asks for after a heartbeat.
     */
    Optional<Duration> drain(Spool spool, Observation current) throws IOException {
        Optional<Spool.Entry> next;
        while ((next = spool.oldest()).isPresent()) {
            Spool.Entry entry = next.get();
            try {
                deliver(AgentJson.read(entry.payload(), SpooledReport.class), entry.carried(), current);
            } catch (ServiceClient.ServiceException e) {
                if (e.retryable() || e.unauthorized()) {
                    return Optional.of(unavailable(e.getMessage(), e.retryAfter(), spool.size()));
                }
                log.event("record " + entry.sequence() + " refused, discarded: " + e.getMessage());
            } catch (CommandFailure e) {
                return Optional.of(unavailable(e.getMessage(), Optional.empty(), spool.size()));
            } catch (AgentJson.MalformedJsonException e) {
                log.event("record " + entry.sequence() + " unreadable, discarded: " + e.getMessage());
            }
            spool.remove(entry);
            if (outageSince != null) {
                deliveredInOutage++;
            }
        }
        backoff.reset();
        if (outageSince != null) {
            log.event("outage ended after " + Duration.between(outageSince, Instant.now()).toSeconds()
                    + " s: delivered " + deliveredInOutage + " spooled observations");
            outageSince = null;
        }
        return Optional.empty();
    }

    private Duration unavailable(String reason, Optional<Duration> retryAfter, int waiting) {
        Duration delay = backoff.next(retryAfter);
        if (outageSince == null) {
            outageSince = Instant.now();
            deliveredInOutage = 0;
            log.event("outage started: " + reason + "; spooling (" + waiting + " observations waiting)");
        }
        return delay;
    }

    private void deliver(SpooledReport spooled, Spool.Drops carried, Observation current)
            throws ServiceClient.ServiceException, CommandFailure, IOException {
        ReportRequest stored = spooled.report();
        ReportRequest report = carried.isNone() ? stored : stored.withDrops(carried.heartbeats(), carried.changes());
        String nodeKey = nodeKey(report.hostname());
        ReportResponse answer;
        try {
            answer = client.report(nodeKey, report);
        } catch (ServiceClient.ServiceException e) {
            if (!e.unauthorized()) {
                throw e;
            }
            nodeKeys.forget();
            nodeKey = nodeKey(report.hostname());
            answer = client.report(nodeKey, report);
        }
        heartbeats.requested(answer.nextReportSeconds());
        if (!carried.isNone()) {
            log.event("reported " + carried.heartbeats() + " dropped heartbeats and " + carried.changes()
                    + " dropped changes");
        }
        if (answer.imageNeeded() && report.vdso() != null) {
            byte[] bytes = imageBytes(spooled, current);
            if (bytes == null) {
                log.event("service asked for image " + report.vdso().sha256() + ", which this host no longer has");
                return;
            }
            client.upload(nodeKey, report.vdso().sha256(), bytes);
            log.event("uploaded image " + report.vdso().sha256() + " (" + bytes.length + " bytes)");
        }
    }

    private static byte[] imageBytes(SpooledReport spooled, Observation current) {
        if (spooled.image() != null) {
            return spooled.image();
        }
        boolean same = current != null && current.vdso() != null
                && current.vdso().sha256().equals(spooled.report().vdso().sha256());
        return same ? current.image() : null;
    }

    private String nodeKey(String hostname) throws CommandFailure, IOException {
        Optional<String> stored = nodeKeys.load();
        if (stored.isPresent()) {
            return stored.get();
        }
        EnrollResponse enrolled;
        try {
            enrolled = client.enroll(new EnrollRequest(secret.read(), hostKey, hostname));
        } catch (ServiceClient.ServiceException e) {
            // never a reason to discard an observation: a wrong secret is fixed by the operator, an outage passes
            throw new CommandFailure("cannot enrol: " + e.getMessage(), e);
        }
        nodeKeys.save(enrolled.nodeKey());
        log.event("enrolled as host " + enrolled.hostId());
        return enrolled.nodeKey();
    }
}
