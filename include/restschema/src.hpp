// restschema/src.hpp - the compiled-once part of restschema, for one translation unit.
//
// With RESTSCHEMA_SEPARATE_COMPILATION defined in every file of the program,
// include this header in exactly one of them (the CMake target
// restschema::compiled does it for you, as two files compiled in parallel):
//
//   // restschema.cpp
//   #include <restschema/src.hpp>
//
// It compiles the transport, the retry policy, error mapping and the
// non-template halves of binding; the other files see declarations only. It
// is <restschema/src/transport.hpp> and <restschema/src/core.hpp>, which can
// also go in two files of their own (each in exactly one file).
// Generated endpoints are compiled once with RESTSCHEMA_INSTANTIATE_ENDPOINT
// (restschema/binding/instantiate.hpp), which restschema_generate(... COMPILED)
// writes for you.
#pragma once

#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#error                                                                                                       \
    "restschema/src.hpp is for RESTSCHEMA_SEPARATE_COMPILATION; without it restschema is header-only and needs no src.hpp"
#else

#include <restschema/src/core.hpp>
#include <restschema/src/transport.hpp>

#endif // RESTSCHEMA_SEPARATE_COMPILATION
