package io.vdsoinventory.protocol;

/**
 * The answer to a report.
 *
 * @param hostId the service's id of the reporting host
 * @param imageNeeded whether the service lacks the bytes of the reported image: upload them next
 * @param nextReportSeconds when to report again
 */
public record ReportResponse(long hostId, boolean imageNeeded, int nextReportSeconds) {
}
