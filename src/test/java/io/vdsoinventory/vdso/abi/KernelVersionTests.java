package io.vdsoinventory.vdso.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KernelVersionTests {

    @Test
    void parseWhenTwoOrThreePartsReadsThemAndPrintsThemBack() {
        assertThat(KernelVersion.parse("2.6.23")).isEqualTo(new KernelVersion(2, 6, 23));
        assertThat(KernelVersion.parse("6.11")).isEqualTo(new KernelVersion(6, 11, 0));
        assertThat(KernelVersion.parse("2.6.23")).hasToString("2.6.23");
        assertThat(KernelVersion.parse("6.11")).hasToString("6.11");
    }

    @Test
    void compareToWhenMinorHasTwoDigitsOrdersByNumber() {
        assertThat(KernelVersion.parse("5.10")).isGreaterThan(KernelVersion.parse("5.9"));
        assertThat(KernelVersion.parse("2.6.39")).isLessThan(KernelVersion.parse("3.0"));
        assertThat(KernelVersion.parse("6.12")).isEqualByComparingTo(KernelVersion.parse("6.12.0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "6", "6.", "6.1.2.3", "v6.1", "6.-1", "6.1-rc1", "12345.1"})
    void parseWhenTextIsNotAReleaseRejectsIt(String text) {
        assertThatThrownBy(() -> KernelVersion.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void ofReleaseReadsTheMainlinePrefixOfAUnameRelease() {
        assertThat(KernelVersion.ofRelease("6.1.0-18-amd64")).contains(new KernelVersion(6, 1, 0));
        assertThat(KernelVersion.ofRelease("6.18.44")).contains(new KernelVersion(6, 18, 44));
        assertThat(KernelVersion.ofRelease("5.10-rc1")).contains(new KernelVersion(5, 10, 0));
        assertThat(KernelVersion.ofRelease("latest")).isEmpty();
    }
}
