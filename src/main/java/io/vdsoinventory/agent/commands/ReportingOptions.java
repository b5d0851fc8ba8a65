package io.vdsoinventory.agent.commands;

import io.vdsoinventory.agent.CommandFailure;
import io.vdsoinventory.agent.EnrollSecret;
import io.vdsoinventory.agent.daemon.ServerTrust;
import io.vdsoinventory.agent.daemon.ServiceClient;
import io.vdsoinventory.protocol.CertificatePin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The options {@code report} and {@code run} share (a picocli mixin): where the service is and which of its
 * certificates to trust, how to enrol, and what
 * they say about the host besides its vDSO: its key, name and labels, and which extra observations to make.
 */
final class ReportingOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--server", required = true, paramLabel = "URL",
            description = "the inventory service, e.g. https://inventory.example:8080")
    URI server;

    @Option(names = "--ca-file", paramLabel = "PEM",
            description = "trust exactly the CA certificates in this file (repeatable; the service writes its own "
                    + "CA to <data-dir>/ca.pem); default: the system's trust store")
    List<Path> caFiles = new ArrayList<>();

    @Option(names = "--ca-sha256", paramLabel = "PIN", split = ",", converter = PinConverter.class,
            description = "accept the server only when its chain holds a key with one of these pins "
                    + "(sha256:<hex>, as the service logs at start; comma-separated)")
    List<CertificatePin> pins = new ArrayList<>();

    @Option(names = "--insecure-http",
            description = "allow a plain http:// server that is not on the loopback address (warned of daily)")
    boolean insecureHttp;

    @Mixin
    EnrollSecret secret;

    @Option(names = "--host-key", paramLabel = "KEY", description = "default: this host's machine-id")
    String hostKey;

    @Option(names = "--hostname", paramLabel = "NAME",
            description = "the name to report (a DaemonSet passes its node's); default: this host's name")
    String hostname;

    @Option(names = "--label", paramLabel = "KEY=VALUE",
            description = "a label of the host (repeatable; none given: the host keeps its labels)")
    Map<String, String> labels = new LinkedHashMap<>();

    /**
     * The client of {@code --server} trusting what the options say. Plain http is refused off the loopback without
     * {@code --insecure-http}, and then warned of to {@code warnings} once a day.
     */
    ServiceClient client(Consumer<String> warnings) throws CommandFailure {
        boolean plain = "http".equalsIgnoreCase(server.getScheme());
        if (!plain && !"https".equalsIgnoreCase(server.getScheme())) {
            throw usage("--server must be an https:// (or http://) URL, not " + server);
        }
        if (plain && (!caFiles.isEmpty() || !pins.isEmpty())) {
            throw usage("--ca-file and --ca-sha256 need an https:// server, not " + server);
        }
        boolean loopback = isLoopback(server.getHost());
        if (plain && !loopback && !insecureHttp) {
            throw usage("refusing plain http to " + server.getHost() + ": the enroll secret and the node key would cross "
                    + "the network in clear; use https:// (the service's default) or give --insecure-http");
        }
        ServerTrust trust;
        try {
            trust = ServerTrust.of(caFiles, pins);
        } catch (IOException e) {
            throw new CommandFailure("cannot read --ca-file: " + e.getMessage(), e);
        }
        ServiceClient client = new ServiceClient(server, trust);
        return plain && !loopback ? client.warnDailyOfPlainHttp(warnings) : client;
    }

    /** {@code localhost} or a loopback address literal (no name is looked up). */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!bare.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            return false;
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(command.commandLine(), message);
    }

    /** Reads a pin as {@link CertificatePin#parse} does; a bad one is a usage error naming the spelling. */
    static final class PinConverter implements ITypeConverter<CertificatePin> {
        @Override
        public CertificatePin convert(String value) {
            try {
                return CertificatePin.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** The labels to report; null when none was given, so that the service keeps the host's labels. */
    Map<String, String> labelsOrKept() {
        return labels.isEmpty() ? null : labels;
    }

    @Option(names = "--scan-processes",
            description = "also compare every process's vDSO with the kernel's (root or CAP_SYS_PTRACE)")
    boolean scanProcesses;

    @Option(names = "--check-clock", description = "also compare the vDSO's clock_gettime with the system call")
    boolean checkClock;
}
