package io.vdsoinventory.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.vdsoinventory.protocol.ClockReading;
import io.vdsoinventory.protocol.EnrollRequest;
import io.vdsoinventory.protocol.EnrollResponse;
import io.vdsoinventory.protocol.ImageReceipt;
import io.vdsoinventory.protocol.KernelFacts;
import io.vdsoinventory.protocol.ProcessMismatch;
import io.vdsoinventory.protocol.ProcessScanSummary;
import io.vdsoinventory.protocol.ReportRequest;
import io.vdsoinventory.protocol.ReportResponse;
import io.vdsoinventory.protocol.VdsoFacts;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.ClassWriter;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;

/** The JSON the agent puts on the wire and in its spool, and how it reads the service's answers. */
class AgentJsonTests {

    private static final String SHA = "ab".repeat(32);

    @Test
    void writeWhenFullReportThenReadsBackEqual() throws Exception {
        ReportRequest report = new ReportRequest(UUID.randomUUID(), Instant.parse("2026-11-27T03:00:00.123Z"), "web-1",
                Map.of("env", "prod"),
                new KernelFacts("6.8.0-45-generic", "#45-Ubuntu SMP", "x86_64", "0a1b", "boot-1"),
                new VdsoFacts(SHA, SHA, "cafe", 8192),
                new ProcessScanSummary(120, 1, 3,
                        List.of(new ProcessMismatch(42, "sshd", "/usr/sbin/sshd", "0::/system.slice", List.of("time"))),
                        5, 2, false, 4, false),
                2, 1, List.of(new ClockReading("CLOCK_REALTIME", -12, true)));

        assertThat(AgentJson.read(AgentJson.write(report), ReportRequest.class)).isEqualTo(report);
    }

    @Test
    void writeWhenSpooledChangeThenImageBytesSurvive() throws Exception {
        Delivery.SpooledReport spooled = new Delivery.SpooledReport(heartbeat(), new byte[] {0x7f, 'E', 'L', 'F', 0});

        Delivery.SpooledReport back = AgentJson.read(AgentJson.write(spooled), Delivery.SpooledReport.class);

        assertThat(back.report()).isEqualTo(spooled.report());
        assertThat(back.image()).containsExactly(0x7f, 'E', 'L', 'F', 0);
    }

    @Test
    void writeWhenFieldsAreNullThenTheyAreLeftOut() {
        String json = new String(AgentJson.write(heartbeat()), StandardCharsets.UTF_8);

        assertThat(json).doesNotContain("null", "observedAt", "labels", "processScan", "droppedHeartbeats", "clockCheck",
                "normalizedSha256", "buildId");
        assertThat(json).startsWith("{\"reportId\":").contains("\"hostname\":\"web-1\"", "\"sha256\":\"" + SHA + "\"");
    }

    @Test
    void writeWhenObservedThenTheTimeTravelsAsRfc3339TextInUtc() throws Exception {
        ReportRequest observed = new ReportRequest(heartbeat().reportId(), Instant.parse("2026-11-27T03:00:00.123Z"),
                "web-1", null, heartbeat().kernel(), heartbeat().vdso(), null, null, null, null);

        String json = new String(AgentJson.write(observed), StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"reportId\":\"00000000-0000-0000-0000-000000000001\","
                + "\"observedAt\":\"2026-11-27T03:00:00.123Z\",");
        assertThat(AgentJson.read(AgentJson.write(new Delivery.SpooledReport(observed, null)),
                Delivery.SpooledReport.class).report().observedAt()).isEqualTo(observed.observedAt());
    }

    @Test
    void readWhenObservedAtIsNotAnInstantThenMalformedNamingTheValue() {
        assertThatExceptionOfType(AgentJson.MalformedJsonException.class)
                .isThrownBy(() -> AgentJson.read(bytes("{\"reportId\":\"00000000-0000-0000-0000-000000000001\","
                        + "\"observedAt\":\"yesterday\"}"), ReportRequest.class))
                .withMessageContaining("not an RFC 3339 instant: yesterday");
    }

    @Test
    void writeWhenEnrollingThenTheServiceFieldNamesAreUsed() {
        String json = new String(AgentJson.write(new EnrollRequest("secret", "host-key", "web-1")),
                StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"enrollSecret\":\"secret\",\"hostKey\":\"host-key\",\"hostname\":\"web-1\"}");
    }

