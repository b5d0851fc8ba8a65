package io.vdsoinventory.server.api;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's refusals that never reach the application (an invalid request line or URI, an over-long header, too
 * many headers) as problem+json instead of Tomcat's HTML page, without server details. Public with a no-argument
 * constructor: Tomcat instantiates it by class name ({@link TomcatProblemsConfiguration}).
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus named = HttpStatus.resolve(status);
        String title = named == null ? "HTTP " + status : named.getReasonPhrase();
        String type = ProblemKind.typeOf(status);
        String detail = status == 400 ? "The request is malformed (request line, URI or headers) and was refused "
                + "before any processing" : title;
        try {
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setContentType(ProblemResponses.MEDIA_TYPE);
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(new String(ProblemResponses.body(status, type, title, detail, null),
                        StandardCharsets.UTF_8));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the response already committed: nothing more to say
        }
    }
}
