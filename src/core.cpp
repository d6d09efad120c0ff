// The compiled-once core of restschema (codec, validation, binding, error
// mapping): half of the target restschema::compiled. Every file that links
// the target is compiled with RESTSCHEMA_SEPARATE_COMPILATION.
#include <restschema/src/core.hpp>
