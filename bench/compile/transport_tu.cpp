// The translation unit that compiles restschema's transport in the
// compiled-once mode (bench/compile_cost.py measures it): the half of
// <restschema/src.hpp> that restschema::compiled compiles as src/transport.cpp.
// A tree from before that split has only src.hpp, which is measured then.
#ifndef RESTSCHEMA_SEPARATE_COMPILATION
#define RESTSCHEMA_SEPARATE_COMPILATION
#endif
#if __has_include(<restschema/src/transport.hpp>)
#include <restschema/src/transport.hpp>
#else
#include <restschema/src.hpp>
#endif
