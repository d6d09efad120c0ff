// restschema/binding/instantiate.hpp - compiling an endpoint's binding and decoding once.
//
//   #include <restschema/binding/instantiate.hpp>
//   #include <restschema/gen/attestr/update_profile.hpp>
//   RESTSCHEMA_INSTANTIATE_ENDPOINT(::attestr::update_profile)
//   RESTSCHEMA_INSTANTIATE_TYPE(::safeshepherd::user)
//
// In RESTSCHEMA_SEPARATE_COMPILATION mode, files that call an endpoint see
// only the declarations of bind<E>(), decode_response<E>() and decode_reply<E>()
// (what call_with_reply and pages() read), and of the
// codec (to_json, try_from_json, try_parse) and validate(); one file
// instantiates them here for each endpoint and schema type. restschema_generate(... COMPILED) writes these
// files for every endpoint of your schemas.
#pragma once

#include <restschema/binding/impl/request.hpp>
#include <restschema/binding/impl/response.hpp>
#include <restschema/impl/codec.hpp>
#include <restschema/impl/validate.hpp>

#define RESTSCHEMA_INSTANTIATE_ENDPOINT(E)                                                                   \
    template ::restschema::result<::restschema::binding::wire_request> restschema::binding::bind<E>(         \
        E::request const&, ::restschema::binding::bind_context const&);                                      \
    template ::restschema::result<E::response> restschema::binding::decode_response<E>(                      \
        ::restschema::binding::wire_response const&, ::std::vector<::std::string> const&,                    \
        ::restschema::binding::body_reading const&);                                                         \
    template ::restschema::result<::restschema::reply<E>> restschema::binding::decode_reply<E>(              \
        ::restschema::binding::wire_response, ::std::vector<::std::string> const&,                           \
        ::restschema::binding::body_reading const&);

#define RESTSCHEMA_INSTANTIATE_TYPE(T)                                                                       \
    template ::boost::json::value restschema::to_json<T>(T const&);                                          \
    template ::restschema::result<::std::string> restschema::try_serialize<T>(T const&);                     \
    template ::restschema::result<T> restschema::try_from_json<T>(::boost::json::value const&,               \
                                                                  ::restschema::decode_options const&);      \
    template ::restschema::result<T> restschema::try_parse<T>(::std::string_view,                            \
                                                              ::restschema::decode_options const&);          \
    template ::std::vector<::restschema::problem> restschema::validate<T>(                                   \
        T const&, ::restschema::version_context const&);
