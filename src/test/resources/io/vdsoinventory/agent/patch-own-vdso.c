/*
 * Test helper: patches one byte of this process's own vDSO the way an injector does (a write through
 * /proc/self/mem, which succeeds where mprotect(PROT_WRITE) on [vdso] fails), prints "patched" and sleeps
 * until killed. Usage: patch-own-vdso OFFSET
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s OFFSET\n", argv[0]);
        return 2;
    }
    unsigned long base = getauxval(AT_SYSINFO_EHDR);
    long offset = strtol(argv[1], NULL, 0);
    int fd = open("/proc/self/mem", O_RDWR);
    unsigned char byte = *(volatile unsigned char *)(base + offset) ^ 0xff;
    if (base == 0 || fd < 0 || pwrite(fd, &byte, 1, base + offset) != 1) {
        perror("patch-own-vdso");
        return 1;
    }
    printf("patched\n");
    fflush(stdout);
    sleep(600);
    return 0;
}
