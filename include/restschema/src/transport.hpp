// restschema/src/transport.hpp - the compiled-once transport, for one translation unit.
//
// Half of <restschema/src.hpp>: the connection pool, TLS, the response
// parser, timeouts and the retry policy. The target restschema::compiled
// compiles it and <restschema/src/core.hpp> as two files, in parallel; a
// program without CMake includes <restschema/src.hpp> in one file, or each
// half in a file of its own.
#pragma once

#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#error                                                                                                       \
    "restschema/src/transport.hpp is for RESTSCHEMA_SEPARATE_COMPILATION; without it restschema is header-only"
#else

#include <restschema/detail/config.hpp>

#include <restschema/transport/impl/retry.ipp>
#include <restschema/transport/impl/session.ipp>

#endif // RESTSCHEMA_SEPARATE_COMPILATION
