// The one translation unit that compiles restschema's transport in the
// compiled-once mode (bench/compile_cost.py measures it; it needs
// <restschema/src.hpp>).
#ifndef RESTSCHEMA_SEPARATE_COMPILATION
#define RESTSCHEMA_SEPARATE_COMPILATION
#endif
#include <restschema/src.hpp>
