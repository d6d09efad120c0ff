// restschema/src.hpp - the compiled-once part of restschema, for one translation unit.
//
// With RESTSCHEMA_SEPARATE_COMPILATION defined in every file of the program,
// include this header in exactly one of them (the CMake target
// restschema::compiled does both for you):
//
//   // restschema.cpp
//   #include <restschema/src.hpp>
//
// It compiles the transport, the retry policy, error mapping and the
// non-template halves of binding; the other files see declarations only.
// Generated endpoints are compiled once with RESTSCHEMA_INSTANTIATE_ENDPOINT
// (restschema/binding/instantiate.hpp), which restschema_generate(... COMPILED)
// writes for you.
#pragma once

#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#error                                                                                                       \
    "restschema/src.hpp is for RESTSCHEMA_SEPARATE_COMPILATION; without it restschema is header-only and needs no src.hpp"
#else

#include <restschema/detail/config.hpp>

#include <restschema/binding/impl/request.ipp>
#include <restschema/binding/impl/response.ipp>
#include <restschema/impl/codec.ipp>
#include <restschema/impl/error_table.ipp>
#include <restschema/impl/oauth2.ipp>
#include <restschema/impl/otlp.ipp>
#include <restschema/impl/validate.ipp>
#include <restschema/transport/impl/retry.ipp>
#include <restschema/transport/impl/session.ipp>

// Free-form JSON: the error body of a service without an envelope.
#include <boost/json/value.hpp>
#include <restschema/impl/codec.hpp>
template restschema::result<boost::json::value>
restschema::try_parse<boost::json::value>(std::string_view, restschema::decode_options const&);

namespace restschema::detail::link_check {
// The definition every compiled-once object refers to, and the one that
// collides with the inline marker of header-only objects (detail/config.hpp).
extern int const compiled_once_needs_restschema_src_hpp;
int const compiled_once_needs_restschema_src_hpp = 1;
int header_only_and_compiled_once_mixed = 1;
} // namespace restschema::detail::link_check

#endif // RESTSCHEMA_SEPARATE_COMPILATION
