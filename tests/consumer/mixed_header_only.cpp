// A header-only translation unit: linked into a program whose other files are
// compiled once, it must make the link fail (restschema/detail/config.hpp),
// not leave two definitions of the transport to the ODR.
#include <restschema/client.hpp>
#include <restschema/gen/parceltrack.hpp>

restschema::client_options const& mixed_header_only_options(restschema::client<parceltrack::service> const& c)
{
    return c.options();
}
