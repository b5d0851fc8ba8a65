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

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.println(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "agent" -> System.exit(io.vdsoinventory.agent.AgentCli.run(rest));
            case "server" -> io.vdsoinventory.server.ServerApplication.main(rest);
            default -> {
                System.err.println("Unknown mode '" + args[0] + "'.");
                System.err.println(USAGE);
                System.exit(2);
            }
        }
    }
}
