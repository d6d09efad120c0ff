// restschema/reply.hpp - a success response in full: status, typed body and typed headers.
//
//   auto r = api.try_call_reply(req);   // restschema::result<restschema::reply<E>>
//   if (r) use(r->value, r->headers.etag);
//
// `headers` is the generated `<endpoint>_response_headers` struct of the
// headers the schema declares (`response.headers:`), each a std::optional
// unless the schema says the server always sends it; `raw_headers` keeps
// every header as received (secrets of the request masked), for the ones
// the schema does not name.
#pragma once

#include <restschema/detail/text.hpp> // iequals_ascii

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace restschema {

/// The headers type of an endpoint that declares none.
struct no_response_headers {};

namespace detail {
template <class E>
struct response_headers_of {
    using type = no_response_headers;
};
template <class E>
requires requires
{
    typename E::response_headers;
}
struct response_headers_of<E> {
    using type = typename E::response_headers;
};
} // namespace detail

/// The declared response headers of endpoint E (no_response_headers when it declares none).
template <class E>
using response_headers_t = typename detail::response_headers_of<E>::type;

/// Header fields as received, in order: (name, value).
using header_list = std::vector<std::pair<std::string, std::string>>;

/// A success response of endpoint E.
template <class E>
struct reply {
    int status = 0;                  ///< the HTTP status (the endpoint's success status, or another 2xx)
    typename E::response value{};    ///< the decoded body
    response_headers_t<E> headers{}; ///< the headers the schema declares, typed
    header_list raw_headers{};       ///< every header (secrets masked)

    /// The first header named `name` (case-insensitive), or nullptr.
    [[nodiscard]] std::string const* header(std::string_view name) const noexcept
    {
        for (auto const& [k, v] : raw_headers)
            if (detail::iequals_ascii(k, name))
                return &v;
        return nullptr;
    }
};

} // namespace restschema
