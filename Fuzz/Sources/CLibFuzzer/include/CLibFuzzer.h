// libFuzzer's driver entry point (compiler-rt FuzzerDriver.cpp, linked by -sanitize=fuzzer).
// SwiftPM on Linux links executables with `main` aliased to `<Module>_main`, so each fuzz target
// defines that symbol and hands control to libFuzzer through this function.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
