// restschema/xml.hpp - XML responses, as Rails' to_xml writes them.
//
// Include this header where a client asks for XML, or to read XML yourself:
//
//   #include <restschema/xml.hpp>
//   opts.format = restschema::xml_format;            // every call of the client
//   api.call<E>(req, {.format = restschema::xml_format}); // or one call
//   auto user = restschema::try_parse_xml<User>(text, {.envelope = "user"});
//
// XML is read by Expat (link EXPAT::EXPAT; the CMake target restschema::xml
// does). Only programs that include this header need it. The text becomes
// the JSON value of the same data, following Rails' conventions (an element
// per field, `type="integer|boolean|array|datetime|..."`, `nil="true"`,
// arrays as repeated children, dasherized or underscored names, ISO 8601
// datetimes turned into the field's own format) and is then decoded by the
// JSON codec, with its checks and messages. Hostile XML is refused: text
// larger than the size limit, invalid UTF-8, any DOCTYPE or entity
// declaration (nothing is expanded beyond the five predefined entities, no
// external entity is ever read), elements nested deeper than
// decode_options::max_depth. Errors name the element path and the line and
// column. See docs/xml.md.
#pragma once

#include <restschema/client_options.hpp>
#include <restschema/codec.hpp>
#include <restschema/detail/xml.hpp>

#include <cstddef>
#include <string_view>

namespace restschema {

/// The largest XML text try_parse_xml reads by default (client_options::max_body_size's default).
inline constexpr std::size_t default_max_xml_size = 4 * 1024 * 1024;

/// Asks for XML responses and reads them (client_options::format, call_options::format).
inline constexpr response_format xml_format{body_format::xml, &detail::xml::decode};

/// Decodes XML text into T. With opt.envelope, the root element is the
/// envelope (`<user>...</user>`) or holds it as a child. The error (kind
/// decode) lists every problem with its path and its XML line and column.
template <class T>
[[nodiscard]] result<T> try_parse_xml(std::string_view text, decode_options const& opt = {},
                                      std::size_t max_size = default_max_xml_size)
{
    T out{};
    if (auto r = detail::xml::decode(detail::runtime_type_of<T>, &out, text, opt, max_size); !r)
        return std::move(r.error());
    return out;
}

/// As try_parse_xml; throws restschema::exception on failure.
template <class T>
[[nodiscard]] T parse_xml(std::string_view text, decode_options const& opt = {},
                          std::size_t max_size = default_max_xml_size)
{
    return try_parse_xml<T>(text, opt, max_size).value();
}

} // namespace restschema
