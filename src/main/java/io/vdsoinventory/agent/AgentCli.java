package io.vdsoinventory.agent;

/** Skeleton of the picocli agent entry point. */
public final class AgentCli {

    private AgentCli() {
    }

    /** Runs the agent command line and returns the process exit code. */
    public static int run(String[] args) {
        System.err.println("agent: not implemented yet");
        return 1;
    }
}
