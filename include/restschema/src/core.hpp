// restschema/src/core.hpp - the compiled-once core, for one translation unit.
//
// Half of <restschema/src.hpp>: the codec, validation, the non-template
// halves of binding, error mapping, OAuth 2 and OTLP. See
// <restschema/src/transport.hpp> for the other half.
#pragma once

#if !defined(RESTSCHEMA_SEPARATE_COMPILATION)
#error "restschema/src/core.hpp is for RESTSCHEMA_SEPARATE_COMPILATION; without it restschema is header-only"
#else

#include <restschema/detail/config.hpp>

#include <restschema/binding/impl/request.ipp>
#include <restschema/binding/impl/response.ipp>
#include <restschema/impl/codec.ipp>
#include <restschema/impl/error_table.ipp>
#include <restschema/impl/oauth2.ipp>
#include <restschema/impl/otlp.ipp>
#include <restschema/impl/validate.ipp>

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
