// The compiled-once transport of restschema (pool, TLS, HTTP, retries): the
// other half of the target restschema::compiled.
#include <restschema/src/transport.hpp>
