// The compiled-once part of restschema: the target restschema::compiled.
// Every file that links the target is compiled with RESTSCHEMA_SEPARATE_COMPILATION.
#include <restschema/src.hpp>
