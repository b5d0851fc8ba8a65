package io.vdsoinventory;

import java.util.Arrays;

/**
 * Entry point of the one executable jar. {@code agent ...} runs the plain-Java agent (it must never load Spring:
 * it runs on every host and starts in well under a second); {@code server ...} starts the Spring Boot service.
 * The two are referenced only inside their branches so that the JVM loads just the side that was asked for.
 */
public final class Main {

    private static final String USAGE = """
            Usage: java -jar vdso-inventory.jar <agent|server> [args...]
              agent   capture and analyse this host's vDSO, report it to a service (agent --help)
              server  run the inventory service (server --help)""";

    private static final String SERVER_USAGE = """
            Usage: java -jar vdso-inventory.jar server [--NAME=VALUE...]
            Runs the inventory service: the HTTPS API, agent enrolment and reports, detection, Prometheus metrics.
            Without a database URL it starts an embedded PostgreSQL in the data directory; without a certificate
            it serves one of a private CA it creates there (DIR/ca.pem; its pin is logged at start).

            Settings (as --NAME=VALUE, or the environment variable in brackets):
              --server.port=PORT               HTTPS port (PORT), default 8080
              --server.address=ADDRESS         address to listen on, default all interfaces
              --vdso.tls.certificate=PEM       serve this certificate chain instead (VDSO_TLS_CERTIFICATE),
              --vdso.tls.private-key=PEM       with its key (VDSO_TLS_PRIVATE_KEY); both reloaded on change
              --vdso.tls.names=NAME,...        more names of the generated certificate (VDSO_TLS_NAMES)
              --vdso.tls.enabled=false         plain HTTP, on 127.0.0.1 unless --server.address is given
                                               (VDSO_TLS_ENABLED)
              --vdso.data-dir=DIR              embedded database and generated secrets (VDSO_DATA_DIR),
                                               default ./vdso-data
              --vdso.enroll-secret=SECRET      the secret agents exchange for a node key (VDSO_ENROLL_SECRET),
                                               default generated into DIR/enroll-secret
              --vdso.admin-token=TOKEN         an admin API token (VDSO_ADMIN_TOKEN),
                                               default generated into DIR/admin-token
              --spring.datasource.url=JDBC_URL an external PostgreSQL instead of the embedded one, with
              --spring.datasource.username=... and --spring.datasource.password=...
              --vdso.ingest.report-interval=60s  how often agents are told to report

            Every setting, with its default: docs/service.md (in the source tree).
            Options:
              -h, --help                       print this help and exit""";

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.println(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "agent" -> System.exit(io.vdsoinventory.agent.commands.AgentCli.run(rest));
            case "server" -> {
                if (Arrays.asList(rest).contains("-h") || Arrays.asList(rest).contains("--help")) {
                    System.out.println(SERVER_USAGE);
                    System.exit(0);
                }
                io.vdsoinventory.server.ServerApplication.main(rest);
            }
            default -> {
                System.err.println("Unknown mode '" + args[0] + "'.");
                System.err.println(USAGE);
                System.exit(2);
            }
        }
    }
}
