// The other half of restschema::compiled (src/core.cpp): codec, validation,
// binding, error mapping. bench/compile_cost.py reports it beside
// transport_tu, and src_hpp (the whole of <restschema/src.hpp> in one file).
#ifndef RESTSCHEMA_SEPARATE_COMPILATION
#define RESTSCHEMA_SEPARATE_COMPILATION
#endif
#include <restschema/src/core.hpp>
