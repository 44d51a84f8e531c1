// Declarations only (see include/CLibFuzzer.h); the definitions come from libclang_rt.fuzzer.
#include "CLibFuzzer.h"
