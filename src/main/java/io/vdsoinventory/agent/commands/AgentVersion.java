package io.vdsoinventory.agent.commands;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the Implementation-Version the build writes into the jar manifest. */
final class AgentVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = AgentVersion.class.getPackage().getImplementationVersion();
        return new String[] {"vdso-inventory agent " + (version == null ? "(development build)" : version)};
    }
}