    @Test
    void readWhenTheServiceAddsFieldsThenTheyAreIgnored() throws Exception {
        byte[] answer = """
                {"hostId": 7, "imageNeeded": true, "nextReportSeconds": 300, "newField": {"nested": [1, 2]}}
                """.getBytes(StandardCharsets.UTF_8);

        assertThat(AgentJson.read(answer, ReportResponse.class)).isEqualTo(new ReportResponse(7, true, 300));
    }

    @Test
    void readWhenServiceAnswersThenEachAnswerTypeIsRead() throws Exception {
        assertThat(AgentJson.read(bytes("{\"hostId\":3,\"nodeKey\":\"nk\"}"), EnrollResponse.class))
                .isEqualTo(new EnrollResponse(3, "nk"));
        assertThat(AgentJson.read(bytes("{\"sha256\":\"" + SHA + "\",\"status\":\"ANALYZED\"}"), ImageReceipt.class))
                .isEqualTo(new ImageReceipt(SHA, "ANALYZED"));
    }

    @Test
    void readWhenAnswerIsNotJsonThenMalformedWithReason() {
        assertThatExceptionOfType(AgentJson.MalformedJsonException.class)
                .isThrownBy(() -> AgentJson.read(bytes("<html>Bad Gateway</html>"), ReportResponse.class))
                .withMessageContaining("Unexpected character");
    }

    @Test
    void readWhenAnswerIsTruncatedThenMalformed() {
        assertThatExceptionOfType(AgentJson.MalformedJsonException.class)
                .isThrownBy(() -> AgentJson.read(bytes("{\"hostId\": 7, \"imageNee"), ReportResponse.class))
                .withMessageContaining("end-of-input");
    }

    @Test
    void readWhenAnswerIsNullThenMalformed() {
        assertThatExceptionOfType(AgentJson.MalformedJsonException.class)
                .isThrownBy(() -> AgentJson.read(bytes("null"), ReportResponse.class))
                .withMessageContaining("null instead of a ReportResponse");
    }

    @Test
    void readObjectWhenProblemJsonThenItsFields() throws Exception {
        assertThat(AgentJson.readObject(bytes("{\"title\":\"Refused\",\"detail\":\"bad image\",\"status\":422}")))
                .containsEntry("title", "Refused").containsEntry("detail", "bad image");
    }

    @Test
    void readWhenTheRecordLostItsParameterNamesThenItsComponentsAreStillItsFields(@TempDir Path dir) throws Exception {
        Path source = Files.writeString(dir.resolve("Answer.java"), """
                public record Answer(String sha256, long hostId, java.util.List<String> tags, Answer previous) {
                    public Answer(String sha256) { this(sha256, 0, null, null); }
                }
                """);
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), source.toString()))
                .isZero();
        withoutParameterNames(dir.resolve("Answer.class"));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()})) {
            Class<?> answer = loader.loadClass("Answer");
            assertThat(answer.getDeclaredConstructors()).allSatisfy(constructor -> assertThat(
                    constructor.getParameters()).allSatisfy(parameter -> assertThat(parameter.isNamePresent()).isFalse()));
            byte[] json = bytes("{\"hostId\":7,\"sha256\":\"" + SHA + "\",\"tags\":[\"a\"],"
                    + "\"previous\":{\"sha256\":\"cd\",\"hostId\":6}}");

            Object read = AgentJson.read(json, answer);

            assertThat(read).hasToString("Answer[sha256=" + SHA + ", hostId=7, tags=[a], previous=Answer[sha256=cd, "
                    + "hostId=6, tags=null, previous=null]]");
            assertThat(new String(AgentJson.write(read), StandardCharsets.UTF_8)).isEqualTo("{\"sha256\":\"" + SHA
                    + "\",\"hostId\":7,\"tags\":[\"a\"],\"previous\":{\"sha256\":\"cd\",\"hostId\":6}}");
        }
    }

    /**
     * Drops the MethodParameters attribute from a class file, as javac leaves it without {@code -parameters} for
     * other than canonical record constructors, and as a retransforming agent (Jazzer) leaves every class it
     * instruments after it was loaded.
     */
    private static void withoutParameterNames(Path classFile) throws IOException {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(Files.readAllBytes(classFile)).accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature,
                        exceptions)) {
                    @Override
                    public void visitParameter(String parameterName, int parameterAccess) {
                        // dropped
                    }
                };
            }
        }, 0);
        Files.write(classFile, writer.toByteArray());
    }

    private static ReportRequest heartbeat() {
        return new ReportRequest(UUID.fromString("00000000-0000-0000-0000-000000000001"), "web-1", null,
                new KernelFacts("6.8.0", null, "x86_64", null, null), new VdsoFacts(SHA, null, null, 8192), null);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
