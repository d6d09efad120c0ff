// The whole compiled-once part in one file, as a program without CMake
// includes it: <restschema/src.hpp> (bench/compile_cost.py reports it).
#ifndef RESTSCHEMA_SEPARATE_COMPILATION
#define RESTSCHEMA_SEPARATE_COMPILATION
#endif
#include <restschema/src.hpp>
