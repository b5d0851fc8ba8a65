package io.vdsoinventory.protocol;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * One behavioural check of the vDSO: its clock_gettime against the clock_gettime system call read just before and
 * after it.
 *
 * @param clock the clock id as named in include/uapi/linux/time.h: {@code CLOCK_REALTIME} or {@code CLOCK_MONOTONIC}
 * @param differenceNanos the vDSO reading minus the midpoint of the two system call readings
 * @param consistent whether the vDSO reading lies between the two system call readings
 */
public record ClockReading(@NotBlank @Size(max = 32) @Pattern(regexp = "CLOCK_[A-Z0-9_]+") String clock, long differenceNanos, boolean consistent) {
}
